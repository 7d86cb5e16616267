"""Attempt counters for lock-outs (wrong guesses at a case lookup), each counting in a window that
starts at its first count.

`slot_reserve` takes a slot on a counter unless a guard counter or the counter itself has reached the
limit, `slot_release` gives a slot back, `counter_add` counts. With REDIS_URL each is one script on the
Redis server (atomic, one round trip: parallel guesses in any number of processes cannot slip past a
limit together), sent by a redis-py client of this module's own, made once per process, with the
settings' Redis timeouts (contactcentre/api/redis_pool.py). A Redis that is down or silent refuses the
step with ServiceUnavailable (a 503), never waves it through. The counters
live under the default cache's keys (its key prefix and version; Django's Redis cache keeps integers
as plain numbers), so the cache API reads, deletes and clears them too. Without REDIS_URL the same
steps run one by one on the default cache (local memory: one process, not atomic across processes).
"""

import contextlib
import functools
import logging
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext as _
from redis.commands.core import Script
from redis.exceptions import RedisError

from contactcentre.api.redis_pool import redis_client
from contactcentre.errors import ServiceUnavailable

logger = logging.getLogger(__name__)

# KEYS: the counter; ARGV: the amount, the window in seconds. A counter without expiry is a new one.
_ADD = """
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('TTL', KEYS[1]) == -1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return total
"""
# KEYS: the counter, its guard; ARGV: the limit, the window in seconds, the guard's limit.
# 1 = reserved, 0 = refused.
_RESERVE = """
local limit = tonumber(ARGV[1])
if (tonumber(redis.call('GET', KEYS[2]) or '0') or 0) >= tonumber(ARGV[3]) then return 0 end
local taken = redis.call('INCR', KEYS[1])
if redis.call('TTL', KEYS[1]) == -1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if taken > limit then redis.call('DECR', KEYS[1]) return 0 end
return 1
"""
# KEYS: the counter. One that expired meanwhile has nothing to give back (and is not made anew).
_RELEASE = """
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECR', KEYS[1]) end
return 0
"""


class _Scripts(NamedTuple):
    add: Script
    reserve: Script
    release: Script


@functools.cache
def _scripts() -> _Scripts:
    client = redis_client(settings.REDIS_URL)
    return _Scripts(client.register_script(_ADD), client.register_script(_RESERVE), client.register_script(_RELEASE))


@contextlib.contextmanager
def _redis_or_unavailable():
    """Redis down or silent: the step is refused (503), never waved through."""
    try:
        yield
    except RedisError as exc:
        logger.warning("attempt counter unavailable (%s): refused", type(exc).__name__)
        raise ServiceUnavailable(_("De dienst is tijdelijk niet beschikbaar. Probeer het later opnieuw.")) from exc


def _redis_key(key: str) -> str:
    return caches["default"].make_key(key)


def counter_add(key: str, delta: int, *, timeout: int) -> int:
    """Add to a counter; a missing (or just expired) one starts its window of `timeout` seconds now."""
    if settings.REDIS_URL:
        with _redis_or_unavailable():
            return int(_scripts().add(keys=[_redis_key(key)], args=[delta, timeout]))
    cache = caches["default"]
    try:
        return cache.incr(key, delta)
    except ValueError:
        if cache.add(key, delta, timeout=timeout):
            return delta
        return cache.incr(key, delta)


def attempt_over_limit(key: str, *, limit: int, timeout: int) -> bool:
    """Count one attempt on `key`; True when its window (of `timeout` seconds from the first) now holds
    more than `limit` (the caller refuses this one)."""
    return counter_add(key, 1, timeout=timeout) > limit


def slot_reserve(key: str, *, guard_key: str, limit: int, guard_limit: int, timeout: int) -> bool:
    """Take a slot on counter `key` (its window starting at the first) unless `key` has reached `limit`
    or counter `guard_key` has reached `guard_limit`; False when refused (nothing is then counted)."""
    if settings.REDIS_URL:
        with _redis_or_unavailable():
            keys = [_redis_key(key), _redis_key(guard_key)]
            return bool(_scripts().reserve(keys=keys, args=[limit, timeout, guard_limit]))
    if (caches["default"].get(guard_key) or 0) >= guard_limit:
        return False
    if counter_add(key, 1, timeout=timeout) > limit:
        slot_release(key)
        return False
    return True


def slot_release(key: str) -> None:
    """Give a slot back (a counter that expired meanwhile has nothing to give back)."""
    if settings.REDIS_URL:
        with _redis_or_unavailable():
            _scripts().release(keys=[_redis_key(key)])
        return
    with contextlib.suppress(ValueError):
        caches["default"].decr(key)
