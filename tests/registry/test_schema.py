"""The registry and processing-log endpoints are in the OpenAPI schema, documented without warnings."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

OURS = {
    "/api/v1/parties/search": {"post"},
    "/api/v1/parties/{party_id}": {"get"},
    "/api/v1/parties/{party_id}/base-data-changes": {"get", "post"},
    "/api/v1/parties/{party_id}/verifications": {"post"},
    "/api/v1/parties/{party_id}/consents": {"get", "post"},
    "/api/v1/parties/{party_id}/processing-log": {"get"},
    "/api/v1/verifications/{verification_id}/confirm": {"post"},
    "/api/v1/citizen/base-data": {"get"},
    "/api/v1/citizen/consents": {"get"},
    "/api/v1/citizen/processing-log": {"get"},
}
# Warnings name the source file and the view > serializer trail; these words are ours.
OURS_IN_WARNINGS = (
    "registry",
    "processinglog",
    "Party",
    "Consent",
    "BaseData",
    "Verification",
    "ProcessingRecord",
    "Citizen",
)


@pytest.fixture(scope="module")
def schema_and_warnings():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    GENERATOR_STATS.reset()
    return schema, warnings


def test_every_endpoint_and_method_is_in_the_schema(schema_and_warnings):
    schema, _warnings = schema_and_warnings
    got = {path: set(schema["paths"][path]) - {"parameters"} for path in OURS if path in schema["paths"]}
    assert got == OURS


def test_no_schema_warnings_from_our_modules(schema_and_warnings):
    _schema, warnings = schema_and_warnings
    assert [w for w in warnings if any(word in w for word in OURS_IN_WARNINGS)] == []


def test_bsn_is_only_ever_a_body_field(schema_and_warnings):
    schema, _warnings = schema_and_warnings
    for path, operations in schema["paths"].items():
        assert "bsn" not in path
        for operation in operations.values():
            if isinstance(operation, dict):
                assert all(p["name"] != "bsn" for p in operation.get("parameters", [])), path
    assert "bsn" in schema["components"]["schemas"]["PartySearchRequest"]["properties"]


def test_problem_answers_are_documented_for_refusals(schema_and_warnings):
    schema, _warnings = schema_and_warnings
    change = schema["paths"]["/api/v1/parties/{party_id}/base-data-changes"]["post"]["responses"]
    assert {"201", "202", "400", "403", "422"} <= set(change)
