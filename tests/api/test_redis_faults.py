"""Redis down or silent (issue 15).

In process, with the cache pointed at a port that refuses (both CI passes): sessions and permissions fall
back to the database, throttles and attempt counters refuse with a 503 and Retry-After.

Integration (CI's PostgreSQL + Redis pass): the real app (gunicorn, the real settings) against a Redis
that accepts connections and never answers, and against a redis-server that was stopped under it. No
answer is a 500 or a hang (each within 1.5 s, also with more requests in flight than the server has
threads), /healthz answers 200, /readyz 503, the throttled and attempt-limited endpoints refuse with a
503 problem+json carrying Retry-After, and a signed-in agent stays signed in (sessions from the database,
permissions from the database). Each fault prints its figures: requests sent, answers by status, slowest.
"""

import collections
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.db import connection
from django.test import Client, override_settings

from contactcentre.api import attempt_limits
from contactcentre.api.resilient_sessions import SessionStore
from contactcentre.errors import ServiceUnavailable
from contactcentre.interactions.services import contact_moment_record
from contactcentre.principal import SYSTEM
from tests.casemanagement.factories import PersonFactory, make_case
from tests.factories import UserFactory
from tests.integration.conftest import needs_services, wait_until

ROOT = Path(__file__).resolve().parents[2]
SLOWEST_ALLOWED = 1.5  # seconds, client side, queueing for a server thread included
CSRF = "F" * 32  # any 32-character secret: the cookie and the header agree
THROTTLED = ("search", "life-events", "case-lookup")
REFUSING = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused
REFUSING_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REFUSING,
        "OPTIONS": {
            "pool_class": "contactcentre.api.redis_pool.FailFastConnectionPool",
            "socket_timeout": 0.5,
            "socket_connect_timeout": 0.5,
        },
    }
}


@pytest.fixture
def refused_cache():
    """The cache (and the attempt counters) on a Redis that refuses connections."""
    with override_settings(CACHES=REFUSING_CACHE, REDIS_URL=REFUSING):
        attempt_limits._scripts.cache_clear()  # its client is made once per process, for the URL of then
        yield
    attempt_limits._scripts.cache_clear()


@pytest.mark.django_db
def test_a_session_is_read_and_ended_from_the_database_while_the_cache_refuses(refused_cache):
    kept = DBStore()
    kept["name"] = "value"
    kept.create()

    store = SessionStore(kept.session_key)
    assert store.load() == {"name": "value"}
    assert store.exists(kept.session_key)
    fresh = SessionStore()
    fresh["other"] = 1
    fresh.create()  # a log-in makes a new session: asks exists() for its new key
    assert DBStore(fresh.session_key).load() == {"other": 1}
    store.delete()
    assert not DBStore().exists(kept.session_key)


@pytest.mark.django_db
def test_permissions_come_from_the_database_while_the_cache_refuses(refused_cache):
    agent = UserFactory(role="agent")
    allowed = agent.groups.get().permissions.select_related("content_type").first()
    assert agent.has_perm(f"{allowed.content_type.app_label}.{allowed.codename}")
    refused = Permission.objects.exclude(group__user=agent).select_related("content_type").first()
    assert not agent.has_perm(f"{refused.content_type.app_label}.{refused.codename}")


@pytest.mark.django_db
def test_a_throttled_endpoint_refuses_with_503_and_retry_after_while_the_cache_refuses(refused_cache, api):
    started = time.monotonic()
    response = api.get("/api/v1/life-events/")
    assert time.monotonic() - started < 1
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "service_unavailable"
    assert int(response["Retry-After"]) > 0


def test_attempt_counters_refuse_while_redis_refuses(refused_cache):
    with pytest.raises(ServiceUnavailable):
        attempt_limits.slot_reserve("ref", guard_key="caller", limit=5, guard_limit=20, timeout=60)
    with pytest.raises(ServiceUnavailable):
        attempt_limits.counter_add("caller", 1, timeout=60)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_redis():
    """A TCP listener that accepts every connection and never answers (a hung Redis)."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(256)
    server.settimeout(0.2)
    held, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for sock in held:
        sock.close()
    server.close()


@pytest.fixture
def redis_server():
    """A redis-server of this test's own on a free port (no persistence); `.stop()` ends it."""
    if not shutil.which("redis-server"):
        pytest.skip("needs the redis-server binary")
    port = _free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def answers() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    assert wait_until(answers, timeout=10, interval=0.05), "redis-server did not start"

    def stop():
        process.terminate()
        process.wait(timeout=10)

    process.url = f"redis://127.0.0.1:{port}/0"
    process.stop = stop
    yield process
    if process.poll() is None:
        stop()


@pytest.fixture
def serve(transactional_db):
    """`serve(redis_url)` -> the base URL of the app under stock gunicorn (gthread, one worker of four
    threads) on the test database, with REDIS_URL pointing where the test says."""
    started = []

    def start(redis_url: str) -> str:
        db = connection.settings_dict
        port = _free_port()
        env = os.environ | {
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": redis_url,
            "LOG_LEVEL": "ERROR",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "contactcentre.wsgi:application", "--worker-class", "gthread",
             "--workers", "1", "--threads", "4", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        started.append(server)
        base = f"http://127.0.0.1:{port}"
        assert wait_until(lambda: _get_status(base + "/healthz") == 200, timeout=30), "gunicorn did not start"
        return base

    yield start
    for server in started:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _get_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@pytest.fixture
def scene(transactional_db):
    """A signed-in agent (a session cookie), a person with a contact at hand, and a case to look up."""
    agent = UserFactory(role="agent")
    person = PersonFactory()
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=person, assurance="substantial")
    case = make_case(party=person)
    browser = Client()
    browser.force_login(agent)
    return {
        "session": browser.cookies["sessionid"].value,
        "customer_view": f"/api/v1/parties/{person.pk}/customer-view?purpose=contact&purpose_reference={contact.pk}",
        "case_reference": case.reference,
    }


