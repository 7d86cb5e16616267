"""The balanced gthread worker, in a real gunicorn: new connections go to the worker that holds the
fewest and has a free thread, and a connection still finds a worker when all are busy."""

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import parse_qs

import pytest

from tests.integration.conftest import ROOT, wait_until

pytestmark = pytest.mark.integration


def sleepy_app(environ, start_response):
    """Answers with its process id after sleeping ?ms= milliseconds (the GIL is free meanwhile)."""
    time.sleep(int(parse_qs(environ["QUERY_STRING"]).get("ms", ["0"])[0]) / 1000)
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        return _get(http.client.HTTPConnection("127.0.0.1", port, timeout=2), 0) is not None
    except OSError:
        return False


def _get(connection: http.client.HTTPConnection, ms: int) -> str:
    connection.request("GET", f"/?ms={ms}")
    return connection.getresponse().read().decode()


@pytest.fixture
def gunicorn(request):
    """gunicorn with the balanced worker: `gunicorn(workers, threads)` -> its port."""
    servers = []

    def start(workers: int, threads: int) -> int:
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "tests.integration.test_gunicorn_worker:sleepy_app",
             "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
             "--worker-class", "contactcentre.gunicorn_worker.BalancedThreadWorker", "--keep-alive", "30",
             "--log-level", "warning"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        servers.append(server)
        assert wait_until(lambda: _answers(port), timeout=20), "gunicorn did not start"
        # Every worker must be listening before the connections under test arrive.
        time.sleep(1)
        return port

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


def test_connections_that_arrive_together_are_shared_by_the_workers(gunicorn):
    """2 workers of 1 thread, 4 connections at once, each request 300 ms: a worker takes one, stops
    listening while it serves it, and takes the next when it is done. gunicorn's own gthread worker
    lets the first worker to wake take as many as it can accept."""
    port = gunicorn(workers=2, threads=1)
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(4)]
    pids: list[str] = []
    start = threading.Barrier(len(connections))

    def call(connection):
        start.wait()
        pids.append(_get(connection, 300))

    threads = [threading.Thread(target=call, args=(connection,)) for connection in connections]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(Counter(pids).values()) == [2, 2]


def _idle_connections(port: int, count: int) -> list[int]:
    """`count` connections that each make a request and stay open, one after another: how many of
    them each worker holds, fewest first."""
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(count)]
    pids = []
    for connection in connections:
        pids.append(_get(connection, 0))
        time.sleep(0.05)  # the answering worker has noted the connection as held
    return sorted(Counter(pids).values())


def test_connections_fill_a_worker_up_to_its_threads_first(gunicorn):
    """Four connections on three workers of two threads: two workers hold two each, the third none
    (spread over three they would cost more CPU a request on a machine with fewer cores)."""
    assert _idle_connections(gunicorn(workers=3, threads=2), 4) == [2, 2]


def test_once_every_worker_is_full_connections_spread_evenly(gunicorn):
    """Twelve connections on three workers of two threads: four each. gunicorn's own worker (and this
    one before the shared board) gave whichever worker woke first: 7/4/1 and 5/4/3 seen."""
    assert _idle_connections(gunicorn(workers=3, threads=2), 12) == [4, 4, 4]


def test_a_new_connection_is_served_while_every_thread_stays_busy(gunicorn):
    """One worker, one thread, two connections that keep it busy without pause: the worker never has
    a free thread, yet a third connection is taken (after the worker's patience) and answered."""
    port = gunicorn(workers=1, threads=1)
    stop = threading.Event()

    def keep_busy():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while not stop.is_set():
            _get(connection, 20)

    busy = [threading.Thread(target=keep_busy) for _ in range(2)]
    for thread in busy:
        thread.start()
    try:
        time.sleep(0.5)
        answered = []
        late = threading.Thread(target=lambda: answered.append(_get(http.client.HTTPConnection("127.0.0.1", port), 0)))
        late.start()
        late.join(timeout=3)
        assert answered, "the new connection was not served while the others kept the worker busy"
        assert busy[0].is_alive() and busy[1].is_alive()
    finally:
        stop.set()
        for thread in busy:
            thread.join(timeout=10)
