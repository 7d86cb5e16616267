"""Fuzz the case, contact and first-line endpoints from their OpenAPI schema (schemathesis,
in-process): no 5xx and schema-conformant answers, as an organisation's system with every case and
contact scope, on real objects of its own organisation."""

import pytest
import schemathesis
from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from contactcentre.api.services import api_client_create
from contactcentre.interactions.services import contact_moment_record
from tests.casemanagement.factories import make_case

pytestmark = pytest.mark.django_db

OPERATIONS = [
    ("/api/v1/cases", "GET"),
    ("/api/v1/cases", "POST"),
    ("/api/v1/cases/lookup", "POST"),
    ("/api/v1/cases/citizen-lookup", "POST"),
    ("/api/v1/cases/{case_id}", "GET"),
    ("/api/v1/cases/{case_id}/statuses", "GET"),
    ("/api/v1/cases/{case_id}/statuses", "POST"),
    ("/api/v1/cases/{case_id}/suspension", "POST"),
    ("/api/v1/cases/{case_id}/suspension", "DELETE"),
    ("/api/v1/cases/{case_id}/extension", "POST"),
    ("/api/v1/case-types", "GET"),
    ("/api/v1/contact-moments", "GET"),
    ("/api/v1/contact-moments", "POST"),
    ("/api/v1/contact-moments/{contact_id}", "GET"),
    ("/api/v1/contact-moments/{contact_id}/close", "POST"),
    ("/api/v1/first-line/contacts", "POST"),
]


@pytest.fixture
def schema(db):
    request_started.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_server_errors_and_schema_conformant_answers(schema, path, method):
    case_row = make_case()
    client, token = api_client_create(
        name="fuzz",
        organisation=case_row.organisation,
        scopes=["cases:read", "cases:write", "contacts:read", "contacts:write"],
    )
    contact, _ = contact_moment_record(channel="phone", actor=client, party=case_row.party)
    headers = {"Authorization": f"Bearer {token}"}
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
        params = case.path_parameters or {}
        if "case_id" in params:
            params["case_id"] = case_row.pk  # exercise the real object, not only 404s
        if "contact_id" in params:
            params["contact_id"] = contact.pk
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()
