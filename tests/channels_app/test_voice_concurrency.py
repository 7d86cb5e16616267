"""Twilio delivering the same incoming call twice at the same moment makes one contact and one call
(PostgreSQL only: SQLite serialises writers, so there is no race to show)."""

import pytest
from django.db import connection

from channels_app.models import VoiceCall
from channels_app.voice.services import voice_call_start
from contactcentre.interactions.models import ContactMoment
from contactcentre.processinglog.models import ProcessingRecord
from tests.concurrency import at_once, first_existence_check_misses

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
]


def test_concurrent_deliveries_of_one_call_make_one_contact_and_one_call(caller):
    workers = 6
    with first_existence_check_misses(ContactMoment.objects):
        results = at_once(lambda _n: voice_call_start(call_sid="CA-race", caller="+31612345678"), workers, timeout=30)

    assert ContactMoment.objects.count() == 1
    assert VoiceCall.objects.count() == 1
    assert len({call.pk for call, _ in results}) == 1
    assert sorted(created for _, created in results) == [False] * (workers - 1) + [True]
    assert ContactMoment.objects.get().party == caller
    assert ProcessingRecord.objects.filter(action="search").count() == 1
