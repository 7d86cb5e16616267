"""Staff book counter appointments (an agent during a call, a clerk at the desk); booking for a
person needs the contact at hand as the purpose, and is logged."""

from datetime import timedelta

import pytest
from django.utils import timezone

from channels_app.counter.models import Appointment
from contactcentre.processinglog.models import ProcessingRecord
from tests.channels_app.counter_support import make_office
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

BOOK = "/api/v1/counter/offices/stadhuis/appointments"


@pytest.fixture
def office():
    return make_office()


def _call_about(http, person) -> int:
    body = {"channel": "phone", "identity_claim": {"kind": "bsn", "value": person.bsn}}
    answer = http.post("/api/v1/first-line/contacts", body, format="json")
    assert answer.status_code == 201, answer.content
    return answer.json()["contact"]["id"]


def _body(**extra):
    starts = (timezone.now() + timedelta(days=2)).isoformat()
    return {"service": "paspoort-id", "starts_at": starts, **extra}


def test_an_agent_books_for_the_caller_with_the_call_as_purpose(user_with_role, office):
    http, _agent = user_with_role("agent")
    person = PersonFactory()
    call = _call_about(http, person)
    answer = http.post(BOOK, _body(party=person.pk, purpose="contact", purpose_reference=str(call)), format="json")
    assert answer.status_code == 201, answer.content
    booked = Appointment.objects.get()
    assert answer.json()["check_in_code"] == booked.check_in_code
    assert (booked.party_id, booked.office_id, booked.service.code) == (person.pk, office.pk, "paspoort-id")
    log = ProcessingRecord.objects.get(object_type="counter_appointment")
    assert (log.action, log.outcome, log.purpose, log.purpose_reference, log.object_id) == (
        "create",
        "success",
        "contact",
        str(call),
        str(booked.pk),
    )


def test_booking_for_a_person_without_their_contact_is_refused_and_logged(user_with_role, office):
    http, _agent = user_with_role("agent")
    person, other = PersonFactory(), PersonFactory()
    others_call = _call_about(http, other)
    assert http.post(BOOK, _body(party=person.pk), format="json").status_code == 403
    refused = http.post(BOOK, _body(party=person.pk, purpose="contact", purpose_reference=str(others_call)))
    assert refused.status_code == 403
    assert not Appointment.objects.exists()
    assert ProcessingRecord.objects.filter(object_type="counter_appointment", outcome="denied").count() == 2


def test_who_may_book_and_when(user_with_role, client_with_scopes, office):
    clerk_http, _ = user_with_role("counter_clerk")
    assert clerk_http.post(BOOK, _body(), format="json").status_code == 201  # no person: a walk-in slot
    supervisor_http, _ = user_with_role("supervisor")
    assert supervisor_http.post(BOOK, _body(), format="json").status_code == 403
    kiosk, _ = client_with_scopes(["counter:kiosk"], organisation=office.organisation)
    assert kiosk.post(BOOK, _body(), format="json").status_code == 403
    past = clerk_http.post(BOOK, _body(starts_at=(timezone.now() - timedelta(hours=1)).isoformat()), format="json")
    assert past.status_code == 400
    assert clerk_http.post(BOOK, _body(service="bestaat-niet"), format="json").status_code == 400
    assert Appointment.objects.count() == 1
