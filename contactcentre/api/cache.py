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
expiry slides (contactcentre/api/sessions.py).
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

_INCR_EXISTING = (
    "if redis.call('EXISTS', KEYS[1]) == 0 then return false end return redis.call('INCRBY', KEYS[1], ARGV[1])"
)


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._incr_scripts = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        script = self._incr_scripts.get(client)
        if script is None:
            script = self._incr_scripts.setdefault(client, client.register_script(_INCR_EXISTING))
        value = script(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def get_and_touch(self, key, timeout):
        value = self.get_client(key, write=True).getex(key, ex=timeout)
        return None if value is None else self._serializer.loads(value)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def get_and_touch(self, key, timeout, version=None):
        """The value (or None), its expiry now `timeout` seconds from now."""
        return self._cache.get_and_touch(self.make_and_validate_key(key, version=version), timeout)
