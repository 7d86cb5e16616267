"""The problem-details answers in the OpenAPI schema are derived from each view (contactcentre/api/schema.py
AutoSchema): 401/403 where it authenticates, 404 where the path names an object, 400 where there is input,
409/422 on writes with the Idempotency-Key header, 429/503 where it is throttled or takes a purpose."""

import pytest
from drf_spectacular.generators import SchemaGenerator

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def test_every_error_answer_is_a_problem_document(schema):
    assert set(schema["components"]["schemas"]["Problem"]["required"]) >= {"type", "title", "status", "code"}
    for method, path, operation in _operations(schema):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert response["content"] == {"application/problem+json": {"schema": PROBLEM_REF}}, (
                    method,
                    path,
                    status,
                )


def test_statuses_follow_from_the_view(schema):
    for method, path, operation in _operations(schema):
        codes = set(operation["responses"])
        public = operation.get("security") == [{}]
        assert ("401" in codes) is not public, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        if method == "POST":
            assert {"400", "409", "422"} <= codes, (method, path)
            headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
            assert headers == ["Idempotency-Key"], (method, path)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/cases/citizen-lookup"),  # throttled
        ("POST", "/api/v1/parties/search"),  # throttled
        ("GET", "/api/v1/kennisbank/search/"),  # throttled, public
        ("GET", "/api/v1/parties/{party_id}/customer-view"),  # takes a purpose
        ("GET", "/api/v1/cases/{case_id}"),  # takes a purpose
    ],
)
def test_throttled_and_purpose_bound_operations_document_429(schema, method, path):
    assert {"429", "503"} <= set(schema["paths"][path][method.lower()]["responses"])


def test_citizen_endpoints_document_401(schema):
    assert {"401", "403"} <= set(schema["paths"]["/api/v1/citizen/base-data"]["get"]["responses"])


def test_the_case_list_documents_the_feed(schema):
    operation = schema["paths"]["/api/v1/cases"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"party", "page", "page_size", "cursor", "modified_since"} <= names
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]
    page = schema["components"]["schemas"][page["$ref"].rsplit("/", 1)[1]] if "$ref" in page else page
    assert page["required"] == ["next", "results"]  # count and previous only with party (page numbers)
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
