"""Screen tests in a real browser: Debian's chromium driven by Playwright (never a downloaded browser),
against pytest-django's live server (or, for pages with a websocket, `asgi_live_server`), with axe-core
checking each page visited. They run in CI's PostgreSQL + Redis pass (and wherever DATABASE_URL points
at PostgreSQL)."""

import concurrent.futures
import os
import shutil
import socket
import threading
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from contactcentre import kennisbank
from contactcentre.registry.services import organisations_import
from lifeevents.services import kennisbank_import

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Quiet flags: this machine has no network but the package registries; without them chromium keeps
# trying to reach Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS = ("serious", "critical")

SKIP = pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which(CHROMIUM),
    reason="browser tests run on PostgreSQL with Debian's chromium (CI's second pass)",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(SKIP)


@pytest.fixture(scope="module")
def browser():
    """One chromium per module: Playwright's sync API keeps an event loop in this thread while it runs,
    which the async tests that come later (websockets) must not find."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls between page
    # actions are still plain synchronous calls. Only while the browser runs: `check --deploy` in a
    # later test's subprocess must not see it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield instance
            instance.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


class AsgiLiveServer:
    """The project's ASGI application (HTTP, static files and websockets) served by uvicorn in a thread
    of this process, on one free port for its whole life; stop() and start() again drop and restore
    every connection (a server that went away and came back)."""

    def __init__(self):
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

        from contactcentre.asgi import application

        self.app = ASGIStaticFilesHandler(application)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = None

    def start(self) -> None:
        import uvicorn

        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="asgi-live-server", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "the ASGI live server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def elsewhere(function, /, **kwargs):
    """`function(**kwargs)` run and committed in a thread of its own, as a door or another screen would
    (a request of another process): Playwright's event loop in the test's thread makes realtime's
    publishing after commit impossible there. Returns what it returns, raises what it raises."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(function, **kwargs).result()
        finally:
            pool.submit(connections.close_all).result()


@pytest.fixture
def asgi_live_server(transactional_db):
    """Like pytest-django's live_server (`.url`, the test database, committed data), but serving the
    ASGI application, so pages can open their websockets (live_server speaks WSGI only). Requested by a
    test, it is also the server the `page` (and so `staff_page`) fixture browses. Its requests' database
    connections close when each request ends (CONN_MAX_AGE 0 meanwhile), so none outlives the test."""
    database = connections.settings[DEFAULT_DB_ALIAS]  # the dict every new connection is made from
    kept = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    server = AsgiLiveServer()
    server.start()
    yield server
    server.stop()
    database["CONN_MAX_AGE"] = kept


@pytest.fixture
def page(browser, request):
    server_name = "asgi_live_server" if "asgi_live_server" in request.fixturenames else "live_server"
    server = request.getfixturevalue(server_name)
    context = browser.new_context(base_url=server.url, locale="nl-NL")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def knowledge(transactional_db):
    """The shipped kennisbank, committed so the live server sees it (the test's flush removes it)."""
    organisations_import(rows=kennisbank.load("organisations"))
    kennisbank_import(directory=kennisbank.KENNISBANK_DIR)


def assert_accessible(page) -> None:
    """axe-core on the page as it is now: no serious or critical WCAG violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]
    assert bad == [], f"{page.url}: {bad}"


STAFF_PASSWORD = "browser-test-wachtwoord"


@pytest.fixture
def staff_page(page, transactional_db):
    """`staff_page(role, username=...)`: the page, signed in through the staff sign-in form as a new
    user holding `role` (the groups are synced first, so the role has its permissions)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from contactcentre.api import roles

    def sign_in(role: str, *, username: str | None = None):
        roles.roles_sync()
        user = get_user_model().objects.create_user(username=username or role, password=STAFF_PASSWORD)
        user.groups.set([Group.objects.get(name=role)])
        page.goto("/aanmelden/")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_url("**/medewerker/")
        return page

    return sign_in
