"""Sessions in Redis slide their idle expiry on every read and are written only when they change
(contactcentre/api/sessions.py); without Redis they are saved on every request."""

import pytest
from django.conf import settings
from django.core.cache import cache

from contactcentre.api.sessions import SessionStore

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(settings.SESSION_ENGINE != "contactcentre.api.sessions", reason="sessions in Redis only"),
]


def _ttl(store) -> int:
    client = cache._cache.get_client(write=True)
    return client.ttl(cache.make_and_validate_key(store.cache_key))


def test_reading_a_session_pushes_its_idle_expiry_and_an_expired_one_is_gone():
    store = SessionStore()
    store["k"] = "v"
    store.create()
    client = cache._cache.get_client(write=True)
    client.expire(cache.make_and_validate_key(store.cache_key), 5)  # nearly idle for too long
    again = SessionStore(store.session_key)
    assert again["k"] == "v"
    assert settings.SESSION_COOKIE_AGE - 2 <= _ttl(store) <= settings.SESSION_COOKIE_AGE
    client.delete(cache.make_and_validate_key(store.cache_key))  # expired
    gone = SessionStore(store.session_key)
    assert gone.get("k") is None and gone.session_key is None


def test_an_api_request_writes_no_session_and_sets_no_cookie(user_with_role):
    http, _user = user_with_role("agent")
    key = http.cookies[settings.SESSION_COOKIE_NAME].value
    session_key = cache.make_and_validate_key(SessionStore(key).cache_key)
    client = cache._cache.get_client(write=True)
    sent = []
    original = client.execute_command
    client.execute_command = lambda *args, **kwargs: sent.append(args[:2]) or original(*args, **kwargs)
    try:
        response = http.get("/api/v1/case-types")
    finally:
        del client.execute_command
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert [command for command, name in sent if name == session_key] == ["GETEX"]  # read, never written
    assert SessionStore(key).get("_auth_user_id") == str(_user.pk)


def test_the_login_cookie_lasts_as_long_as_the_browser():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and not settings.SESSION_SAVE_EVERY_REQUEST
