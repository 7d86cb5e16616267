"""Every page URL the project serves, walked as each staff role and as a citizen (anonymous visitors:
tests/api/test_url_access.py). The walk reads the URL configuration itself, so a new page is walked
without being listed here.

The API (its own authorisation tests per endpoint), the admin (Django's) and Twilio's webhooks
(signature tests in tests/channels_app) are outside this walk."""

import pytest
from django.urls import reverse

from casemanagement.models import CaseWorker
from contactcentre.api import roles
from contactcentre.console.navigation import SCREENS
from tests.casemanagement.factories import PersonFactory, make_case
from tests.factories import OrganisationFactory, UserFactory
from tests.url_walk import all_routes, parameterised_names

pytestmark = pytest.mark.django_db

OUTSIDE = ("/api/", "/admin/", "/twilio/", "/static/")
PAGES = [(name, path) for path, name in all_routes() if name and not path.startswith(OUTSIDE)]
WITH_IDS = parameterised_names()
# Public by design (tests/api/test_url_access.py walks every route anonymously against its allowlist).
PUBLIC_PREFIXES = (
    "public-",
    "portal-log",
    "portal-digid-",
    "staff-log",
    "staff-oidc-",
    "healthz",
    "readyz",
    "demo-",
    "counter-waiting-room",
)
PRIVATE = [(name, path) for name, path in PAGES if not name.startswith(PUBLIC_PREFIXES)]
STAFF_PAGES = [(name, path) for name, path in PRIVATE if not path.startswith("/mijn/")]
CITIZEN_PAGES = [(name, path) for name, path in PRIVATE if path.startswith("/mijn/")]


def test_the_walk_finds_the_pages():
    names = {name for name, _ in PAGES}
    assert {"staff-home", "console-contact", "portal-home", "public-home"} <= names
    assert all(name for name in names), "every page has a name"


ROLES = sorted(roles.ROLE_LABELS)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_screens_of_its_menu_and_no_other(client, role):
    user = UserFactory(role=role)
    if role == roles.CASE_WORKER:  # a case worker works for an organisation (without one: a 403 that says so)
        CaseWorker.objects.create(user=user, organisation=OrganisationFactory())
    client.force_login(user)
    for screen in SCREENS:
        response = client.get(reverse(screen.url_name))
        allowed = not screen.roles or role in screen.roles
        assert response.status_code == (200 if allowed else 403), (role, screen.url_name)


@pytest.mark.parametrize("role", ROLES)
def test_no_role_opens_unknown_ids_or_reaches_the_citizens_pages(client, role):
    client.force_login(UserFactory(role=role))
    for name, path in PRIVATE:
        response = client.get(path)
        if path.startswith("/mijn/"):
            assert (response.status_code, response["Location"][:16]) == (302, "/mijn/inloggen/?"), name
        elif name in WITH_IDS:  # unknown ids: not found or not allowed, never a page and never an error
            assert response.status_code in (302, 403, 404, 405), (role, name, response.status_code)


def test_a_citizen_never_reaches_a_staff_page(client, settings):
    settings.DEMO_MODE = True
    client.post("/mijn/inloggen/", {"person": PersonFactory().pk})
    assert client.get("/mijn/").status_code == 200
    for name, path in STAFF_PAGES:
        response = client.get(path)
        if response.status_code != 405:
            assert (response.status_code, response["Location"][:11]) == (302, "/aanmelden/"), name


def test_a_citizen_sees_only_their_own_data_on_every_own_page(client, settings):
    settings.DEMO_MODE = True
    me, other = PersonFactory(surname="Eigenaar"), PersonFactory(surname="Buurvrouw")
    make_case(party=me, reference="ZAAK-2026-0001")
    make_case(party=other, reference="ZAAK-2026-0002")
    client.post("/mijn/inloggen/", {"person": me.pk})
    assert "ZAAK-2026-0001" in client.get("/mijn/").content.decode()
    for name, path in CITIZEN_PAGES:
        response = client.get(path)
        if name in WITH_IDS:
            assert response.status_code in (302, 404, 405), name
            continue
        page = response.content.decode()
        assert "Buurvrouw" not in page and "ZAAK-2026-0002" not in page, name
