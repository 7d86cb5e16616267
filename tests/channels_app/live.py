"""Helpers of the live websocket tests: a signed-in socket on the real ASGI application."""

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from contactcentre.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@sync_to_async
def sign_in(user) -> bytes:
    """The session cookie of `user` signed in through Django's log-in (a new session id)."""
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


def socket(path: str, cookie: bytes | None = None, origin: tuple | None = ORIGIN) -> WebsocketCommunicator:
    headers = ([origin] if origin else []) + ([(b"cookie", cookie)] if cookie else [])
    return WebsocketCommunicator(application, path, headers=headers)


async def connected(path: str, user) -> WebsocketCommunicator:
    communicator = socket(path, await sign_in(user))
    accepted, code = await communicator.connect()
    assert accepted, code
    return communicator


async def refused(communicator: WebsocketCommunicator) -> int | None:
    """The close code of a socket that must not be let in (None: refused before any consumer ran)."""
    accepted, code = await communicator.connect()
    assert not accepted
    return code
