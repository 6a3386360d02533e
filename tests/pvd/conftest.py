"""Fixtures of the national layer's tests."""

import pytest

from pvd.celery import app as celery_app


@pytest.fixture
def broker():
    """The app as in production (not eager), with a broker URL the test chooses."""
    conf = celery_app.conf
    avant = conf.task_always_eager, conf.broker_url

    def use(url: str):
        conf.task_always_eager, conf.broker_url = False, url

    yield use
    conf.task_always_eager, conf.broker_url = avant
