"""Several senders sweeping the outbox at once send each notification once (PostgreSQL only: SQLite
serialises writers and has no SKIP LOCKED, so there is no race to show)."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from channels_app.services import notifications_send_due
from contactcentre.interactions.models import Notification
from tests.channels_app.conftest import enqueue

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
]


def test_concurrent_senders_send_every_notification_exactly_once(twilio, make_person):
    people = [make_person() for _ in range(4)]
    for number in range(40):
        enqueue(people[number % 4], key=f"race-{number}", body=f"Bericht {number}")
    workers = 4
    barrier = threading.Barrier(workers)
    totals, errors = Counter(), []

    def sweep():
        try:
            barrier.wait(timeout=10)
            while True:
                counts = notifications_send_due(batch=3)
                totals.update(counts)
                if not any(counts.values()):
                    return
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    bodies = Counter(request["form"]["Body"] for request in twilio.requests)
    assert bodies == Counter({f"Bericht {number}": 1 for number in range(40)})
    assert totals["sent"] == 40
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}
