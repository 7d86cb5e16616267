"""The race harness of the PostgreSQL concurrency tests: deliveries released at the same moment."""

import threading
from contextlib import contextmanager
from unittest import mock

from django.db import connections


def at_once(work, workers: int, *, timeout: float = 60) -> list:
    """Call `work(n)` for n in range(workers), each in its own thread, all released together by a
    barrier; each thread closes its database connections. The results, in completion order; any
    error fails the test."""
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def run(n):
        try:
            barrier.wait(timeout=10)
            results.append(work(n))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert errors == []
    return results


@contextmanager
def first_existence_check_misses(manager):
    """Each thread's first `manager.filter(...)` finds nothing, as when every delivery of one event
    arrives before any of them commits: only the database's unique constraint can stop the second."""
    local = threading.local()
    real_filter = manager.filter

    def every_first_check_misses(*args, **kwargs):
        qs = real_filter(*args, **kwargs)
        if not getattr(local, "checked", False):
            local.checked = True
            return qs.none()
        return qs

    with mock.patch.object(manager, "filter", side_effect=every_first_check_misses):
        yield