def _requests(scene) -> dict[str, tuple[str, str, dict | None, bool]]:
    """name -> (method, path, JSON body, signed in)."""
    wrong_postcode = {"reference": scene["case_reference"], "postcode_digits": "0000"}
    return {
        "healthz": ("GET", "/healthz", None, False),
        "readyz": ("GET", "/readyz", None, False),
        "search": ("GET", "/api/v1/kennisbank/search/?q=verhuizen", None, False),
        "life-events": ("GET", "/api/v1/life-events/", None, False),
        "case-lookup": ("POST", "/api/v1/cases/lookup", wrong_postcode, True),
        "customer-view": ("GET", scene["customer_view"], None, True),
    }


def _send(base: str, scene, name: str, method: str, path: str, body, signed_in: bool) -> dict:
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if signed_in:
        headers["Cookie"] = f"sessionid={scene['session']}; csrftoken={CSRF}"
        headers["X-CSRFToken"] = CSRF
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            status, answer_headers, content = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, content = error.code, error.headers, error.read()
    except OSError as error:  # no answer within 5 s: a hang
        status, answer_headers, content = f"no answer ({type(error).__name__})", {}, b""
    return {
        "name": name,
        "status": status,
        "seconds": time.monotonic() - started,
        "content_type": answer_headers.get("Content-Type", ""),
        "retry_after": answer_headers.get("Retry-After"),
        "body": content,
    }


def _storm(base: str, scene, *, rounds: int = 4, in_flight: int = 8) -> list[dict]:
    """Every request `rounds` times, `in_flight` at once (twice the server's threads)."""
    calls = [(name, *spec) for _ in range(rounds) for name, spec in _requests(scene).items()]
    with ThreadPoolExecutor(max_workers=in_flight) as pool:
        return list(pool.map(lambda call: _send(base, scene, *call), calls))


def _report(fault: str, answers: list[dict]) -> None:
    by_status = collections.Counter(str(answer["status"]) for answer in answers)
    slowest = max(answers, key=lambda answer: answer["seconds"])
    per_request = collections.defaultdict(collections.Counter)
    for answer in answers:
        per_request[answer["name"]][str(answer["status"])] += 1
    print(f"\n[{fault}] requests sent: {len(answers)}; answers by status: {dict(sorted(by_status.items()))}; "
          f"slowest: {slowest['seconds']:.3f} s ({slowest['name']})")  # fmt: skip
    for name, statuses in per_request.items():
        seconds = max(answer["seconds"] for answer in answers if answer["name"] == name)
        print(f"[{fault}]   {name:14} {dict(statuses)}  slowest {seconds:.3f} s")


def _assert_degraded_but_answering(answers: list[dict]) -> None:
    for answer in answers:
        assert isinstance(answer["status"], int), answer
        assert answer["status"] != 500, answer
        assert answer["seconds"] < SLOWEST_ALLOWED, answer
    for answer in answers:
        name, status = answer["name"], answer["status"]
        if name == "healthz":
            assert status == 200, answer
        elif name == "readyz":
            assert status == 503 and json.loads(answer["body"])["checks"]["redis"] == "error", answer
        elif name in THROTTLED:
            assert status == 503, answer
            assert answer["content_type"].startswith("application/problem+json"), answer
            assert json.loads(answer["body"])["code"] == "service_unavailable", answer
            assert answer["retry_after"] and int(answer["retry_after"]) > 0, answer
        elif name == "customer-view":
            assert status == 200, answer  # still signed in: the session and permissions from the database


@pytest.mark.integration
@needs_services()
def test_a_silent_redis_neither_hangs_nor_breaks_the_app(serve, silent_redis, scene):
    base = serve(silent_redis)
    answers = _storm(base, scene)
    _report("silent Redis (accepts, never answers)", answers)
    _assert_degraded_but_answering(answers)


@pytest.mark.integration
@needs_services()
def test_a_stopped_redis_gives_503s_and_keeps_the_agent_signed_in(serve, redis_server, scene):
    base = serve(redis_server.url)
    before = _send(base, scene, "customer-view", "GET", scene["customer_view"], None, True)
    assert before["status"] == 200, before  # signed in, with the session now in Redis too
    lookup = _requests(scene)["case-lookup"]
    assert _send(base, scene, "case-lookup", *lookup)["status"] == 404  # a wrong postcode: counted, not found

    redis_server.stop()
    answers = _storm(base, scene)
    _report("stopped Redis (connection refused)", answers)
    _assert_degraded_but_answering(answers)


@pytest.mark.django_db
def test_the_knowledge_search_inside_a_contact_answers_while_the_cache_refuses(refused_cache, kb):
    from lifeevents.search import search_articles
    from lifeevents.search.index import index_invalidate

    index_invalidate()  # an article changed meanwhile: no error either
    hits = search_articles("ik ga verhuizen, hoe geef ik mijn nieuwe adres door", limit=3)
    assert hits and all(hit.article.status == "published" for hit in hits)


@pytest.mark.django_db
def test_a_staff_page_refused_for_now_says_so_with_503_and_retry_after(refused_cache, client):
    """A contact that is not the clerk's own is a wrong purpose, which must be counted; with the cache
    refusing it cannot be, so the read is refused for now (never waved through): a page, not a 500."""
    agent = UserFactory(role="agent")
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=PersonFactory(), agent=agent)
    client.force_login(UserFactory(role="counter_clerk"))

    response = client.get(f"/medewerker/contacten/{contact.pk}/")

    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert "De dienst is tijdelijk niet beschikbaar." in response.content.decode()
