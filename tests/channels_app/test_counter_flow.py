"""Issue 17, point 6: the counter flow end to end through the API: a kiosk takes a number, the
waiting room hears of the call after commit (number and desk, no name), the clerk serves the visitor
as a counter contact of their own, checks the identity document (assurance high, the kind recorded,
never a number) and finishes the visit."""

import pytest

from channels_app.counter.models import Ticket
from channels_app.counter.selectors import office_display_token
from contactcentre import realtime
from contactcentre.interactions.models import ContactMoment
from contactcentre.processinglog.models import ProcessingRecord
from tests.channels_app.counter_support import make_office
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

DOCUMENT_NUMBER = "NXC4R8PJ1"


@pytest.fixture
def sent(monkeypatch):
    """What realtime would send to the websocket groups, in order (the display socket itself is
    tested in test_counter_display.py)."""
    messages = []
    monkeypatch.setattr(realtime, "_send", lambda group, message: messages.append((group, message)))
    return messages


def test_take_call_serve_check_identity_and_finish(
    client_with_scopes, user_with_role, django_capture_on_commit_callbacks, sent
):
    clerk_http, clerk = user_with_role("counter_clerk")
    office = make_office(clerks=[clerk])
    kiosk, _ = client_with_scopes(["counter:kiosk"], organisation=office.organisation)
    person = PersonFactory(surname="Zonnebloem")

    taken = kiosk.post("/api/v1/counter/offices/stadhuis/tickets", {"service": "paspoort-id"}, format="json")
    assert taken.status_code == 201, taken.content
    ticket = taken.json()
    assert (ticket["number"], ticket["service"], ticket["status"], ticket["has_appointment"]) == (
        "P001",
        "paspoort-id",
        "waiting",
        False,
    )

    with django_capture_on_commit_callbacks() as callbacks:
        called = clerk_http.post("/api/v1/counter/offices/stadhuis/call-next", {"desk": "Balie 3"}, format="json")
        assert called.status_code == 200, called.content
    assert sent == []  # nothing before the commit
    assert (called.json()["id"], called.json()["status"], called.json()["desk"]) == (ticket["id"], "called", "Balie 3")
    for callback in callbacks:
        callback()
    assert sent == [
        (
            "office-stadhuis",
            {
                "type": "realtime.event",
                "event": "ticket.called",
                "data": {"number": "P001", "desk": "Balie 3", "recall": False},
            },
        )
    ]

    page = clerk_http.get(f"/balie/stadhuis/wachtkamer/?token={office_display_token(office=office)}")
    assert page.status_code == 200
    assert '<span class="number">P001</span>' in page.content.decode()
    assert '<span class="desk">Balie 3</span>' in page.content.decode()

    served = clerk_http.post(
        f"/api/v1/counter/tickets/{ticket['id']}/serve",
        {"identity_claim": {"kind": "bsn", "value": person.bsn}},
        format="json",
    )
    assert served.status_code == 200, served.content
    body = served.json()
    assert body["ticket"]["status"] == "serving"
    assert body["party"] == {"id": person.pk, "name": person.display_name}
    page = clerk_http.get(f"/balie/stadhuis/wachtkamer/?token={office_display_token(office=office)}")
    assert "Zonnebloem" not in page.content.decode()  # the waiting room never learns who it is
    visit = ContactMoment.objects.get(pk=body["contact_moment"])
    assert (visit.channel, visit.agent_id, visit.party_id, visit.assurance, visit.desk) == (
        "counter",
        clerk.pk,
        person.pk,
        "low",
        "Vestiging stadhuis, Balie 3",
    )
    assert Ticket.objects.get(pk=ticket["id"]).contact_moment_id == visit.pk

    # The contact is the purpose with which the clerk opens the customer view.
    view = clerk_http.get(
        f"/api/v1/parties/{person.pk}/customer-view", {"purpose": "contact", "purpose_reference": visit.pk}
    )
    assert view.status_code == 200, view.content
    assert view.json()["assurance"] == "low"

    checked = clerk_http.post(
        f"/api/v1/contact-moments/{visit.pk}/identity-check",
        {"document": "passport", "number": DOCUMENT_NUMBER},
        format="json",
    )
    assert checked.status_code == 200, checked.content
    visit.refresh_from_db()
    assert (visit.assurance, visit.identity_document) == ("high", "passport")
    stored = [str(value) for value in ContactMoment.objects.filter(pk=visit.pk).values().get().values()]
    assert not any(DOCUMENT_NUMBER in value for value in stored)
    assert not ProcessingRecord.objects.filter(object_id__contains=DOCUMENT_NUMBER).exists()

    finished = clerk_http.post(f"/api/v1/counter/tickets/{ticket['id']}/finish", {"outcome": "answered"}, format="json")
    assert finished.status_code == 200, finished.content
    assert finished.json()["status"] == "done"
    visit.refresh_from_db()
    assert visit.outcome == "answered"
    assert visit.ended_at is not None
    done = Ticket.objects.get(pk=ticket["id"])
    assert done.called_by_id == clerk.pk
    assert None not in (done.called_at, done.served_at, done.finished_at)


def test_a_called_visitor_who_does_not_come_is_a_no_show_and_can_be_recalled_first(
    user_with_role, django_capture_on_commit_callbacks, sent
):
    clerk_http, clerk = user_with_role("counter_clerk")
    office = make_office(clerks=[clerk])
    clerk_http.post("/api/v1/counter/offices/stadhuis/tickets", {"service": "overig"}, format="json")
    ticket = clerk_http.post("/api/v1/counter/offices/stadhuis/call-next", {"desk": "Balie 1"}, format="json").json()
    with django_capture_on_commit_callbacks(execute=True):
        assert clerk_http.post(f"/api/v1/counter/tickets/{ticket['id']}/recall").status_code == 200
    assert sent[-1] == (
        realtime.office_group(office.code),
        {
            "type": "realtime.event",
            "event": "ticket.called",
            "data": {"number": "A001", "desk": "Balie 1", "recall": True},
        },
    )

    assert clerk_http.post(f"/api/v1/counter/tickets/{ticket['id']}/no-show").json()["status"] == "no_show"
    # A ticket that is over is not served any more.
    refused = clerk_http.post(f"/api/v1/counter/tickets/{ticket['id']}/serve", {}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (422, "ticket_wrong_status")
    assert clerk_http.post("/api/v1/counter/offices/stadhuis/call-next", {"desk": "Balie 1"}).status_code == 204
