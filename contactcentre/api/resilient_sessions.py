"""Django's cached_db sessions that outlive a Redis outage: staff stay signed in while the cache is down.

Django's cached_db store already treats a failed cache read as a miss and a failed cache write in
`save()` as harmless (it logs it), but after a miss it writes the session read from the database back to
the cache without catching an error, and `exists()` (asked when a session is created, so at every log-in)
and `delete()` (log-out) ask the cache unguarded: with Redis down every signed-in request would fail.
Here a cache error (redis-py's RedisError: refused, timed out) is a miss on read, the database answers,
and a delete that cannot reach the cache is skipped with a warning (no session key, no data); `save()`
is Django's own (the database row, then the cache, a failure there logged by Django).

A session deleted (log-out) or changed while Redis could not be reached keeps its old copy in the cache
if Redis comes back with its data; that copy ends with the session's expiry (SESSION_IDLE_SECONDS).
"""

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _warn(step: str, exc: Exception) -> None:
    logger.warning("session cache unavailable on %s (%s): using the database", step, type(exc).__name__)


class SessionStore(CachedDBStore):
    def load(self):
        try:
            return super().load()
        except RedisError as exc:
            _warn("load", exc)
            return DBStore.load(self)

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except RedisError as exc:
            _warn("exists", exc)
            return DBStore.exists(self, session_key)

    def delete(self, session_key=None):
        try:
            super().delete(session_key)  # the database row first, then the cached copy
        except RedisError as exc:
            _warn("delete", exc)
