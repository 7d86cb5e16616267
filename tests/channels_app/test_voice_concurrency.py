"""Twilio delivering the same incoming call twice at the same moment makes one contact and one call
(PostgreSQL only: SQLite serialises writers, so there is no race to show)."""

import threading
from unittest import mock

import pytest
from django.db import connection, connections

from channels_app.models import VoiceCall
from channels_app.voice.services import voice_call_start
from contactcentre.interactions.models import ContactMoment
from contactcentre.processinglog.models import ProcessingRecord

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
]


def test_concurrent_deliveries_of_one_call_make_one_contact_and_one_call(caller):
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
            results.append(voice_call_start(call_sid="CA-race", caller="+31612345678"))
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
    assert ContactMoment.objects.count() == 1
    assert VoiceCall.objects.count() == 1
    assert len({call.pk for call, _ in results}) == 1
    assert sorted(created for _, created in results) == [False] * (workers - 1) + [True]
    assert ContactMoment.objects.get().party == caller
    assert ProcessingRecord.objects.filter(action="search").count() == 1
