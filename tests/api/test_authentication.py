"""API clients: hashed tokens with an organisation and scopes; people: sessions with CSRF."""

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.test import APIClient

from contactcentre.api.authentication import ApiTokenAuthentication, CsrfSessionAuthentication
from contactcentre.api.models import ApiClient
from contactcentre.api.services import api_client_create
from contactcentre.errors import ValidationFailed
from contactcentre.principal import PrincipalKind
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def test_token_is_stored_only_as_hash(client_with_scopes):
    _, client = client_with_scopes(["cases:read"])
    org = OrganisationFactory()
    made, token = api_client_create(name="svb zaaksysteem", organisation=org, scopes=["cases:read"])
    stored = ApiClient.objects.get(pk=made.pk)
    prefix, secret = token.split(".")
    assert stored.token_prefix == prefix
    assert secret not in stored.token_hash and len(stored.token_hash) == 64


def test_client_sees_its_organisation_and_scopes(client_with_scopes):
    org = OrganisationFactory(code="svb")
    http, client = client_with_scopes(["cases:read", "escalations:read"], organisation=org)
    response = http.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {
        "kind": "api_client",
        "name": client.name,
        "organisation": "svb",
        "roles": [],
        "scopes": ["cases:read", "escalations:read"],
    }
    client.refresh_from_db()
    assert client.last_used_at is not None


@pytest.mark.parametrize(
    ("scopes", "method", "expected"),
    [
        (["cases:read"], "get", 200),
        (["cases:write"], "get", 403),
        ([], "get", 403),
        (["cases:read"], "post", 403),
        (["cases:write"], "post", 201),
    ],
)
def test_scope_is_required_per_method(client_with_scopes, scopes, method, expected):
    http, _ = client_with_scopes(scopes)
    response = getattr(http, method)("/api/v1/_test/organisations", {"code": "nieuw", "name": "Nieuw"}, format="json")
    assert response.status_code == expected


def test_missing_scope_has_no_side_effect(client_with_scopes):
    from contactcentre.registry.models import Organisation

    http, _ = client_with_scopes(["cases:read"])
    before = Organisation.objects.count()
    http.post("/api/v1/_test/organisations", {"code": "nieuw", "name": "Nieuw"}, format="json")
    assert Organisation.objects.count() == before


@pytest.mark.parametrize(
    "header",
    ["Bearer deadbeef.wrong-secret", "Bearer nodot", "Bearer ", "Token abc"],
)
def test_bad_tokens_are_refused(header, client_with_scopes):
    client_with_scopes(["cases:read"])
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=header)
    assert http.get("/api/v1/me").status_code == 401


def test_right_prefix_wrong_secret_is_refused(client_with_scopes):
    http, client = client_with_scopes(["cases:read"])
    forged = APIClient()
    forged.credentials(HTTP_AUTHORIZATION=f"Bearer {client.token_prefix}.not-the-secret")
    assert forged.get("/api/v1/me").status_code == 401


def test_deactivated_client_is_refused_at_once(client_with_scopes):
    http, client = client_with_scopes(["cases:read"])
    assert http.get("/api/v1/me").status_code == 200
    ApiClient.objects.filter(pk=client.pk).update(is_active=False)
    assert http.get("/api/v1/me").status_code == 401


def test_unknown_scope_cannot_be_granted():
    with pytest.raises(ValidationFailed):
        api_client_create(name="x", organisation=OrganisationFactory(), scopes=["everything:write"])


def test_person_needs_role_permission(user_with_role):
    agent, _ = user_with_role("agent")
    admin, _ = user_with_role("functional_admin")
    assert agent.get("/api/v1/_test/organisations").status_code == 200
    assert agent.post("/api/v1/_test/organisations", {"code": "a", "name": "A"}, format="json").status_code == 403
    assert admin.post("/api/v1/_test/organisations", {"code": "a", "name": "A"}, format="json").status_code == 201


def test_session_write_without_csrf_token_is_refused(user_with_role):
    _, user = user_with_role("functional_admin")
    http = APIClient(enforce_csrf_checks=True)
    http.force_login(user)
    response = http.post("/api/v1/_test/organisations", {"code": "a", "name": "A"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_disabled_account_loses_its_session(user_with_role):
    http, user = user_with_role("agent")
    assert http.get("/api/v1/me").status_code == 200
    user.is_active = False
    user.save()
    assert http.get("/api/v1/me").status_code in (401, 403)


def test_page_size_is_capped(client_with_scopes, settings):
    from contactcentre.registry.models import Organisation

    Organisation.objects.bulk_create(
        [Organisation(code=f"o{i}", name=f"O{i}", kind="other") for i in range(settings.API_MAX_PAGE_SIZE + 5)]
    )
    http, _ = client_with_scopes(["cases:read"])
    body = http.get("/api/v1/_test/organisations", {"page_size": 10_000}).json()
    assert len(body["results"]) == settings.API_MAX_PAGE_SIZE
    assert body["count"] == Organisation.objects.count()


def test_each_authentication_answers_one_typed_principal(client_with_scopes):
    """Staff by session (with their roles), an organisation's system by token: the principal the
    views, services and selectors are handed, made once per request."""
    user = UserFactory(role="agent")
    django_request = RequestFactory().get("/api/v1/me")
    django_request.user = user
    principal, _auth = CsrfSessionAuthentication().authenticate(Request(django_request))
    assert (principal.kind, principal.user, principal.roles) == (PrincipalKind.STAFF, user, frozenset({"agent"}))
    django_request.user = get_user_model()(username="gone", is_active=False)
    assert CsrfSessionAuthentication().authenticate(Request(django_request)) is None

    _http, client = client_with_scopes(["cases:read"])
    _made, token = api_client_create(name="x", organisation=client.organisation, scopes=["cases:read"])
    token_request = RequestFactory().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    principal, _client = ApiTokenAuthentication().authenticate(Request(token_request))
    assert (principal.kind, principal.organisation_code, principal.scopes) == (
        PrincipalKind.ORGANISATION,
        client.organisation.code,
        frozenset({"cases:read"}),
    )
    assert not principal.has_perm("casemanagement.view_case")
