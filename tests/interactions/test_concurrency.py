"""Two deliveries of the same channel event at the same moment make one contact (PostgreSQL only:
SQLite serialises writers, so there is no race to show)."""

import threading
from unittest import mock

import pytest
from django.db import connection, connections

from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.services import contact_moment_record
from contactcentre.principal import SYSTEM

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
]


def test_concurrent_deliveries_of_one_event_make_one_contact():
    workers = 6
    barrier = threading.Barrier(workers)
    local = threading.local()
    real_filter = ContactMoment.objects.filter
    results, errors = [], []

    def every_first_check_misses(*args, **kwargs):
        # Each delivery's existence check sees nothing, as when all arrive before any commits.
        qs = real_filter(*args, **kwargs)
        if not getattr(local, "checked", False):
            local.checked = True
            return qs.none()
        return qs

    def deliver():
        try:
            barrier.wait(timeout=10)
            results.append(contact_moment_record(channel="phone", actor=SYSTEM, external_id="CA-race"))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    with mock.patch.object(ContactMoment.objects, "filter", side_effect=every_first_check_misses):
        threads = [threading.Thread(target=deliver) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert ContactMoment.objects.filter(external_id="CA-race").count() == 1
    assert len({contact.pk for contact, _ in results}) == 1
    assert sorted(created for _, created in results) == [False] * (workers - 1) + [True]
