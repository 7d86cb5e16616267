"""Websocket consumers: who may connect, which groups they join, and forwarding what the groups get.

Events are published after commit by the services (contactcentre.realtime); a consumer only checks
the caller, joins its groups and forwards each event as {"event": ..., "data": ...}. The origin is
checked before any consumer runs (AllowedHostsOriginValidator in contactcentre.asgi).

Close codes: 4401 no (longer a) signed-in staff member, 4403 signed in without the permission. A
socket is authorised when it connects, and again before it forwards an event once
WEBSOCKET_SESSION_CHECK_SECONDS have passed since the last check: a socket whose session ended
(log-out, idle expiry, a new password, the account disabled) or whose permission was taken away is
closed then, without that event, and its browser cannot connect again without signing in.
"""

import asyncio
import json
import time
from importlib import import_module
from types import SimpleNamespace

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib import auth
from django.core.serializers.json import DjangoJSONEncoder

from contactcentre import realtime
from contactcentre.api.backends import user_group_names
from contactcentre.firstline.board import VIEW_BOARD, supervisor_board
from contactcentre.principal import Principal

NOT_SIGNED_IN = 4401
NOT_ALLOWED = 4403
HANDLE_CONTACTS = "interactions.change_contactmoment"


class PingConsumer(AsyncJsonWebsocketConsumer):
    """Liveness of the websocket stack for logged-in staff: answers {"type": "pong"} to a ping."""

    async def connect(self):
        if not self.scope["user"].is_authenticated:
            await self.close(code=NOT_SIGNED_IN)
            return
        await self.accept()

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})


def _staff(user) -> Principal | None:
    return Principal.staff(user, roles=user_group_names(user)) if user.is_authenticated else None


def _staff_of_session(session_key: str | None) -> Principal | None:
    """The staff member a session belongs to now, read afresh (not the copy loaded at connect)."""
    if not session_key:
        return None
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return _staff(auth.get_user(SimpleNamespace(session=session)))


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """A signed-in staff member with `permission`, joined to `groups_of(principal)`."""

    permission: str

    def groups_of(self, principal: Principal) -> list[str]:
        raise NotImplementedError

    async def connect(self):
        self.joined: list[str] = []
        principal = await database_sync_to_async(_staff)(self.scope["user"])
        code = self._refusal(principal)
        if code:
            await self.close(code=code)
            return
        self.joined = self.groups_of(principal)
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        self.checked_at = time.monotonic()
        await self.accept()

    def _refusal(self, principal: Principal | None) -> int:
        if principal is None:
            return NOT_SIGNED_IN
        return 0 if principal.has_perm(self.permission) else NOT_ALLOWED

    async def disconnect(self, code):
        for group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def still_allowed(self) -> bool:
        """Re-check the session and the permission when the last check is older than the setting;
        close the socket (leaving its groups) when either is gone."""
        if time.monotonic() - self.checked_at < settings.WEBSOCKET_SESSION_CHECK_SECONDS:
            return True
        principal = await database_sync_to_async(_staff_of_session)(self.scope["session"].session_key)
        code = self._refusal(principal)
        if code or principal.user_id != self.scope["user"].pk:
            await self.disconnect(code)
            self.joined = []
            await self.close(code=code or NOT_SIGNED_IN)
            return False
        self.checked_at = time.monotonic()
        return True

    async def realtime_event(self, message):
        """The one message type contactcentre.realtime publishes."""
        if await self.still_allowed():
            await self.send_json({"event": message["event"], "data": message["data"]})

    @classmethod
    async def encode_json(cls, content):
        return json.dumps(content, cls=DjangoJSONEncoder)


class AgentConsumer(LiveConsumer):
    """/ws/agent/: the screen pop and the work items of the staff member themselves, nobody else's."""

    permission = HANDLE_CONTACTS

    def groups_of(self, principal):
        return [realtime.agent_group(principal.user_id)]


class SupervisorBoardConsumer(LiveConsumer):
    """/ws/board/: the board's figures on connect ({"event": "board.snapshot"}), then every board event
    as it comes, each burst followed by fresh figures at most every REFRESH_SECONDS; a client may ask
    for fresh figures with {"type": "refresh"} (the same pace)."""

    permission = VIEW_BOARD
    REFRESH_SECONDS = 0.25

    def groups_of(self, principal):
        return [realtime.BOARD_GROUP]

    async def connect(self):
        self.stale = False
        self.refresher: asyncio.Task | None = None
        self.sent_at = 0.0
        await super().connect()
        if self.joined:
            await self.send_snapshot()

    async def disconnect(self, code):
        if self.refresher is not None:
            self.refresher.cancel()
        await super().disconnect(code)

    async def send_snapshot(self):
        self.sent_at = time.monotonic()
        board = await database_sync_to_async(supervisor_board)()
        await self.send_json({"event": "board.snapshot", "data": board})

    def refresh_soon(self):
        """Coalesce: one pending refresh at a time; an event during its read marks it stale again."""
        self.stale = True
        if self.refresher is None or self.refresher.done():
            self.refresher = asyncio.create_task(self._refresh())

    async def _refresh(self):
        while self.stale and self.joined:
            await asyncio.sleep(max(0.0, self.sent_at + self.REFRESH_SECONDS - time.monotonic()))
            self.stale = False
            await self.send_snapshot()

    async def realtime_event(self, message):
        await super().realtime_event(message)
        if self.joined:
            self.refresh_soon()

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "refresh" and await self.still_allowed():
            self.refresh_soon()
