"""schemathesis against our own OpenAPI schema: no 5xx, no response that breaks the schema."""

import os
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from fairhearing.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Calling the WSGI app directly would close the test's database connection at the end of
    each request (Django's test client disconnects the same signal handlers)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(case, case_officer) -> str:
    from fairhearing.api.services import api_token_create

    _, clear = api_token_create(
        actor=None,
        user=case_officer,
        name="schemathesis",
        scopes=["complaints:submit", "cases:read", "cases:write"],
    )
    return clear


@pytest.mark.django_db
@schema.parametrize()
# Derandomised so that CI is repeatable; set FAIRHEARING_FUZZ=1 to explore new examples.
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not os.environ.get("FAIRHEARING_FUZZ"),
)
def test_the_api_keeps_its_schema(case, bearer) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {bearer}"})
