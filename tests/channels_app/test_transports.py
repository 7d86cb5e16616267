"""The transports and the sender: SMS through the real twilio client against a local fake of Twilio's API,
e-mail through Django's e-mail backend, portal and letter; retries with backoff, dead letters, consent
asked again at the moment of sending, verification codes sent once, and no personal data in any log."""

import json
import logging
import smtplib
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from channels_app import transports
from channels_app.services import notifications_send_due, verification_messages_send_due
from channels_app.tasks import send_due_notifications, send_due_verification_messages
from contactcentre.interactions.models import Notification
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.registry import verification
from contactcentre.registry.models import (
    Address,
    BaseDataChange,
    Consent,
    VerificationChallenge,
    VerificationMessage,
)
from contactcentre.registry.services import consent_record
from tests.channels_app.conftest import EMAIL, FROM, PERSONAL, PHONE, SID, TOKEN, enqueue
from tests.channels_app.fake_twilio import INVALID_NUMBER, SERVER_ERROR, TOO_MANY_REQUESTS

pytestmark = pytest.mark.django_db


def _letters(settings) -> list[dict]:
    directory = Path(settings.LETTER_QUEUE_DIR)
    return [json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))] if directory.exists() else []


def _verification_message(party, *, kind="phone", recipient=PHONE) -> tuple[VerificationMessage, str]:
    """A waiting verification message as the registry's default sender leaves it; and its code."""
    change = BaseDataChange.objects.create(
        party=party,
        attribute=kind,
        status=BaseDataChange.Status.VERIFICATION_PENDING,
        actor_type="system",
        actor_id="system",
        channel="portal",
        assurance="substantial",
    )
    challenge = VerificationChallenge.objects.create(
        change=change,
        party=party,
        kind=kind,
        pending_value=recipient,
        code_hash="x$y",
        expires_at=timezone.now() + timedelta(minutes=15),
    )
    seed = verification.code_seed_new()
    verification.verification_send(challenge=challenge, recipient=recipient, code_seed=seed)
    return VerificationMessage.objects.get(challenge=challenge), verification.code_from_seed(seed)


# --- SMS -----------------------------------------------------------------------------------------


def test_sms_goes_through_the_twilio_client_to_twilios_messages_api(twilio, person):
    notification = enqueue(person)
    assert notification.channel == "sms"

    assert notifications_send_due() == {"sent": 1, "failed": 0, "dead": 0}

    [request] = twilio.requests
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["form"] == {"To": PHONE, "From": FROM, "Body": "Uw aanvraag is afgehandeld. Zie Mijn omgeving."}
    assert twilio.basic_auth(request) == (SID, TOKEN)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == ("sent", 1, "")
    assert notification.sent_at is not None
    record = ProcessingRecord.objects.get(object_type="notification", action="export")
    assert (record.actor_type, record.purpose, record.object_id, record.outcome) == (
        "system",
        "system",
        str(notification.pk),
        "success",
    )


def test_running_the_sender_twice_sends_one_message(twilio, person):
    enqueue(person)
    notifications_send_due()
    assert notifications_send_due() == {"sent": 0, "failed": 0, "dead": 0}
    assert notifications_send_due(now=timezone.now() + timedelta(days=2)) == {"sent": 0, "failed": 0, "dead": 0}
    assert send_due_notifications.apply().get() == {"sent": 0, "failed": 0, "dead": 0}
    assert len(twilio.requests) == 1


def test_an_invalid_number_is_a_dead_letter_at_once(twilio, person):
    twilio.script(INVALID_NUMBER)
    notification = enqueue(person)
    assert notifications_send_due() == {"sent": 0, "failed": 0, "dead": 1}
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("dead", 1)
    assert notification.last_error == "twilio: http 400 code 21211"
    assert notification.sent_at is None
    assert notifications_send_due(now=timezone.now() + timedelta(days=2)) == {"sent": 0, "failed": 0, "dead": 0}
    assert len(twilio.requests) == 1


@pytest.mark.parametrize("answer", [SERVER_ERROR, TOO_MANY_REQUESTS], ids=["500", "429"])
def test_a_server_error_is_retried_after_a_backoff_with_jitter_and_then_sent(twilio, person, answer):
    twilio.script(answer)
    notification = enqueue(person)
    now = timezone.now()
    assert notifications_send_due(now=now) == {"sent": 0, "failed": 1, "dead": 0}
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", 1)
    assert notification.last_error == f"twilio: http {answer[0]} code {answer[1]['code']}"
    # 2**1 * 30 s, give or take 20%.
    assert now + timedelta(seconds=48) <= notification.next_attempt_at <= now + timedelta(seconds=72)

    assert notifications_send_due(now=now + timedelta(seconds=30)) == {"sent": 0, "failed": 0, "dead": 0}
    assert notifications_send_due(now=now + timedelta(seconds=75)) == {"sent": 1, "failed": 0, "dead": 0}
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == ("sent", 2, "")
    assert len(twilio.requests) == 2


