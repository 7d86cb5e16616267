"""Fuzz the case, contact and first-line endpoints from their OpenAPI schema (schemathesis,
in-process): no 5xx and schema-conformant answers, as an organisation's system with every case and
contact scope, on real objects of its own organisation."""

import pytest

from contactcentre.api.services import api_client_create
from contactcentre.interactions.services import contact_moment_record
from tests.casemanagement.factories import make_case
from tests.factories import organisation
from tests.fuzzing import fuzz

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


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_server_errors_and_schema_conformant_answers(openapi_schema, path, method):
    case_row = make_case()
    client, token = api_client_create(
        name="fuzz",
        organisation=case_row.organisation,
        scopes=["cases:read", "cases:write", "contacts:read", "contacts:write"],
    )
    contact, _ = contact_moment_record(channel="phone", actor=organisation(client), party=case_row.party)
    fuzz(
        openapi_schema[path][method],
        headers={"Authorization": f"Bearer {token}"},
        path_parameters={"case_id": case_row.pk, "contact_id": contact.pk},
    )
