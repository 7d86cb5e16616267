"""The supervisors' live board over /ws/board/: the figures on connect, then the board's events and
fresh figures after each burst, after commit only.

On the in-memory channel layer, and on Redis in CI's second pass (REDIS_URL switches the layer)."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from channels_app.consumers import SupervisorBoardConsumer
from contactcentre import realtime
from contactcentre.firstline.board import supervisor_board
from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.services import contact_moment_connect
from contactcentre.interactions.work_items import work_item_create
from contactcentre.principal import SYSTEM
from tests.channels_app.live import connected
from tests.factories import UserFactory
from tests.firstline.board_scene import NEAR_BREACH_HOURS, board_scene

pytestmark = pytest.mark.django_db(transaction=True)
BOARD = "/ws/board/"
AGENT = "/ws/agent/"


@pytest.fixture(autouse=True)
async def _close_connections_of_the_sync_thread():
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def scene(settings, transactional_db):
    settings.ESCALATION_NEAR_BREACH_HOURS = NEAR_BREACH_HOURS
    return board_scene(timezone.now())


@sync_to_async
def make_user(role):
    return UserFactory(role=role)


@sync_to_async
def new_item(title="Brief", queue_code="post"):
    return work_item_create(queue_code=queue_code, kind="scan", title=title)


def as_sent(board: dict) -> dict:
    return json.loads(json.dumps(board, cls=DjangoJSONEncoder))


def waiting_in(snapshot: dict, queue_code: str) -> int:
    return next(row["waiting"] for row in snapshot["data"]["queues"] if row["code"] == queue_code)


async def test_the_board_opens_with_the_figures_of_the_board_selector(scene):
    board = await connected(BOARD, await make_user("supervisor"))

    snapshot = await board.receive_json_from(timeout=5)
    assert snapshot["event"] == "board.snapshot"
    # Exactly what the selector (tests/firstline/test_board.py) reads at the moment it was sent.
    expected = await sync_to_async(supervisor_board)(now=parse_datetime(snapshot["data"]["at"]))
    assert snapshot["data"] == as_sent(expected)
    assert snapshot["data"]["calls"]["waiting"] == 2
    assert [(row["code"], row["waiting"], row["in_progress"]) for row in snapshot["data"]["queues"]] == [
        ("post", 2, 2),
        ("sms", 0, 0),
    ]
    assert [row["reference"] for row in snapshot["data"]["escalations"]["nearest"]] == [
        scene.overdue.reference,
        scene.near.reference,
    ]
    await board.disconnect()


async def test_the_board_follows_committed_work_only(scene):
    board = await connected(BOARD, await make_user("supervisor"))
    assert waiting_in(await board.receive_json_from(timeout=5), "post") == 2

    @sync_to_async
    def create_then_fail():
        with pytest.raises(RuntimeError), transaction.atomic():
            work_item_create(queue_code="post", kind="scan", title="Verloren")
            raise RuntimeError("the intake fails after creating the item")

    await create_then_fail()
    kept = await new_item()

    # The rolled-back item published nothing: the first message is the committed item's.
    assert await board.receive_json_from(timeout=5) == {
        "event": "work_item.created",
        "data": {"id": kept.pk, "queue": scene.post.pk, "status": "open", "kind": "scan"},
    }
    refreshed = await board.receive_json_from(timeout=5)
    assert refreshed["event"] == "board.snapshot"
    assert waiting_in(refreshed, "post") == 3
    assert await board.receive_nothing()
    await board.disconnect()


async def test_a_burst_of_events_is_followed_by_one_fresh_snapshot(scene, monkeypatch):
    monkeypatch.setattr(SupervisorBoardConsumer, "REFRESH_SECONDS", 1.0)
    board = await connected(BOARD, await make_user("supervisor"))
    await board.receive_json_from(timeout=5)

    @sync_to_async
    def five_items():
        with transaction.atomic():
            return [work_item_create(queue_code="post", kind="scan", title=f"Brief {n}").pk for n in range(5)]

    ids = await five_items()

    events = [await board.receive_json_from(timeout=5) for _ in ids]
    assert [(event["event"], event["data"]["id"]) for event in events] == [("work_item.created", pk) for pk in ids]
    refreshed = await board.receive_json_from(timeout=5)
    assert refreshed["event"] == "board.snapshot"
    assert waiting_in(refreshed, "post") == 2 + 5
    assert await board.receive_nothing(timeout=1.5)  # one snapshot for the burst, not five
    await board.disconnect()


async def test_a_client_may_ask_for_fresh_figures(scene):
    board = await connected(BOARD, await make_user("supervisor"))
    first = await board.receive_json_from(timeout=5)
    await sync_to_async(ContactMoment.objects.create)(channel="phone")  # a call queued without an event

    await board.send_json_to({"type": "refresh"})

    refreshed = await board.receive_json_from(timeout=5)
    assert refreshed["event"] == "board.snapshot"
    assert (first["data"]["calls"]["waiting"], refreshed["data"]["calls"]["waiting"]) == (2, 3)
    await board.disconnect()


async def test_calls_queued_and_put_through_move_the_waiting_figures(scene):
    supervisor, anna = await make_user("supervisor"), await make_user("agent")
    board = await connected(BOARD, supervisor)
    desk = await connected(AGENT, anna)
    await board.receive_json_from(timeout=5)

    @sync_to_async
    def queue_a_call():
        """As the phone door does: the contact, and the board told after commit."""
        with transaction.atomic():
            call = ContactMoment.objects.create(channel="phone", external_id="CA-live-1")
            realtime.publish(realtime.BOARD_GROUP, "call.queued", {"contact_moment": call.pk})
        return call

    call = await queue_a_call()
    assert await board.receive_json_from(timeout=5) == {"event": "call.queued", "data": {"contact_moment": call.pk}}
    assert (await board.receive_json_from(timeout=5))["data"]["calls"]["waiting"] == 3

    await sync_to_async(contact_moment_connect)(contact=call, agent=anna, actor=SYSTEM)
    assert await board.receive_json_from(timeout=5) == {
        "event": "contact.connected",
        "data": {"contact_moment": call.pk, "agent": anna.pk},
    }
    assert (await board.receive_json_from(timeout=5))["data"]["calls"]["waiting"] == 2
    # The agent's socket gets the pop, not the board's messages.
    assert (await desk.receive_json_from(timeout=5))["event"] == "contact.connected"
    assert await desk.receive_nothing()
    await board.disconnect()
    await desk.disconnect()


async def test_a_board_whose_supervisor_lost_the_role_is_closed_before_the_next_event(scene, settings):
    settings.WEBSOCKET_SESSION_CHECK_SECONDS = 0  # check before every event
    supervisor = await make_user("supervisor")
    board = await connected(BOARD, supervisor)
    await board.receive_json_from(timeout=5)

    await sync_to_async(supervisor.groups.clear)()
    await new_item()

    assert await board.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}
