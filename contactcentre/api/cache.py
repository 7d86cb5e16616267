"""Django's Redis cache with one client object per connection pool instead of one per operation, and
counters changed in one round trip.

`django.core.cache.backends.redis.RedisCacheClient.get_client()` builds a new `redis.Redis` for every
cache call; redis-py's constructor is costly (about 0.1 ms here), and a request makes several calls
(session read and save, permissions, attempt counters). A `redis.Redis` is safe to share between
threads (every command takes a connection from the pool), so one per pool is enough.

Django's `incr` (and `decr`, which calls it) asks EXISTS and then INCRBY: two round trips, and the key
can expire between them (INCRBY would then start a counter without an expiry). A server-side script
does both at once, with the same contract: a missing key raises ValueError.

`get_and_touch` reads a value and sets a new expiry in one command (GETEX), for sessions whose idle
expiry slides (contactcentre/api/sessions.py); `get_and_touch_with` reads other keys in the same
round trip (a session with its user's permission entry).

Attempt counters (`counter_add`, `slot_reserve`, `slot_release`) count in a window that starts at the
first count. `slot_reserve` takes a slot on a counter unless a guard counter or the counter itself is
at its limit: in Redis one script (one round trip, atomic), on other caches the same steps one by one.
"""

import contextlib

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

_INCR_EXISTING = (
    "if redis.call('EXISTS', KEYS[1]) == 0 then return false end return redis.call('INCRBY', KEYS[1], ARGV[1])"
)
# KEYS: the counter, its guard; ARGV: the limit, the window in seconds. 1 = reserved, 0 = refused.
# Counters hold plain integers (Django's Redis serializer does not pickle ints).
_RESERVE_SLOT = """
local limit = tonumber(ARGV[1])
if (tonumber(redis.call('GET', KEYS[2]) or '0') or 0) >= limit then return 0 end
local taken = redis.call('INCR', KEYS[1])
if taken == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if taken > limit then redis.call('DECR', KEYS[1]) return 0 end
return 1
"""

# KEYS: the value to touch, then the others to read with it; ARGV: the new expiry in seconds. A missing
# key is false in the table, which Redis answers as nil without ending the list there.
_GET_AND_TOUCH_WITH = """
local found = {redis.call('GETEX', KEYS[1], 'EX', ARGV[1])}
for i = 2, #KEYS do found[i] = redis.call('GET', KEYS[i]) end
return found
"""


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client

    def _script(self, client, source: str):
        script = self._scripts.get((client, source))
        if script is None:
            script = self._scripts.setdefault((client, source), client.register_script(source))
        return script

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        value = self._script(client, _INCR_EXISTING)(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def slot_reserve(self, key, guard_key, limit: int, timeout: int) -> bool:
        client = self.get_client(key, write=True)
        return bool(self._script(client, _RESERVE_SLOT)(keys=[key, guard_key], args=[limit, timeout]))

    def get_and_touch(self, key, timeout):
        value = self.get_client(key, write=True).getex(key, ex=timeout)
        return None if value is None else self._serializer.loads(value)

    def get_and_touch_with(self, key, timeout, others):
        client = self.get_client(key, write=True)
        found = self._script(client, _GET_AND_TOUCH_WITH)(keys=[key, *others], args=[timeout])
        return [None if value is None else self._serializer.loads(value) for value in found]


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def get_and_touch(self, key, timeout, version=None):
        """The value (or None), its expiry now `timeout` seconds from now."""
        return self._cache.get_and_touch(self.make_and_validate_key(key, version=version), timeout)

    def get_and_touch_with(self, key, timeout, others, version=None) -> tuple:
        """`get_and_touch(key)` and the values of the keys `others` (None where missing), in one round
        trip: (value, [values of others])."""
        value, *found = self._cache.get_and_touch_with(
            self.make_and_validate_key(key, version=version),
            timeout,
            [self.make_and_validate_key(other, version=version) for other in others],
        )
        return value, found

    def slot_reserve(self, key, *, guard_key, limit: int, timeout: int, version=None) -> bool:
        return self._cache.slot_reserve(
            self.make_and_validate_key(key, version=version),
            self.make_and_validate_key(guard_key, version=version),
            limit,
            timeout,
        )


def counter_add(key: str, delta: int, *, timeout: int) -> int:
    """Add to a counter; a missing (or just expired) one starts its window of `timeout` seconds now."""
    cache = caches["default"]
    try:
        return cache.incr(key, delta)
    except ValueError:
        if cache.add(key, delta, timeout=timeout):
            return delta
        return cache.incr(key, delta)


def slot_reserve(key: str, *, guard_key: str, limit: int, timeout: int) -> bool:
    """Take a slot on counter `key` (its window starting at the first) unless counter `guard_key` or
    `key` itself has reached `limit`; False when refused (nothing is then counted)."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        return cache.slot_reserve(key, guard_key=guard_key, limit=limit, timeout=timeout)
    # Other caches (local memory in development and tests): the same steps, not atomic.
    if (cache.get(guard_key) or 0) >= limit:
        return False
    if counter_add(key, 1, timeout=timeout) > limit:
        slot_release(key)
        return False
    return True


def slot_release(key: str) -> None:
    """Give a slot back (a counter that expired meanwhile has nothing to give back)."""
    with contextlib.suppress(ValueError):
        caches["default"].decr(key)
