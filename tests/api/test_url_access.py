"""Deny by default: every URL pattern, called anonymously, answers 401/403 (or, for the admin's
HTML pages, a redirect to its log-in, and for the staff pages a redirect to the staff sign-in page),
unless it is on this short, named allowlist."""

import pytest
from django.shortcuts import resolve_url

from tests.url_walk import all_routes

pytestmark = pytest.mark.django_db

PUBLIC = {
    "healthz": "liveness probe",
    "readyz": "readiness probe",
    "api-schema": "OpenAPI document",
    "api-docs": "interactive API docs",
    "admin:login": "admin log-in page",
    "admin:logout": "log-out",
    "staff-login": "staff sign-in page",
    "staff-logout": "staff sign-out (POST only; anonymously it ends no session)",
    "portal-login": "the citizen's sign-in page (DigiD)",
    "portal-logout": "the citizen's sign-out (POST only; anonymously it ends no session)",
    "staff-oidc-start": "staff sign-in through the identity provider (404 unless configured)",
    "staff-oidc-callback": "the return from the identity provider (its state, code and token checked)",
    "portal-digid-callback": "the return from the DigiD broker (its state, code and token checked)",
}
# Public by design, named in their own app's tests: knowledge base search/read/feedback, life events,
# the public pages (tests/portal/test_public_pages.py), Twilio webhooks (signature-checked).
PUBLIC_PREFIXES = ("lifeevents-public-", "kb-public-", "public-", "twilio-")


def test_every_route_was_enumerated():
    names = {name for _, name in all_routes()}
    assert {"healthz", "api-me", "admin:index", "staff-home"} <= names


@pytest.mark.parametrize(("path", "name"), all_routes(), ids=lambda value: str(value))
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_caller_is_refused(client, settings, path, name, method):
    if name in PUBLIC or (name and name.startswith(PUBLIC_PREFIXES)):
        pytest.skip(f"public: {PUBLIC.get(name, 'public endpoint')}")
    response = getattr(client, method)(path)
    if path.startswith("/admin/"):
        assert response.status_code in (302, 403, 404), path
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/")
        return
    if name and name.startswith("portal-") and response.status_code == 302:
        # The citizen's own pages send an anonymous visitor to the DigiD sign-in, and back.
        assert response["Location"] == f"{resolve_url('portal-login')}?next={path}", path
        return
    if not path.startswith("/api/") and response.status_code == 302:
        # A server-rendered staff page (the console) sends an anonymous visitor to sign in, and back.
        assert response["Location"].startswith(f"{resolve_url(settings.LOGIN_URL)}?next="), path
        return
    assert response.status_code in (401, 403), f"{method.upper()} {path} answered {response.status_code}"
