"""The Redis cache backend reuses one redis-py client per connection pool (contactcentre/api/cache.py)."""

import os
import threading

import pytest

from contactcentre.api.cache import RedisCache
from tests.api.redis_commands import commands_sent

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


def test_incr_and_decr_are_one_round_trip_keep_the_expiry_and_refuse_a_missing_key():
    backend = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-incr"})
    backend.delete("counter")
    with pytest.raises(ValueError):
        backend.incr("counter", 1)
    assert backend.get("counter") is None  # the refused incr made no counter
    assert backend.add("counter", 1, 30)
    client = backend._cache.get_client(write=True)
    with commands_sent(client) as sent:
        assert backend.incr("counter", 2) == 3
        assert backend.decr("counter", 1) == 2
    assert [args[0] for args in sent] == ["EVALSHA", "EVALSHA"]
    assert 0 < client.ttl(backend.make_key("counter")) <= 30  # still the window add() started
    assert backend.get("counter") == 2
    backend.delete("counter")


def test_a_slot_is_reserved_in_one_round_trip_within_the_limits_of_the_counter_and_its_guard():
    backend = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-slot"})
    backend.delete_many(["ref", "caller"])
    backend.slot_reserve("warm-up", guard_key="caller", limit=2, timeout=5)  # the server loads the script
    client = backend._cache.get_client(write=True)
    with commands_sent(client) as sent:
        taken = [backend.slot_reserve("ref", guard_key="caller", limit=2, timeout=30) for _ in range(3)]
    assert taken == [True, True, False]
    assert [args[0] for args in sent] == ["EVALSHA", "EVALSHA", "EVALSHA"]
    assert backend.get("ref") == 2  # the refused third took nothing
    assert 0 < client.ttl(backend.make_key("ref")) <= 30  # the window started with the first slot
    backend.delete("ref")
    backend.set("caller", 2, 30)  # a guard at its limit refuses before counting
    assert backend.slot_reserve("ref", guard_key="caller", limit=2, timeout=30) is False
    assert backend.get("ref") is None
    backend.delete_many(["ref", "caller", "warm-up"])


def test_replies_are_parsed_by_hiredis():
    """redis-py takes hiredis (a dependency) when it is installed: replies parsed in C, not in Python."""
    from redis._parsers import _HiredisParser

    backend = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-hiredis"})
    backend.set("k", [1, "twee"], 30)
    connection = backend._cache.get_client(write=True).connection_pool.get_connection()
    try:
        assert isinstance(connection._parser, _HiredisParser)
    finally:
        backend._cache.get_client(write=True).connection_pool.release(connection)
    assert backend.get("k") == [1, "twee"]
