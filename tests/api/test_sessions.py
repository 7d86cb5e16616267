"""Sessions (Django's cached_db store, contactcentre/api/idle_sessions.py): kept in the database, so they
outlive the cache; ended when idle; a new key at log-in; gone at log-out; saved at most once a minute."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from contactcentre.api import idle_sessions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
PASSWORD = "a-strong-test-password-1"  # UserFactory's
OFFICE_IP = "10.0.0.7"


def _session_writes(queries) -> int:
    return sum(
        query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE")) and '"django_session"' in query["sql"]
        for query in queries.captured_queries
    )


def test_a_session_survives_the_cache_being_emptied(user_with_role):
    http, user = user_with_role("agent")
    assert http.get(ME).status_code == 200
    cache.clear()  # as after a Redis restart
    response = http.get(ME)
    assert response.status_code == 200
    assert response.json()["name"] == user.username


def test_a_session_ends_when_idle_and_each_request_pushes_the_end_forward(settings, monkeypatch):
    settings.SESSION_COOKIE_AGE = 2
    monkeypatch.setattr(idle_sessions, "REFRESH_SECONDS", 0)  # slide on every request (default: once a minute)
    http = Client()
    http.force_login(UserFactory(role="agent"))
    assert http.get(ME).status_code == 200  # ends 2 s from now
    time.sleep(1.4)
    assert http.get(ME).status_code == 200  # pushes the end to 2 s from now
    time.sleep(1.4)  # past the end the first request set
    assert http.get(ME).status_code == 200
    time.sleep(2.5)  # idle for longer than SESSION_COOKIE_AGE
    assert http.get(ME).status_code in (401, 403)


def test_a_request_saves_the_session_at_most_once_a_minute(user_with_role):
    http, _user = user_with_role("agent")
    with CaptureQueriesContext(connection) as first:
        assert http.get(ME).status_code == 200  # the first since the log-in: pushes the end forward
    with CaptureQueriesContext(connection) as second:
        assert http.get(ME).status_code == 200
    assert (_session_writes(first), _session_writes(second)) == (1, 0)


def test_log_in_gives_a_new_session_key_and_log_out_ends_the_session():
    UserFactory(username="anna", is_staff=True, role="agent")
    http = Client()
    http.get("/admin/login/")
    http.session.save()
    before = http.session.session_key
    credentials = {"username": "anna", "password": PASSWORD}
    response = http.post("/admin/login/?next=/admin/", credentials, REMOTE_ADDR=OFFICE_IP)
    assert response.status_code == 302
    logged_in = http.cookies[settings.SESSION_COOKIE_NAME].value
    assert logged_in != before
    assert not SessionStore().exists(before)
    assert http.get(ME).status_code == 200

    http.post("/admin/logout/")
    assert http.get(ME).status_code in (401, 403)
    assert not SessionStore().exists(logged_in)
    replayed = Client()
    replayed.cookies[settings.SESSION_COOKIE_NAME] = logged_in  # the old cookie, kept elsewhere
    assert replayed.get(ME).status_code in (401, 403)


def test_a_disabled_account_ends_the_session(user_with_role):
    from django.contrib.auth import get_user_model

    http, user = user_with_role("agent")
    assert http.get(ME).status_code == 200
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert http.get(ME).status_code in (401, 403)


def test_a_request_without_a_session_starts_none():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
