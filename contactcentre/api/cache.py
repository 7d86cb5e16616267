"""Django's Redis cache with one client object per connection pool instead of one per operation.

`django.core.cache.backends.redis.RedisCacheClient.get_client()` builds a new `redis.Redis` for every
cache call; redis-py's constructor is costly (about 0.1 ms here), and a request makes several calls
(session read and save, permissions, attempt counters). A `redis.Redis` is safe to share between
threads (every command takes a connection from the pool), so one per pool is enough.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
