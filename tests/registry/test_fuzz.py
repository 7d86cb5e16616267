"""Fuzz the registry and processing-log endpoints from their OpenAPI schema (schemathesis, in-process):
no 5xx, answers conform to the documented schema, as an API client with every registry scope."""

import pytest

from contactcentre.api.services import api_client_create
from tests.factories import OrganisationFactory
from tests.fuzzing import fuzz

pytestmark = pytest.mark.django_db

OPERATIONS = [
    ("/api/v1/parties/search", "POST"),
    ("/api/v1/parties/{party_id}", "GET"),
    ("/api/v1/parties/{party_id}/base-data-changes", "GET"),
    ("/api/v1/parties/{party_id}/base-data-changes", "POST"),
    ("/api/v1/parties/{party_id}/verifications", "POST"),
    ("/api/v1/parties/{party_id}/consents", "GET"),
    ("/api/v1/parties/{party_id}/consents", "POST"),
    ("/api/v1/verifications/{verification_id}/confirm", "POST"),
]


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_server_errors_and_schema_conformant_answers(openapi_schema, rules, person, sent_codes, path, method):
    _client, token = api_client_create(
        name="fuzz",
        organisation=OrganisationFactory(),
        scopes=["parties:read", "parties:write", "consents:read", "consents:write"],
    )
    fuzz(
        openapi_schema[path][method],
        headers={"Authorization": f"Bearer {token}"},
        path_parameters={"party_id": person.pk},
    )
