"""One error format (RFC 9457 problem details) for every 4xx/5xx on API paths."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]

PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "trace_id"}


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"].endswith(body["code"])
    assert len(body["trace_id"]) == 32
    if code:
        assert body["code"] == code
    return body


def test_400_names_each_invalid_field(client_with_scopes):
    http, _ = client_with_scopes(["cases:write"])
    response = http.post("/api/v1/_test/organisations", {"code": "not a slug!", "name": ""}, format="json")
    body = assert_problem(response, 400, "validation_failed")
    assert sorted(error["field"] for error in body["errors"]) == ["code", "name"]
    assert all(error["message"] and error["code"] for error in body["errors"])


def test_400_for_malformed_json(client_with_scopes):
    http, _ = client_with_scopes(["cases:write"])
    response = http.generic("POST", "/api/v1/_test/organisations", "{not json", content_type="application/json")
    assert_problem(response, 400, "parse_error")


def test_401_without_credentials_carries_www_authenticate(api):
    response = api.get("/api/v1/me")
    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_403_for_missing_scope(client_with_scopes):
    http, _ = client_with_scopes(["cases:read"])
    assert_problem(http.post("/api/v1/_test/organisations", {"code": "x", "name": "X"}, format="json"), 403)


def test_404_for_unknown_api_path_is_a_problem_not_html(client_with_scopes):
    http, _ = client_with_scopes(["cases:read"])
    assert_problem(http.get("/api/v1/does-not-exist"), 404)


def test_404_outside_api_stays_html(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/problem+json")


def test_405_for_wrong_method(client_with_scopes):
    http, _ = client_with_scopes(["cases:read"])
    assert_problem(http.delete("/api/v1/me"), 405, "method_not_allowed")


def test_422_for_domain_rule_violation(client_with_scopes):
    http, _ = client_with_scopes([])
    body = assert_problem(http.get("/api/v1/_test/rule"), 422, "not_first_line_changeable")
    assert body["detail"] == "Dit gegeven beheert de Belastingdienst."


def test_500_reveals_no_stack_trace_or_sql(client_with_scopes, caplog):
    http, _ = client_with_scopes([])
    http.raise_request_exception = False
    response = http.get("/api/v1/_test/crash")
    body = assert_problem(response, 500)
    text = response.content.decode()
    assert "SELECT" not in text and "Traceback" not in text and "RuntimeError" not in text
    assert body["detail"] == "Internal Server Error"
    # ...but the operator can find it in the log under the same trace id.
    logged = [r for r in caplog.records if r.name == "contactcentre.errors"]
    assert logged and logged[0].exc_info is not None


def test_nul_characters_in_a_body_are_a_400_anywhere(client_with_scopes):
    http, _ = client_with_scopes(["cases:write"])
    response = http.post("/api/v1/_test/organisations", {"code": "ok", "name": "a\x00b"}, format="json")
    assert_problem(response, 400, "parse_error")


def test_nul_characters_in_query_parameters_are_a_400(client_with_scopes):
    http, _ = client_with_scopes(["cases:read"])
    assert_problem(http.get("/api/v1/_test/organisations", {"page": "1\x00"}), 400, "parse_error")
