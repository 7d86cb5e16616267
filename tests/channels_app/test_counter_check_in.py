"""Issue 17, point 6: checking in for an appointment at the kiosk, within its window, and the
lock-out of a kiosk after wrong codes (like the other lock-outs: counted in the cache)."""

import pytest

from channels_app.counter.models import Ticket
from contactcentre.processinglog.models import ProcessingRecord
from tests.channels_app.counter_support import make_appointment, make_office
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CHECK_IN = "/api/v1/counter/offices/stadhuis/check-in"


@pytest.fixture
def office():
    return make_office()


@pytest.fixture
def kiosk(client_with_scopes, office):
    http, _ = client_with_scopes(["counter:kiosk"], organisation=office.organisation)
    return http


def test_checking_in_gives_a_ticket_for_the_appointment_once(kiosk, office):
    person = PersonFactory()
    appointment = make_appointment(office, party=person)
    code = f"{appointment.check_in_code[:4].lower()} {appointment.check_in_code[4:]}"  # as typed
    answer = kiosk.post(CHECK_IN, {"code": code}, format="json")
    assert answer.status_code == 200, answer.content
    ticket = answer.json()
    assert (ticket["number"], ticket["service"], ticket["has_appointment"], ticket["status"]) == (
        "P001",
        "paspoort-id",
        True,
        "waiting",
    )
    assert "party" not in ticket and person.surname not in str(ticket)
    appointment.refresh_from_db()
    assert appointment.checked_in_at is not None
    again = kiosk.post(CHECK_IN, {"code": appointment.check_in_code}, format="json")
    assert again.json()["id"] == ticket["id"]
    assert Ticket.objects.count() == 1
    log = ProcessingRecord.objects.get(object_type="counter_appointment")
    assert (log.action, log.purpose, log.purpose_reference) == ("update", "contact", f"appointment:{appointment.pk}")


@pytest.mark.parametrize(
    ("minutes_from_now", "code"),
    [(16, "check_in_too_early"), (-11, "check_in_late")],
)
def test_checking_in_only_within_the_window(kiosk, office, minutes_from_now, code):
    appointment = make_appointment(office, minutes_from_now=minutes_from_now)
    answer = kiosk.post(CHECK_IN, {"code": appointment.check_in_code}, format="json")
    assert (answer.status_code, answer.json()["code"]) == (422, code)
    assert not Ticket.objects.exists()


def test_another_office_code_is_not_found_here(kiosk, office):
    noord = make_office("noord", organisation=office.organisation)
    elsewhere = make_appointment(noord)
    answer = kiosk.post(CHECK_IN, {"code": elsewhere.check_in_code}, format="json")
    assert answer.status_code == 404
    assert not Ticket.objects.exists()


def test_a_kiosk_is_locked_out_after_wrong_codes_and_another_kiosk_is_not(kiosk, client_with_scopes, office, settings):
    settings.COUNTER_CHECK_IN_MAX_WRONG = 3
    appointment = make_appointment(office)
    for wrong in ("AAAAAAAA", "BBBBBBBB", "CCCCCCCC"):
        assert kiosk.post(CHECK_IN, {"code": wrong}, format="json").status_code == 404
    locked = kiosk.post(CHECK_IN, {"code": appointment.check_in_code}, format="json")  # even the right code
    assert (locked.status_code, locked.json()["code"]) == (429, "check_in_locked")
    assert not Ticket.objects.exists()

    other_kiosk, _ = client_with_scopes(["counter:kiosk"], organisation=office.organisation)
    assert other_kiosk.post(CHECK_IN, {"code": appointment.check_in_code}, format="json").status_code == 200


def test_right_codes_do_not_count_towards_the_lock_out(kiosk, office, settings):
    settings.COUNTER_CHECK_IN_MAX_WRONG = 2
    for _ in range(3):
        assert kiosk.post(CHECK_IN, {"code": make_appointment(office).check_in_code}).status_code == 200
    assert kiosk.post(CHECK_IN, {"code": "AAAAAAAA"}, format="json").status_code == 404
    assert kiosk.post(CHECK_IN, {"code": make_appointment(office).check_in_code}).status_code == 200
