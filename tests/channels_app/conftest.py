"""Fixtures of the transport tests: a local fake of Twilio's API, people to write to, drop directories."""

import pytest
from django.utils import timezone

from contactcentre.interactions.services import notification_enqueue
from contactcentre.processinglog.purposes import Purpose
from contactcentre.registry.models import Address, Consent, DigitalAddress
from tests.channels_app.fake_twilio import FakeTwilio
from tests.factories import PersonFactory

SID = "AC" + "0123456789abcdef" * 2
TOKEN = "test-auth-token"
FROM = "+3197010000001"
PHONE = "+31612345678"
EMAIL = "jan.jansen@voorbeeld.nl"
HOME = {"street": "Geheimelaan", "house_number": 7, "postcode": "3511 AB", "city": "Voorbeeldstad"}
PERSONAL = (PHONE, "0612345678", "612345678", EMAIL, "Geheimelaan", "3511 AB")


@pytest.fixture
def twilio(settings):
    fake = FakeTwilio().start()
    settings.TWILIO_ACCOUNT_SID = SID
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_FROM_NUMBER = FROM
    settings.TWILIO_API_BASE_URL = fake.base_url
    settings.TWILIO_TIMEOUT_SECONDS = 5
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def _drops(settings, tmp_path):
    settings.LETTER_QUEUE_DIR = str(tmp_path / "letters")
    settings.SMS_FILE_PATH = str(tmp_path / "sms")


@pytest.fixture
def make_person(db):
    """A person with a home address, a phone and an e-mail address, and consent for SMS and e-mail."""

    def make(preferred_channel="sms", **kwargs):
        person = PersonFactory(preferred_channel=preferred_channel, **kwargs)
        Address.objects.create(party=person, kind=Address.Kind.RESIDENTIAL, **HOME)
        now = timezone.now()
        DigitalAddress.objects.create(party=person, kind="phone", value=PHONE, is_default=True, verified_at=now)
        DigitalAddress.objects.create(party=person, kind="email", value=EMAIL, is_default=True, verified_at=now)
        for purpose in (Consent.Purpose.SMS_NOTIFICATIONS, Consent.Purpose.EMAIL_NOTIFICATIONS):
            Consent.objects.create(party=person, purpose=purpose, granted=True, channel="portal", changed_at=now)
        return person

    return make


@pytest.fixture
def person(make_person):
    return make_person()


def enqueue(party, key="case-status:1", body="Uw aanvraag is afgehandeld. Zie Mijn omgeving."):
    with_row, created = notification_enqueue(
        party=party,
        subject="Uw zaak",
        body=body,
        dedupe_key=key,
        purpose=Purpose.CASE,
        purpose_reference="Z-2026-1",
    )
    assert created
    return with_row


@pytest.fixture
def scan_dirs(settings, tmp_path):
    """Each test its own originals' storage and watched folder; answers (storage dir, inbox dir)."""
    storage, inbox = tmp_path / "scans", tmp_path / "inbox"
    settings.STORAGES = {
        **settings.STORAGES,
        "scans": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(storage)}},
    }
    settings.SCAN_STORAGE_DIR = str(storage)
    settings.SCAN_INBOX_DIR = str(inbox)
    settings.SCAN_INBOX_SETTLE_SECONDS = 0
    return storage, inbox


@pytest.fixture
def scan_tasks_here(monkeypatch):
    """A letter's processing, asked for after commit, runs here with the task's .apply(), also on the
    PostgreSQL + Redis pass where .delay() would hand it to a broker; answers the letter ids asked for."""
    from channels_app import tasks

    process, asked = tasks.process_scanned_letter, []

    class Here:
        @staticmethod
        def delay(letter_id):
            asked.append(letter_id)
            return process.apply(args=[letter_id])

    monkeypatch.setattr(tasks, "process_scanned_letter", Here)
    return asked
