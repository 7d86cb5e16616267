"""Sessions in Redis slide their idle expiry on every read and are written only when they change
(contactcentre/api/sessions.py); without Redis they are saved on every request."""

import pytest
from django.conf import settings
from django.core.cache import cache

from contactcentre.api.sessions import SessionStore
from tests.api.redis_commands import commands_sent

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
    with commands_sent(cache._cache.get_client(write=True)) as sent:
        response = http.get("/api/v1/case-types")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert [args[0] for args in sent if args[1:2] == (session_key,)] == ["GETEX"]  # read, never written
    assert SessionStore(key).get("_auth_user_id") == str(_user.pk)


def test_the_login_cookie_lasts_as_long_as_the_browser():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and not settings.SESSION_SAVE_EVERY_REQUEST


def test_a_session_and_its_user_s_permissions_are_read_in_one_round_trip(user_with_role):
    """The first request of a session in this process reads the session, then the user's permission
    entry; from the next one on the session read brings the entry: one command for both."""
    http, user = user_with_role("agent")
    assert http.get("/api/v1/case-types").status_code == 200  # this process learns the session's user
    with commands_sent(cache._cache.get_client(write=True)) as sent:
        assert http.get("/api/v1/case-types").status_code == 200
    entry = cache.make_and_validate_key(f"auth:perms:user:{user.pk}")
    assert [args[0] for args in sent] == ["EVALSHA"]
    assert entry in sent[0]  # the entry was one of the keys it read


@pytest.mark.urls("tests.api.urls")
def test_a_session_read_with_another_user_s_entry_brings_nothing_for_the_wrong_user(user_with_role):
    """Should this process hold a wrong user for a session, the entry read with it is not used: the
    request is the session's own user's, with that user's permissions."""
    from contactcentre.api import sessions

    agent_http, agent = user_with_role("agent")
    admin_http, admin = user_with_role("functional_admin")
    new_organisation = {"code": "x", "name": "X"}
    assert admin_http.post("/api/v1/_test/organisations", new_organisation, format="json").status_code == 201
    key = agent_http.cookies[settings.SESSION_COOKIE_NAME].value
    sessions._users_by_session[key] = admin.pk  # the admin's entry is read with the agent's session
    try:
        assert agent_http.get("/api/v1/me").json()["name"] == agent.username
        assert agent_http.post("/api/v1/_test/organisations", new_organisation, format="json").status_code == 403
    finally:
        sessions._users_by_session.pop(key, None)
