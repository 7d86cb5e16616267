"""Request a callback in Mijn omgeving: offered only in the opening hours of the next working days,
made as a web contact plus a callback with its work item, listed for the citizen themself only, and
cancelled by them only while nobody has taken it; every read and write logged."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contactcentre.errors import AccessDenied, NotFound, RuleViolation
from contactcentre.interactions.models import CallbackRequest, ContactMoment, WorkItem
from contactcentre.interactions.services import callback_request_create, callback_request_update, work_queue_ensure
from contactcentre.portal.callback_windows import callback_windows
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.registry.models import DigitalAddress
from tests.casemanagement.factories import PersonFactory
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
QUESTION = "Ik wil graag weten hoe het met mijn aanvraag staat."


@pytest.fixture
def queue(settings):
    settings.DEMO_MODE = True
    return work_queue_ensure(code=settings.PORTAL_CALLBACK_QUEUE, name="Terugbellen")


def _sign_in(client, person):
    assert client.post("/mijn/inloggen/", {"person": person.pk}).status_code == 302


def _citizen(person) -> Principal:
    return Principal.citizen(party_id=person.pk, assurance="substantial")


def _at(*args) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/mijn/terugbellen/"), ("post", "/mijn/terugbellen/"), ("post", "/mijn/terugbellen/1/annuleren/")],
)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, queue, method, path):
    response = getattr(client, method)(path)
    assert (response.status_code, response["Location"]) == (302, f"/mijn/inloggen/?next={path}")
    assert CallbackRequest.objects.count() == 0


def test_windows_are_the_parts_of_the_next_five_working_days_still_ahead():
    windows = callback_windows(now=_at(2026, 12, 4, 10, 30))  # a Friday morning
    assert [window.key for window in windows] == [
        "2026-12-04-middag",
        "2026-12-07-ochtend",
        "2026-12-07-middag",
        "2026-12-08-ochtend",
        "2026-12-08-middag",
        "2026-12-09-ochtend",
        "2026-12-09-middag",
        "2026-12-10-ochtend",
        "2026-12-10-middag",
    ]
    assert (windows[0].start, windows[0].end) == (_at(2026, 12, 4, 13), _at(2026, 12, 4, 17))


def test_no_window_falls_on_a_weekend_or_a_public_holiday():
    windows = callback_windows(now=_at(2026, 12, 24, 18))  # Christmas Eve, evening
    assert windows[0].key == "2026-12-28-ochtend"  # not Christmas Day, Boxing Day nor the weekend
    assert "2027-01-01-ochtend" not in {window.key for window in windows}  # New Year's Day
    assert {window.start.weekday() for window in windows} <= {0, 1, 2, 3, 4}


def test_the_form_offers_my_verified_phone_number(client, queue):
    me = PersonFactory()
    DigitalAddress.objects.create(
        party=me, kind="phone", value="+31612345678", is_default=True, verified_at=_at(2026, 1, 1)
    )
    _sign_in(client, me)
    assert 'value="+31612345678"' in client.get("/mijn/terugbellen/").content.decode()


def test_an_unverified_number_is_not_offered(client, queue):
    me = PersonFactory()
    DigitalAddress.objects.create(party=me, kind="phone", value="+31612345678", is_default=True)
    _sign_in(client, me)
    assert "+31612345678" not in client.get("/mijn/terugbellen/").content.decode()


def test_a_callback_is_a_web_contact_a_callback_and_a_work_item(client, queue):
    me = PersonFactory()
    _sign_in(client, me)
    window = callback_windows()[0]
    response = client.post(
        "/mijn/terugbellen/", {"phone_number": "06 87654321", "window": window.key, "question": f"  {QUESTION} "}
    )
    assert response["Location"] == "/mijn/terugbellen/"

    callback = CallbackRequest.objects.get()
    assert (
        callback.party_id,
        callback.queue_id,
        callback.phone_number,
        callback.question,
        callback.call_after,
        callback.call_before,
        callback.status,
        callback.requested_by,
    ) == (me.pk, queue.pk, "+31687654321", QUESTION, window.start, window.end, "open", None)
    contact = ContactMoment.objects.get()
    assert (contact.pk, contact.channel, contact.party_id, contact.identified_by, contact.assurance) == (
        callback.contact_moment_id,
        "web",
        me.pk,
        "digid",
        "substantial",
    )
    assert (contact.outcome, contact.ended_at is not None) == ("callback_requested", True)
    item = WorkItem.objects.get()
    assert (item.queue_id, item.kind, item.party_id, item.source_key, item.due_at, item.status) == (
        queue.pk,
        "callback",
        me.pk,
        f"callback:{callback.pk}",
        window.end,
        "open",
    )
    created = ProcessingRecord.objects.get(object_type="callback_request", action="create")
    assert (created.actor_type, created.subject) == ("citizen", subject_pseudonym(me.pk))
    assert "Uw terugbelverzoek is ontvangen" in client.get("/mijn/terugbellen/").content.decode()


@pytest.mark.parametrize("window", ["2020-01-06-ochtend", "morgen", "", "2026-12-25-ochtend"])
def test_a_time_not_offered_is_refused_and_nothing_is_made(client, queue, window):
    _sign_in(client, PersonFactory())
    response = client.post("/mijn/terugbellen/", {"phone_number": "0612345678", "window": window, "question": "Vraag"})
    assert response.status_code == 400
    assert "Kies een van de tijden hieronder." in response.content.decode()
    assert (CallbackRequest.objects.count(), ContactMoment.objects.count(), WorkItem.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize(
    ("phone", "question", "message"),
    [
        ("bel me maar", QUESTION, 'id="fout-nummer"'),
        ("0612345678", "   ", 'id="fout-vraag"'),
        ("0612345678", "x" * 2001, 'id="fout-vraag"'),
    ],
)
def test_a_bad_number_or_question_is_explained_and_nothing_is_made(client, queue, phone, question, message):
    _sign_in(client, PersonFactory())
    window = callback_windows()[0]
    response = client.post("/mijn/terugbellen/", {"phone_number": phone, "window": window.key, "question": question})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (CallbackRequest.objects.count(), ContactMoment.objects.count(), WorkItem.objects.count()) == (0, 0, 0)


def _callback_of(person, queue, *, question=QUESTION) -> CallbackRequest:
    return callback_request_create(
        queue=queue, phone_number="0612345678", question=question, actor=_citizen(person), party=person
    )


def test_i_see_my_open_callbacks_only_in_one_query_and_the_read_is_logged(client, queue):
    me, other = PersonFactory(), PersonFactory()
    for n in range(3):
        _callback_of(me, queue, question=f"Mijn vraag {n}")
    _callback_of(other, queue, question="De vraag van een ander")
    done = _callback_of(me, queue, question="Al teruggebeld")
    callback_request_update(callback=done, status="done", actor=staff(UserFactory(role="agent")))
    _sign_in(client, me)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/mijn/terugbellen/").content.decode()
    assert all(f"Mijn vraag {n}" in html for n in range(3))
    assert "De vraag van een ander" not in html and "Al teruggebeld" not in html
    assert len([q for q in queries.captured_queries if "interactions_callbackrequest" in q["sql"]]) == 1
    read = ProcessingRecord.objects.filter(object_type="callback_request", action="read").get()
    assert (read.actor_type, read.purpose, read.subject) == ("citizen", "self_service", subject_pseudonym(me.pk))


def test_i_cancel_my_open_callback_and_its_work_item_closes(client, queue):
    me = PersonFactory()
    callback = _callback_of(me, queue)
    _sign_in(client, me)
    assert client.post(f"/mijn/terugbellen/{callback.pk}/annuleren/")["Location"] == "/mijn/terugbellen/"
    callback.refresh_from_db()
    assert (callback.status, callback.result) == ("cancelled", "Geannuleerd door de burger")
    assert WorkItem.objects.get(source_key=f"callback:{callback.pk}").status == "done"
    assert "Uw terugbelverzoek is geannuleerd." in client.get("/mijn/terugbellen/").content.decode()


def test_another_citizens_callback_cannot_be_cancelled(client, queue):
    me, other = PersonFactory(), PersonFactory()
    theirs = _callback_of(other, queue)
    _sign_in(client, me)
    assert client.post(f"/mijn/terugbellen/{theirs.pk}/annuleren/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "open"
    assert WorkItem.objects.get(source_key=f"callback:{theirs.pk}").status == "open"


def test_a_callback_an_agent_has_taken_is_no_longer_cancelled(client, queue):
    me = PersonFactory()
    callback = _callback_of(me, queue)
    callback_request_update(callback=callback, status="in_progress", actor=staff(UserFactory(role="agent")))
    _sign_in(client, me)
    response = client.post(f"/mijn/terugbellen/{callback.pk}/annuleren/", follow=True)
    assert "annuleren kan niet meer" in response.content.decode()
    callback.refresh_from_db()
    assert callback.status == "in_progress"


def test_a_citizen_asks_only_for_themself(queue):
    me, other = PersonFactory(), PersonFactory()
    with pytest.raises(AccessDenied):
        callback_request_create(queue=queue, phone_number="0612345678", question="x", actor=_citizen(me), party=other)
    with pytest.raises(AccessDenied):
        callback_request_create(queue=queue, phone_number="0612345678", question="x", actor=_citizen(me))
    assert CallbackRequest.objects.count() == 0


def test_a_citizen_only_cancels_and_only_their_own(queue):
    me, other = PersonFactory(), PersonFactory()
    mine, theirs = _callback_of(me, queue), _callback_of(other, queue)
    with pytest.raises(NotFound):
        callback_request_update(callback=theirs, status="cancelled", actor=_citizen(me))
    with pytest.raises(AccessDenied):
        callback_request_update(callback=mine, status="done", actor=_citizen(me))
    callback_request_update(callback=mine, status="cancelled", actor=_citizen(me))
    with pytest.raises(RuleViolation):
        callback_request_update(callback=mine, status="cancelled", actor=_citizen(me))
    assert list(CallbackRequest.objects.order_by("id").values_list("status", flat=True)) == ["cancelled", "open"]
