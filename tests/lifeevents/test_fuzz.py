"""Fuzz the public knowledge-base endpoints from their OpenAPI schema (schemathesis, in-process):
no 5xx and schema-conformant answers, anonymous, on the real kennisbank."""

import pytest
import schemathesis
from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.throttling import ScopedRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kb")]

OPERATIONS = [
    ("/api/v1/life-events/", "GET"),
    ("/api/v1/kennisbank/search/", "GET"),
    ("/api/v1/kennisbank/articles/{external_id}/", "GET"),
    ("/api/v1/kennisbank/articles/{external_id}/feedback/", "POST"),
]


@pytest.fixture
def schema(db, monkeypatch):
    # The fuzzer is one caller making many calls: lift the public rate limit for it.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public_search": "100000/min"})
    request_started.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_server_errors_and_schema_conformant_answers(schema, path, method):
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case):
        if case.path_parameters and "external_id" in case.path_parameters:
            case.path_parameters["external_id"] = "kb-0001"  # exercise the real article, not only 404s
        response = case.call()
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()
