"""Fuzz the public knowledge-base endpoints from their OpenAPI schema (schemathesis, in-process):
no 5xx and schema-conformant answers, anonymous, on the real kennisbank."""

import pytest
from rest_framework.throttling import ScopedRateThrottle

from tests.fuzzing import fuzz

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kb")]

OPERATIONS = [
    ("/api/v1/life-events/", "GET"),
    ("/api/v1/kennisbank/search/", "GET"),
    ("/api/v1/kennisbank/articles/{external_id}/", "GET"),
    ("/api/v1/kennisbank/articles/{external_id}/feedback/", "POST"),
]


@pytest.fixture(autouse=True)
def _no_public_rate_limit_for_the_fuzzer(monkeypatch):
    # The fuzzer is one caller making many calls: lift the public rate limit for it.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public_search": "100000/min"})


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_server_errors_and_schema_conformant_answers(openapi_schema, path, method):
    fuzz(openapi_schema[path][method], path_parameters={"external_id": "kb-0001"})
