"""Issue 17, point 6: the waiting-room display's websocket hears each call after commit, as the
ticket number and the desk only, and opens with the office's signed display link only."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections, transaction

from channels_app.counter.selectors import office_display_token
from channels_app.counter.services import ticket_call_next, ticket_serve, ticket_take
from contactcentre import realtime
from contactcentre.asgi import application
from contactcentre.firstline.services import IdentityClaim
from tests.channels_app.counter_support import make_office
from tests.factories import PersonFactory, UserFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@pytest.fixture(autouse=True)
async def _close_connections_of_the_sync_thread():
    """sync_to_async runs the ORM in its own thread; its connection must not outlive the test."""
    yield
    await sync_to_async(connections.close_all)()


def _setup():
    clerk = staff(UserFactory(role="counter_clerk"))
    office = make_office(clerks=[clerk.user])
    person = PersonFactory(surname="Zonnebloem")
    return clerk, office, person, office_display_token(office=office)


def _display(token: str, code: str = "stadhuis") -> WebsocketCommunicator:
    return WebsocketCommunicator(application, f"/ws/office/{code}/display/?token={token}", headers=[ORIGIN])


def _take_call_and_serve(clerk, person):
    ticket_take(office_code="stadhuis", service_code="paspoort-id", actor=clerk)
    ticket = ticket_call_next(office_code="stadhuis", desk="Balie 2", actor=clerk)
    ticket_serve(ticket_id=ticket.pk, actor=clerk, identity_claim=IdentityClaim(kind="bsn", value=person.bsn))


def _called_in_a_transaction_that_fails(clerk):
    ticket_take(office_code="stadhuis", service_code="overig", actor=clerk)
    with pytest.raises(RuntimeError), transaction.atomic():
        ticket_call_next(office_code="stadhuis", desk="Balie 9", actor=clerk)
        raise RuntimeError("rolled back")


async def test_the_display_hears_each_call_after_commit_by_number_and_desk_only():
    clerk, _office, person, token = await sync_to_async(_setup)()
    display = _display(token)
    connected, _ = await display.connect()
    assert connected

    await sync_to_async(_called_in_a_transaction_that_fails)(clerk)
    assert await display.receive_nothing(timeout=0.3)  # a call that was rolled back was never announced

    await sync_to_async(_take_call_and_serve)(clerk, person)
    message = await display.receive_json_from(timeout=2)
    assert message == {"event": "ticket.called", "data": {"number": "A001", "desk": "Balie 2", "recall": False}}
    # Serving the visitor (who is now identified) tells the waiting room nothing more.
    assert await display.receive_nothing(timeout=0.3)
    assert "Zonnebloem" not in str(message) and person.bsn not in str(message)
    await display.disconnect()


async def test_the_display_forwards_nothing_but_calls_and_no_field_it_does_not_know():
    _clerk, _office, _person, token = await sync_to_async(_setup)()
    display = _display(token)
    assert (await display.connect())[0]
    group = realtime.office_group("stadhuis")
    await sync_to_async(realtime.publish)(group, "desk.status", {"desk": "Balie 1", "clerk": "Bas Balie"})
    assert await display.receive_nothing(timeout=0.3)
    await sync_to_async(realtime.publish)(group, "ticket.called", {"number": "P007", "desk": "1", "name": "Jansen"})
    assert await display.receive_json_from(timeout=2) == {
        "event": "ticket.called",
        "data": {"number": "P007", "desk": "1", "recall": False},
    }
    await display.disconnect()


async def test_the_display_socket_needs_the_signed_link_of_its_own_office():
    _clerk, office, _person, token = await sync_to_async(_setup)()
    await sync_to_async(make_office)("noord", organisation=office.organisation)
    for communicator in (_display(""), _display(token + "x"), _display(token, code="noord")):
        connected, code = await communicator.connect()
        assert (connected, code) == (False, 4403)
    foreign = WebsocketCommunicator(
        application, f"/ws/office/stadhuis/display/?token={token}", headers=[(b"origin", b"https://evil.example")]
    )
    assert not (await foreign.connect())[0]
