"""Two deliveries of the same channel event at the same moment make one contact (PostgreSQL only:
SQLite serialises writers, so there is no race to show)."""

import pytest
from django.db import connection

from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.services import contact_moment_record
from contactcentre.principal import SYSTEM
from tests.concurrency import at_once, first_existence_check_misses

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
]


def test_concurrent_deliveries_of_one_event_make_one_contact():
    workers = 6
    with first_existence_check_misses(ContactMoment.objects):
        results = at_once(
            lambda _n: contact_moment_record(channel="phone", actor=SYSTEM, external_id="CA-race"), workers, timeout=30
        )

    assert ContactMoment.objects.filter(external_id="CA-race").count() == 1
    assert len({contact.pk for contact, _ in results}) == 1
    assert sorted(created for _, created in results) == [False] * (workers - 1) + [True]