def test_after_the_last_attempt_the_message_is_given_up(twilio, person, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    twilio.script(SERVER_ERROR, SERVER_ERROR, SERVER_ERROR)
    notification = enqueue(person)
    later = timezone.now()
    results = []
    for _ in range(4):
        results.append(notifications_send_due(now=later))
        later += timedelta(hours=2)
    assert [r["failed"] for r in results] == [1, 1, 0, 0]
    assert [r["dead"] for r in results] == [0, 0, 1, 0]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("dead", 3)
    assert len(twilio.requests) == 3


def test_an_unreachable_twilio_is_a_retryable_failure(settings, person):
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = SID, TOKEN
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"  # discard port: connection refused
    notification = enqueue(person)
    assert notifications_send_due() == {"sent": 0, "failed": 1, "dead": 0}
    notification.refresh_from_db()
    assert notification.last_error == "twilio: ConnectionError"


def test_consent_withdrawn_between_enqueue_and_send_sends_a_letter_instead(twilio, person, settings):
    notification = enqueue(person)
    consent_record(
        party_id=person.pk,
        purpose=Consent.Purpose.SMS_NOTIFICATIONS,
        granted=False,
        channel="portal",
        actor=Principal.citizen(party_id=person.pk, assurance="substantial"),
    )
    assert notifications_send_due() == {"sent": 1, "failed": 0, "dead": 0}
    assert twilio.requests == []
    notification.refresh_from_db()
    assert (notification.channel, notification.status) == ("letter", "sent")
    assert notification.last_error == "print queue (no consent for sms)"
    [letter] = _letters(settings)
    assert letter["reference"] == f"notification-{notification.pk}"
    assert letter["address"].splitlines()[1:] == ["Geheimelaan 7", "3511 AB Voorbeeldstad"]
    assert letter["body"] == notification.body


def test_without_an_account_an_sms_is_a_file_for_the_embedded_default(settings, person):
    settings.TWILIO_ACCOUNT_SID = ""
    notification = enqueue(person)
    assert notifications_send_due() == {"sent": 1, "failed": 0, "dead": 0}
    [drop] = list(Path(settings.SMS_FILE_PATH).glob("*.json"))
    assert drop.name == f"notification-{notification.pk}.json"
    assert json.loads(drop.read_text())["to"] == PHONE


# --- e-mail, portal, letter ----------------------------------------------------------------------


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({email_messages[0].to[0]: (550, b"5.1.1 " + EMAIL.encode())})


class DisconnectingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_email_goes_through_djangos_email_backend(make_person):
    notification = enqueue(make_person(preferred_channel="email"))
    assert notifications_send_due() == {"sent": 1, "failed": 0, "dead": 0}
    [message] = mail.outbox
    assert (message.to, message.subject, message.body) == ([EMAIL], "Uw zaak", notification.body)
    assert Notification.objects.get().status == "sent"


def test_a_refused_email_address_is_a_dead_letter(make_person, settings):
    settings.EMAIL_BACKEND = "tests.channels_app.test_transports.RefusingBackend"
    notification = enqueue(make_person(preferred_channel="email"))
    assert notifications_send_due() == {"sent": 0, "failed": 0, "dead": 1}
    notification.refresh_from_db()
    assert (notification.status, notification.last_error) == ("dead", "smtp: recipient refused")


def test_a_lost_smtp_connection_is_retried(make_person, settings):
    settings.EMAIL_BACKEND = "tests.channels_app.test_transports.DisconnectingBackend"
    notification = enqueue(make_person(preferred_channel="email"))
    assert notifications_send_due() == {"sent": 0, "failed": 1, "dead": 0}
    notification.refresh_from_db()
    assert (notification.status, notification.last_error) == ("failed", "smtp: SMTPServerDisconnected")


def test_a_portal_message_is_sent_by_marking_it_sent(twilio, make_person, settings):
    notification = enqueue(make_person(preferred_channel="portal"))
    assert notification.channel == "portal"
    assert notifications_send_due() == {"sent": 1, "failed": 0, "dead": 0}
    assert (twilio.requests, mail.outbox, _letters(settings)) == ([], [], [])
    assert Notification.objects.get().status == "sent"


def test_a_letter_goes_to_the_print_queue_once(make_person, settings):
    notification = enqueue(make_person(preferred_channel="letter"))
    Address.objects.create(
        party=notification.party, kind=Address.Kind.CORRESPONDENCE, street="Postbus", house_number=12,
        postcode="1000 AA", city="Amsterdam",
    )  # fmt: skip
    assert notifications_send_due() == {"sent": 1, "failed": 0, "dead": 0}
    Notification.objects.update(status="pending", next_attempt_at=timezone.now())  # as if sent again
    notifications_send_due()
    [letter] = _letters(settings)
    assert letter["address"].splitlines()[1:] == ["Postbus 12", "1000 AA Amsterdam"]
    assert Notification.objects.get().last_error == "print queue"


def test_a_letter_without_a_postal_address_is_a_dead_letter(make_person):
    notification = enqueue(make_person(preferred_channel="letter"))
    Address.objects.all().delete()
    assert notifications_send_due() == {"sent": 0, "failed": 0, "dead": 1}
    notification.refresh_from_db()
    assert notification.last_error == "letter: no postal address"


# --- verification codes --------------------------------------------------------------------------


def test_a_verification_code_is_sent_once_and_kept_in_no_table(twilio, person):
    message, code = _verification_message(person)
    assert verification_messages_send_due() == {"sent": 1, "failed": 0, "skipped": 0}
    assert verification_messages_send_due() == {"sent": 0, "failed": 0, "skipped": 0}
    assert send_due_verification_messages.apply().get() == {"sent": 0, "failed": 0, "skipped": 0}

    [request] = twilio.requests
    assert request["form"]["To"] == PHONE
    assert code in request["form"]["Body"]
    for model in (VerificationMessage, VerificationChallenge, Notification, ProcessingRecord):
        for row in model.objects.values():
            assert not any(isinstance(value, str) and code in value for value in row.values()), model
    record = ProcessingRecord.objects.get(object_type="verification_message")
    assert (record.purpose, record.object_id, record.outcome) == ("verification", str(message.pk), "success")


def test_a_verification_code_by_email(person):
    _message, code = _verification_message(person, kind="email", recipient="nieuw@voorbeeld.nl")
    assert verification_messages_send_due() == {"sent": 1, "failed": 0, "skipped": 0}
    [sent] = mail.outbox
    assert sent.to == ["nieuw@voorbeeld.nl"] and code in sent.body


def test_a_verification_code_that_fails_to_send_is_not_sent_again(twilio, person):
    twilio.script(SERVER_ERROR)
    _verification_message(person)
    assert verification_messages_send_due() == {"sent": 0, "failed": 1, "skipped": 0}
    assert verification_messages_send_due() == {"sent": 0, "failed": 0, "skipped": 0}
    assert len(twilio.requests) == 1


# --- no personal data in logs --------------------------------------------------------------------


def test_no_number_or_address_in_any_log_record_or_stored_error(twilio, make_person, settings, caplog):
    secret = make_person(secret_address=True)
    enqueue(secret, key="a")  # SMS
    enqueue(make_person(preferred_channel="email"), key="b")
    enqueue(make_person(preferred_channel="letter", secret_address=True), key="c")
    enqueue(make_person(), key="d")  # SMS to an invalid number: a dead letter
    _, code = _verification_message(secret)
    twilio.script((201, {"sid": "SM1"}), INVALID_NUMBER)
    settings.EMAIL_BACKEND = "tests.channels_app.test_transports.RefusingBackend"  # b: a dead letter

    # Setting up writes numbers and addresses in SQL; only the sending is captured, every logger at
    # DEBUG and the SQL with its parameters (as with DEBUG=True).
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")  # Django's "django" logger stops at INFO
    previous, connection.force_debug_cursor = connection.force_debug_cursor, True
    try:
        assert notifications_send_due() == {"sent": 2, "failed": 0, "dead": 2}
        assert verification_messages_send_due()["sent"] == 1
    finally:
        connection.force_debug_cursor = previous

    logged = [record.getMessage() + " " + repr(record.args) for record in caplog.records]
    assert any("notification" in line for line in logged), "nothing was captured: the scan would prove nothing"
    assert any("UPDATE" in line for line in logged) and any("/Messages.json" in line for line in logged)
    leaks = [line for line in logged if any(value in line for value in (*PERSONAL, code))]
    assert leaks == []
    stored = " ".join(
        str(value)
        for model in (Notification, ProcessingRecord)
        for row in model.objects.values()
        for value in row.values()
    )
    assert not [value for value in PERSONAL if value in stored]


def test_unknown_channel_is_a_permanent_error():
    with pytest.raises(transports.TransportError) as error:
        transports.send(channel="pigeon", recipient="x", subject="s", body="b")
    assert error.value.permanent


def test_beat_sweeps_the_outbox_and_the_verification_codes(settings):
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["channels_app.tasks.send_due_notifications"] <= 60
    assert schedule["channels_app.tasks.send_due_verification_messages"] <= 60
