"""Sessions in Redis whose idle expiry slides on every read, so a request writes nothing.

Django's cache sessions with SESSION_SAVE_EVERY_REQUEST re-serialise, sign and SET the whole session on
every request just to push its expiry forward. Here reading the session pushes it (Redis GETEX: read
and expire in one command) and a session is written only when it changed. The cookie is a browser
session cookie (SESSION_EXPIRE_AT_BROWSER_CLOSE): the server alone decides when an idle session ends,
SESSION_COOKIE_AGE seconds after its last request. Per-session expiries (set_expiry) are not used here.
"""

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore


class SessionStore(CacheSessionStore):
    def load(self):
        try:
            data = self._cache.get_and_touch(self.cache_key, settings.SESSION_COOKIE_AGE)
        except Exception:  # noqa: BLE001 - as Django's own cache store: an unreadable key is no session
            data = None
        if data is not None:
            return data
        self._session_key = None
        return {}

    async def aload(self):
        return await sync_to_async(self.load)()
