"""Issue 17, point 6: the order in which the desks call, and numbers unique per office per day."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from channels_app.counter.models import Ticket
from channels_app.counter.services import appointment_check_in, ticket_call_next, ticket_take
from tests.channels_app.counter_support import make_appointment, make_office
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return staff(UserFactory(role="counter_clerk"))


@pytest.fixture
def office(clerk):
    return make_office(clerks=[clerk.user])


def _take(office, service, clerk):
    return ticket_take(office_code=office.code, service_code=service, actor=clerk)


def _call(office, clerk, **kwargs):
    ticket = ticket_call_next(office_code=office.code, desk="Balie 1", actor=clerk, **kwargs)
    return ticket.number if ticket else None


def test_checked_in_appointments_are_called_before_walk_ins_and_by_their_time(office, clerk):
    _take(office, "paspoort-id", clerk)  # P001, a walk-in who came first
    later = make_appointment(office, minutes_from_now=10)
    sooner = make_appointment(office, minutes_from_now=-5)
    appointment_check_in(office_code=office.code, code=later.check_in_code, actor=clerk)  # P002
    appointment_check_in(office_code=office.code, code=sooner.check_in_code, actor=clerk)  # P003
    _take(office, "overig", clerk)  # A004

    assert [_call(office, clerk) for _ in range(5)] == ["P003", "P002", "P001", "A004", None]


def test_a_clerk_calls_only_the_services_they_serve(office, clerk):
    _take(office, "paspoort-id", clerk)
    _take(office, "overig", clerk)
    assert _call(office, clerk, service_codes=["overig"]) == "A002"
    assert _call(office, clerk, service_codes=["overig"]) is None
    assert _call(office, clerk) == "P001"


def test_numbers_run_per_office_per_day(clerk):
    stadhuis = make_office("stadhuis", clerks=[clerk.user])
    noord = make_office("noord", organisation=stadhuis.organisation, clerks=[clerk.user])
    assert [_take(stadhuis, service, clerk).number for service in ("paspoort-id", "overig", "paspoort-id")] == [
        "P001",
        "A002",
        "P003",
    ]
    assert _take(noord, "overig", clerk).number == "A001"  # each office has its own sequence

    tomorrow = timezone.now() + timedelta(days=1)
    with mock.patch.object(timezone, "now", return_value=tomorrow):
        first_of_tomorrow = _take(stadhuis, "overig", clerk)
    assert (first_of_tomorrow.number, first_of_tomorrow.day) == ("A001", timezone.localdate(tomorrow))
    # Yesterday's leftovers are not called today; tomorrow's ticket is not called today.
    assert _call(stadhuis, clerk) == "P001"


def test_the_database_refuses_a_second_ticket_with_the_same_number_the_same_day(office, clerk):
    first = _take(office, "paspoort-id", clerk)
    with pytest.raises(IntegrityError):
        Ticket.objects.create(
            office=office,
            service=first.service,
            day=first.day,
            sequence=99,
            number=first.number,
            created_at=timezone.now(),
        )


def test_calling_next_takes_the_same_queries_with_one_or_many_waiting(office, clerk):
    def queries_of_a_call():
        with CaptureQueriesContext(connection) as queries:
            assert _call(office, clerk) is not None
        return len(queries)

    _take(office, "overig", clerk)
    with_one = queries_of_a_call()
    for _ in range(20):
        _take(office, "paspoort-id", clerk)
    assert queries_of_a_call() == with_one
