"""The idle session's warning and "Ingelogd blijven": the pages of a signed-in staff member or citizen
carry the seconds left and the sign-in to go to; the ping (POST /sessie/verlengen/, CSRF) saves the
session with a new expiry; anyone else's ping is refused and extends nothing."""

import re
from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from contactcentre.api import idle_sessions, roles
from tests.casemanagement.factories import PersonFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PING = "/sessie/verlengen/"
NOW = 1_900_000_000


@pytest.fixture
def clock(monkeypatch):
    """The idle-session module's clock, fixed (so the seconds left are exact)."""
    monkeypatch.setattr(idle_sessions, "time", SimpleNamespace(time=lambda: NOW))


def staff_client(**client_options) -> Client:
    UserFactory(username="anna", role=roles.AGENT)
    client = Client(**client_options)
    client.get("/aanmelden/")
    token = client.cookies["csrftoken"].value
    signed_in = client.post(
        "/aanmelden/", {"username": "anna", "password": "a-strong-test-password-1", "csrfmiddlewaretoken": token}
    )
    assert signed_in["Location"] == "/medewerker/"
    return client


def citizen_client(settings) -> tuple[Client, object]:
    settings.DEMO_MODE = True
    person = PersonFactory()
    client = Client()
    client.post("/mijn/inloggen/", {"person": person.pk})
    return client, person


def stored_expiry(client: Client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def attributes(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-session-([a-z-]+)="([^"]*)"', page))


def test_a_staff_page_carries_the_time_left_and_the_way_back_to_sign_in(settings, clock):
    client = staff_client()
    session = client.session
    session[idle_sessions.REFRESHED_AT] = NOW - 40
    session.save()
    page = client.get("/medewerker/").content.decode()
    assert attributes(page) == {
        "seconds-left": str(settings.SESSION_COOKIE_AGE - 40),
        "idle-seconds": str(settings.SESSION_COOKIE_AGE),
        "refresh-seconds": "60",
        "warning-seconds": "120",
        "expired-url": "/aanmelden/?next=%2Fmedewerker%2F",
    }
    assert "Uw sessie verloopt over 2 minuten." in page
    assert '<script src="/static/console/session-expiry.js" defer></script>' in page
    assert re.search(r"<script>|<script [^>]*>[^<]", page) is None  # no inline script


def test_a_page_whose_request_refreshes_the_session_counts_the_whole_idle_time(settings, clock):
    client = staff_client()
    session = client.session
    session[idle_sessions.REFRESHED_AT] = NOW - 61
    session.save()
    page = client.get("/medewerker/").content.decode()
    assert attributes(page)["seconds-left"] == str(settings.SESSION_COOKIE_AGE)


def test_the_citizens_own_pages_carry_the_warning_and_public_pages_do_not(settings):
    client, _person = citizen_client(settings)
    own = attributes(client.get("/mijn/").content.decode())
    assert own["expired-url"] == "/mijn/inloggen/?next=%2Fmijn%2F"
    assert own["idle-seconds"] == str(settings.SESSION_COOKIE_AGE)
    assert attributes(client.get("/").content.decode()) == {}


def test_the_sign_in_pages_carry_no_warning(settings):
    settings.DEMO_MODE = True
    assert attributes(Client().get("/aanmelden/").content.decode()) == {}
    assert attributes(Client().get("/mijn/inloggen/").content.decode()) == {}


def test_the_ping_saves_the_staff_session_with_a_new_expiry_where_a_page_would_not(settings):
    client = staff_client(enforce_csrf_checks=True)
    before = stored_expiry(client)
    settings.SESSION_COOKIE_AGE += 3600  # so a save now is seen: its expiry is an hour later
    client.get("/medewerker/")  # refreshed at sign-in, under a minute ago: not saved again
    assert stored_expiry(client) == before

    token = client.cookies["csrftoken"].value
    response = client.post(PING, {"csrfmiddlewaretoken": token})
    assert response.status_code == 204
    assert (stored_expiry(client) - before).total_seconds() > 3000
    assert client.get("/medewerker/").status_code == 200


def test_the_ping_extends_a_citizen_session(settings):
    client, person = citizen_client(settings)
    before = stored_expiry(client)
    settings.SESSION_COOKIE_AGE += 3600
    assert client.post(PING).status_code == 204
    assert (stored_expiry(client) - before).total_seconds() > 3000
    assert client.get("/mijn/").status_code == 200


def test_an_anonymous_ping_is_refused_and_starts_no_session():
    client = Client()
    response = client.post(PING)
    assert response.status_code == 403
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0


def test_the_ping_is_post_only_and_needs_its_csrf_token(settings):
    client = staff_client(enforce_csrf_checks=True)
    before = stored_expiry(client)
    settings.SESSION_COOKIE_AGE += 3600
    assert client.get(PING).status_code == 405
    assert client.post(PING).status_code == 403
    assert stored_expiry(client) == before


def test_a_ping_after_sign_out_is_refused(settings):
    client = staff_client()
    client.post("/afmelden/")
    assert client.post(PING).status_code == 403
