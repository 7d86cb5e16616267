"""One ASGI application serves websockets too: origin checked, session required."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections

from contactcentre.asgi import application
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_connections_of_the_sync_thread():
    """sync_to_async runs the ORM in its own thread, whose persistent connection would outlive the
    test and keep the test database from being dropped."""
    yield
    await sync_to_async(connections.close_all)()


async def _session_cookie(user) -> bytes:
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    def make():
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        return session.session_key

    key = await sync_to_async(make)()
    return f"{settings.SESSION_COOKIE_NAME}={key}".encode()


def _communicator(headers):
    return WebsocketCommunicator(application, "/ws/ping/", headers=headers)


async def test_logged_in_staff_gets_pong():
    user = await sync_to_async(UserFactory)(role="agent")
    cookie = await _session_cookie(user)
    communicator = _communicator([(b"origin", b"http://127.0.0.1:8000"), (b"cookie", cookie)])
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()


async def test_anonymous_socket_is_closed():
    communicator = _communicator([(b"origin", b"http://127.0.0.1:8000")])
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4401


async def test_foreign_origin_is_refused_even_with_a_session():
    user = await sync_to_async(UserFactory)(role="agent")
    cookie = await _session_cookie(user)
    communicator = _communicator([(b"origin", b"https://evil.example"), (b"cookie", cookie)])
    connected, _ = await communicator.connect()
    assert not connected
