"""The API's optimistic concurrency (`pvd.api.concurrence`): which version a write expects, and
the refusals when it gives none or a stale one. The endpoints' own tests (conventions,
ingénierie, financements) check that a refused write changes nothing."""

from types import SimpleNamespace

import pytest
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from pvd.api.concurrence import (
    VersionPerimee,
    VersionRequise,
    check_version,
    etag,
    expected_version,
)
from pvd.api.exceptions import exception_handler

factory = APIRequestFactory()


def patch(data=None, **headers) -> Request:
    request = factory.patch("/x/", data or {}, format="json", headers=headers)
    return Request(request, parsers=[JSONParser()])


@pytest.mark.parametrize("header", ['"3"', 'W/"3"', "3", ' "3" '])
def test_if_match_gives_the_version(header):
    assert expected_version(patch({"version": 9}, **{"If-Match": header})) == 3


def test_without_if_match_the_body_version_counts():
    assert expected_version(patch({"version": 4})) == 4


def test_no_version_at_all_is_refused_with_428():
    with pytest.raises(VersionRequise) as error:
        expected_version(patch({"nom": "x"}))

    assert error.value.status_code == 428
    assert "If-Match" in str(error.value.detail)


@pytest.mark.parametrize("value", ['"abc"', '"-1"', "*"])
def test_an_unreadable_version_is_a_400(value):
    with pytest.raises(ParseError, match="Version illisible"):
        expected_version(patch(**{"If-Match": value}))


def test_a_stale_version_answers_412_with_the_current_etag():
    obj = SimpleNamespace(version=5)

    with pytest.raises(VersionPerimee) as error:
        check_version(patch(**{"If-Match": '"4"'}), obj)
    response = exception_handler(error.value, {})

    assert response.status_code == 412
    assert response["ETag"] == '"5"' == etag(obj)
    assert "version 5, la vôtre 4" in response.data["detail"]


def test_the_current_version_passes():
    assert check_version(patch(**{"If-Match": '"5"'}), SimpleNamespace(version=5)) == 5
