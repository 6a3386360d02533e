"""Optimistic concurrency for the API's writes (no app imported here).

Every editable object carries a `version` (`pvd.workflows.save_versioned` increments it). The
API shows it as the object's `ETag` (`"7"`) on a detail and after a write. An update must say
which version it changes: the `If-Match` header (the ETag read), or else a `version` field in
the body. Then:

- no version given → 428, nothing written (a blind overwrite is never allowed);
- the version is not the current one → 412 with the current ETag, nothing written;
- someone else writes between this check and the write → the service's `lock_version` (row
  lock) raises `ConflictError` → 409, nothing written.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError


class VersionRequise(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Indiquez la version que vous modifiez : l’en-tête If-Match avec l’ETag lu, ou le champ "
        "« version ». Rien n’a été enregistré."
    )
    default_code = "version_requise"


class VersionPerimee(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "version_perimee"


def etag(obj) -> str:
    return f'"{obj.version}"'


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='L’ETag de l’objet lu (par exemple `"3"`). Sans lui, indiquez le champ '
    "`version` dans le corps. Version périmée : 412 ; aucune version : 428.",
)


def expected_version(request) -> int:
    """The version the client read: from `If-Match` (`"3"`, `W/"3"` or `3`), else from the
    body's `version`. Raises 428 when neither is given, 400 when it is not a number."""
    header = request.headers.get("If-Match")
    if header:
        value = header.strip()
        if value.startswith("W/"):
            value = value[2:]
        value = value.strip('"')
        source = "l’en-tête If-Match"
    else:
        value = request.data.get("version") if hasattr(request.data, "get") else None
        source = "le champ « version »"
        if value in (None, ""):
            raise VersionRequise()
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ParseError(f"Version illisible dans {source} : « {value} » (un nombre).") from None
    if number < 0:
        raise ParseError(f"Version illisible dans {source} : « {value} » (un nombre).")
    return number


def check_version(request, obj) -> int:
    """The version the request expects, after checking it is still `obj`'s (412 otherwise,
    with the current ETag so that the client can read again)."""
    expected = expected_version(request)
    if expected != obj.version:
        error = VersionPerimee(
            f"« {obj} » a changé depuis votre lecture (version {obj.version}, la vôtre "
            f"{expected}) : relisez-le puis recommencez. Rien n’a été enregistré."
        )
        error.etag = etag(obj)
        raise error
    return expected
