"""The screen pop over /ws/agent/: a connected call reaches the sockets of the agent it was put through
to, and nobody else's, after commit only; who may open the socket at all.

On the in-memory channel layer, and on Redis in CI's second pass (REDIS_URL switches the layer).
A socket that must get nothing is checked by what it gets next: a message to it published after the
one it must not get arrives first (a channel delivers in order)."""

from importlib import import_module

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections, transaction
from django.test import Client

from contactcentre import realtime
from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.services import contact_moment_connect
from contactcentre.principal import CITIZEN_SESSION_KEY, SYSTEM
from tests.channels_app.live import connected, refused, sign_in, socket
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
AGENT = "/ws/agent/"
BOARD = "/ws/board/"


@pytest.fixture(autouse=True)
async def _close_connections_of_the_sync_thread():
    """sync_to_async runs the ORM in its own thread, whose persistent connection would outlive the
    test and keep the test database from being dropped."""
    yield
    await sync_to_async(connections.close_all)()


@sync_to_async
def make_user(role):
    return UserFactory(role=role)


@sync_to_async
def waiting_call(party=True) -> ContactMoment:
    return ContactMoment.objects.create(channel="phone", party=PersonFactory() if party else None)


@sync_to_async
def put_through(contact, agent) -> None:
    contact_moment_connect(contact=contact, agent=agent, actor=SYSTEM)


def pop(contact) -> dict:
    return {
        "event": "contact.connected",
        "data": {"contact_moment": contact.pk, "channel": "phone", "party": contact.party_id},
    }


async def test_the_pop_reaches_every_socket_of_that_agent_and_no_other_agent():
    anna, bert = await make_user("agent"), await make_user("counter_clerk")
    anna_desk, anna_phone = await connected(AGENT, anna), await connected(AGENT, anna)
    bert_desk = await connected(AGENT, bert)
    call = await waiting_call()

    await put_through(call, anna)

    assert await anna_desk.receive_json_from(timeout=5) == pop(call)
    assert await anna_phone.receive_json_from(timeout=5) == pop(call)
    # Bert's next message is his own call's pop, not Anna's.
    bert_call = await waiting_call(party=False)
    await put_through(bert_call, bert)
    assert await bert_desk.receive_json_from(timeout=5) == pop(bert_call)
    assert await anna_desk.receive_nothing()
    for communicator in (anna_desk, anna_phone, bert_desk):
        await communicator.disconnect()


async def test_a_connect_that_rolls_back_pops_nothing():
    anna = await make_user("agent")
    desk = await connected(AGENT, anna)
    lost, kept = await waiting_call(), await waiting_call()

    @sync_to_async
    def connect_then_fail():
        with pytest.raises(RuntimeError), transaction.atomic():
            contact_moment_connect(contact=lost, agent=anna, actor=SYSTEM)
            raise RuntimeError("the door's transaction fails after the connect")

    await connect_then_fail()
    await put_through(kept, anna)

    assert await desk.receive_json_from(timeout=5) == pop(kept)  # the rolled-back pop never came first
    assert await desk.receive_nothing()
    await desk.disconnect()


async def test_a_socket_without_a_session_is_refused():
    for path in (AGENT, BOARD):
        assert await refused(socket(path)) == 4401


async def test_a_citizen_session_is_refused():
    @sync_to_async
    def citizen_cookie():
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[CITIZEN_SESSION_KEY] = {"party_id": PersonFactory().pk, "assurance": "substantial"}
        session.save()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode()

    cookie = await citizen_cookie()
    for path in (AGENT, BOARD):
        assert await refused(socket(path, cookie)) == 4401


async def test_a_foreign_or_missing_origin_is_refused_even_with_a_session():
    cookie = await sign_in(await make_user("supervisor"))
    for path in (AGENT, BOARD):
        # The origin validator answers before any consumer: a plain close, not 4401/4403.
        assert await refused(socket(path, cookie, origin=(b"origin", b"https://evil.example"))) == 1000
        assert await refused(socket(path, cookie, origin=(b"origin", b"http://127.0.0.1.evil.example"))) == 1000
        assert await refused(socket(path, cookie, origin=None)) == 1000  # no Origin header at all
    # The same cookie from the right origin is let in: the origin alone refused it above.
    assert (await (board := socket(BOARD, cookie)).connect())[0]
    await board.disconnect()


@pytest.mark.parametrize(
    ("path", "role"),
    [
        (AGENT, "functional_admin"),
        (AGENT, None),
        (BOARD, "agent"),
        (BOARD, "counter_clerk"),
        (BOARD, "functional_admin"),
        (BOARD, None),
    ],
)
async def test_staff_without_the_permission_are_refused(path, role):
    user = await make_user(role)
    assert await refused(socket(path, await sign_in(user))) == 4403


async def test_each_role_that_handles_contacts_may_open_the_agent_socket():
    for role in ("agent", "counter_clerk", "supervisor"):
        communicator = await connected(AGENT, await make_user(role))
        await communicator.disconnect()


async def test_a_socket_whose_session_ended_is_closed_before_the_next_pop(settings):
    settings.WEBSOCKET_SESSION_CHECK_SECONDS = 0  # check before every event
    anna = await make_user("agent")
    client = Client()
    await sync_to_async(client.force_login)(anna)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()
    desk = socket(AGENT, cookie)
    assert (await desk.connect())[0]

    await sync_to_async(client.logout)()  # the session is flushed
    await put_through(await waiting_call(), anna)

    assert await desk.receive_output(timeout=5) == {"type": "websocket.close", "code": 4401}
    assert await refused(socket(AGENT, cookie)) == 4401  # and it cannot come back with that cookie


async def test_a_socket_of_a_disabled_account_is_closed_before_the_next_pop(settings):
    settings.WEBSOCKET_SESSION_CHECK_SECONDS = 0
    anna = await make_user("agent")
    desk = await connected(AGENT, anna)
    first = await waiting_call()
    await put_through(first, anna)
    assert await desk.receive_json_from(timeout=5) == pop(first)

    await sync_to_async(type(anna).objects.filter(pk=anna.pk).update)(is_active=False)
    # The service refuses an inactive agent, so the next event is published as another door would.
    await sync_to_async(realtime.publish)(realtime.agent_group(anna.pk), "contact.connected", {"contact_moment": 1})

    assert await desk.receive_output(timeout=5) == {"type": "websocket.close", "code": 4401}
