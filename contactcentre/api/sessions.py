"""Sessions in Redis whose idle expiry slides on every read, so a request writes nothing.

Django's cache sessions with SESSION_SAVE_EVERY_REQUEST re-serialise, sign and SET the whole session on
every request just to push its expiry forward. Here reading the session pushes it (Redis GETEX: read
and expire in one command) and a session is written only when it changed. The cookie is a browser
session cookie (SESSION_EXPIRE_AT_BROWSER_CLOSE): the server alone decides when an idle session ends,
SESSION_COOKIE_AGE seconds after its last request. Per-session expiries (set_expiry) are not used here.
"""

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore

from contactcentre.api.backends import keys_to_read_with_session, read_with_session

# Session key -> the user id it held when this process last read it, so the next read of that session
# brings the user's permission entry in the same round trip (contactcentre.api.backends): one Redis
# round trip a request instead of two. A session key belongs to one user for its life (logging in
# gives a new key); what was read is used only for the user the session names all the same.
_users_by_session: dict[str, int] = {}
_USERS_REMEMBERED = 10_000


class SessionStore(CacheSessionStore):
    def load(self):
        user_id = _users_by_session.get(self.session_key)
        found = None
        try:
            if user_id is None:
                data = self._cache.get_and_touch(self.cache_key, settings.SESSION_COOKIE_AGE)
            else:
                data, found = self._cache.get_and_touch_with(
                    self.cache_key, settings.SESSION_COOKIE_AGE, keys_to_read_with_session(user_id)
                )
        except Exception:  # noqa: BLE001 - as Django's own cache store: an unreadable key is no session
            data = None
        read_with_session(user_id, found)  # used only for that user
        if data is None:
            self._session_key = None
            return {}
        held = data.get(SESSION_KEY)
        if user_id is None and held is not None and held.isdigit():
            if len(_users_by_session) >= _USERS_REMEMBERED:
                _users_by_session.clear()
            _users_by_session[self.session_key] = int(held)
        return data

    async def aload(self):
        return await sync_to_async(self.load)()
