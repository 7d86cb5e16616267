"""Issue 17, point 6: eight clerks calling at the same moment each get another ticket, and every
ticket is called once; kiosks taking numbers at the same moment never share one (PostgreSQL only:
SQLite serialises writers, so there is no race to show)."""

import threading

import pytest
from django.db import connection, connections

from channels_app.counter.models import Ticket
from channels_app.counter.services import ticket_call_next, ticket_take
from tests.channels_app.counter_support import make_office
from tests.factories import UserFactory, staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
]

THREADS = 8
TICKETS = 60


def _run_together(work) -> list[Exception]:
    """Run `work(n)` in THREADS threads released at once; returns what they raised."""
    barrier = threading.Barrier(THREADS)
    errors: list[Exception] = []

    def run(n):
        try:
            barrier.wait(timeout=10)
            work(n)
        except Exception as exc:  # reported by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_eight_clerks_calling_at_once_call_every_ticket_once():
    clerks = [staff(UserFactory(role="counter_clerk")) for _ in range(THREADS)]
    office = make_office(clerks=[clerk.user for clerk in clerks])
    for n in range(TICKETS):
        ticket_take(office_code=office.code, service_code=("overig", "paspoort-id")[n % 2], actor=clerks[0])
    called: dict[int, list[int]] = {n: [] for n in range(THREADS)}

    def call_until_empty(n):
        while (ticket := ticket_call_next(office_code=office.code, desk=f"Balie {n}", actor=clerks[n])) is not None:
            called[n].append(ticket.pk)

    assert _run_together(call_until_empty) == []
    every_call = [pk for calls in called.values() for pk in calls]
    assert sorted(every_call) == sorted(Ticket.objects.values_list("pk", flat=True))  # each once, none left
    assert len(every_call) == TICKETS
    assert sum(1 for calls in called.values() if calls) > 1  # they really called side by side
    # Each ticket went to the desk of the clerk whose call returned it.
    desks = dict(Ticket.objects.values_list("pk", "desk"))
    assert all(desks[pk] == f"Balie {n}" for n, calls in called.items() for pk in calls)
    assert not Ticket.objects.filter(status="waiting").exists()


def test_eight_kiosks_taking_numbers_at_once_get_different_numbers():
    clerk = staff(UserFactory(role="counter_clerk"))
    office = make_office(clerks=[clerk.user])
    per_thread = 10

    def take(_n):
        for _ in range(per_thread):
            ticket_take(office_code=office.code, service_code="overig", actor=clerk)

    assert _run_together(take) == []
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == THREADS * per_thread
    assert sorted(numbers) == [f"A{n:03d}" for n in range(1, THREADS * per_thread + 1)]
