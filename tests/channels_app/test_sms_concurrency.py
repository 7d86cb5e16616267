"""Twilio delivering the same message twice at the same moment (a retry racing the first delivery): one
contact, one work item, one consent change, and both deliveries answer the same reply (PostgreSQL only:
SQLite serialises writers, so there is no race to show)."""

import pytest
from django.db import connection

from channels_app.sms.services import sms_message_receive
from contactcentre.interactions.models import ContactMoment, WorkItem
from contactcentre.interactions.services import work_queue_ensure
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.registry.models import Consent
from tests.channels_app.conftest import PHONE
from tests.concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
]
DELIVERIES = 6


def _race(body: str) -> list[str]:
    return at_once(
        lambda _n: sms_message_receive(message_sid="SM" + "7" * 32, sender=PHONE, body=body).reply, DELIVERIES
    )


def test_a_question_delivered_at_once_six_times_makes_one_contact_and_one_work_item(person):
    work_queue_ensure(code="sms", name="Sms")
    replies = _race("Hoi, mijn vraag gaat over iets heel anders")
    assert replies == ["Bedankt voor uw vraag. Een medewerker stuurt u zo snel mogelijk een antwoord."] * DELIVERIES
    assert ContactMoment.objects.count() == 1
    assert WorkItem.objects.count() == 1


def test_a_stop_delivered_at_once_six_times_changes_the_consent_once(person):
    replies = _race("STOP")
    assert replies == ["U krijgt geen sms-berichten meer van ons. Stuur START om ze weer te krijgen."] * DELIVERIES
    assert Consent.objects.get(party=person, purpose=Consent.Purpose.SMS_NOTIFICATIONS).granted is False
    assert ProcessingRecord.objects.filter(object_type="consent", action="update").count() == 1
    assert ContactMoment.objects.count() == 1
