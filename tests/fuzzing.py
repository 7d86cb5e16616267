"""Schemathesis in-process: fuzz one operation of our OpenAPI schema, asserting no 5xx and answers
that conform to the documented schema. Each app's tests/<app>/test_fuzz.py names its operations."""

import pytest
import schemathesis
from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance


@pytest.fixture
def openapi_schema(db):
    """The app served in-process; like Django's test client, keep the test's connection (and
    transaction) open across requests instead of letting request_started close it."""
    request_started.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)


def fuzz(operation, *, headers: dict | None = None, path_parameters: dict | None = None) -> None:
    """25 generated calls; path parameters named in `path_parameters` point at real objects, so the
    calls exercise them and not only 404s. Derandomised: CI sees the same examples on every run."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case):
        for name, value in (path_parameters or {}).items():
            if name in (case.path_parameters or {}):
                case.path_parameters[name] = value
        response = case.call(headers=headers or {})
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()
