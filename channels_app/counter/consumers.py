"""The waiting-room display's websocket: the screen in the office opens it with its signed display
link (no log-in: it is a device showing no personal data), joins its office's group and is sent every
call as the ticket number and the desk."""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from channels_app.counter.selectors import office_for_display
from channels_app.counter.services import TICKET_CALLED
from contactcentre import realtime


class OfficeDisplayConsumer(AsyncJsonWebsocketConsumer):
    group = ""

    async def connect(self):
        code = self.scope["url_route"]["kwargs"]["code"]
        token = parse_qs(self.scope["query_string"].decode("latin-1")).get("token", [""])[0]
        office = await database_sync_to_async(office_for_display)(code=code, token=token)
        if office is None:
            await self.close(code=4403)
            return
        self.group = realtime.office_group(office.code)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        """The screen only listens."""

    async def realtime_event(self, message):
        # The office's group carries the desks' events too: the screen shows calls, by number and desk.
        if message.get("event") != TICKET_CALLED:
            return
        data = message.get("data") or {}
        call = {"number": data.get("number", ""), "desk": data.get("desk", ""), "recall": bool(data.get("recall"))}
        await self.send_json({"event": TICKET_CALLED, "data": call})
