"""The Redis cache backend reuses one redis-py client per connection pool (contactcentre/api/cache.py)."""

import os
import threading

import pytest

from contactcentre.api.cache import RedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)")


def test_one_client_for_every_call_and_every_thread_and_the_cache_still_works():
    backend = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-reused-client"})
    first = backend._cache.get_client(write=True)
    assert backend._cache.get_client() is first
    backend.set("k", {"a": 1}, 30)
    assert backend.get("k") == {"a": 1}
    backend.delete("n")
    assert backend.add("n", 0, 30)
    assert backend.incr("n", 1) == 1
    seen, errors = [], []

    def work(n):
        try:
            for i in range(20):
                backend.set(f"t{n}", i, 30)
                assert backend.get(f"t{n}") == i
            seen.append(backend._cache.get_client())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(client is first for client in seen)
    backend.delete_many(["k", "n", "t0", "t1", "t2", "t3"])
