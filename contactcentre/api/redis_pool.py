"""Redis connections that give up quickly: connect and read timeouts, no retries, and a short pause after
a failure.

Every Redis client of a web process (the Django cache, the attempt counters) takes its connections from
a `FailFastConnectionPool` (redis-py's public `ConnectionPool`, named by the cache's OPTIONS
`pool_class`). Its connections carry REDIS_CONNECT_TIMEOUT and REDIS_SOCKET_TIMEOUT and are not
retried. When opening a connection to a server fails (refused, or no answer within the timeouts), every
pool of the process to that server fails at once for REDIS_FAILURE_PAUSE_SECONDS instead of waiting
again: a request that would ask Redis several times (session, permissions, throttle) then waits for it
once, not once per question. The first connection after the pause tries the server again.

A server that falls silent under an open connection costs that connection one read timeout; the
connection is then dropped and reopening it fails fast as above.
"""

from __future__ import annotations

import threading
import time

import redis
from django.conf import settings
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

_lock = threading.Lock()
_failed_until: dict[tuple, float] = {}  # (host, port, unix path, db) -> monotonic time the pause ends


class FailFastConnectionPool(redis.ConnectionPool):
    """redis-py's ConnectionPool that fails at once for `failure_pause` seconds after it or another pool
    of this process could not open a connection to the same server."""

    def __init__(self, *args, failure_pause: float = 1.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.failure_pause = failure_pause
        kw = self.connection_kwargs
        self.server = (kw.get("host"), kw.get("port"), kw.get("path"), kw.get("db"))

    def get_connection(self, *args, **kwargs):
        if self.failure_pause and time.monotonic() < _failed_until.get(self.server, 0.0):
            raise RedisConnectionError("Redis unavailable (a connection failed moments ago)")
        try:
            return super().get_connection(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError):
            if self.failure_pause:
                with _lock:
                    _failed_until[self.server] = time.monotonic() + self.failure_pause
            raise


def redis_pool_options() -> dict:
    """The connection options of every Redis client of a web process, from the settings."""
    return {
        "socket_timeout": settings.REDIS_SOCKET_TIMEOUT,
        "socket_connect_timeout": settings.REDIS_CONNECT_TIMEOUT,
        "failure_pause": settings.REDIS_FAILURE_PAUSE_SECONDS,
    }


def redis_client(url: str) -> redis.Redis:
    """A redis-py client on a fail-fast pool of its own (no retries: the pool's connections have none)."""
    return redis.Redis(connection_pool=FailFastConnectionPool.from_url(url, **redis_pool_options()))
