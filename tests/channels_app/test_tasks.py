"""The senders are woken after the commit that wrote their outbox row (by the task's name, from layers
below channels_app), never before it nor on a rollback; a wake-up twice sends once; a broker that is
down fails nobody; beat still sweeps (test_transports.py)."""

import logging

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError

from channels_app.tasks import send_due_notifications, send_due_verification_messages
from contactcentre.interactions.models import Notification
from contactcentre.interactions.services import notification_enqueue
from contactcentre.registry.models import VerificationMessage
from tests.channels_app.conftest import PHONE, enqueue
from tests.channels_app.test_transports import _verification_message

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


@pytest.fixture
def eager(settings):
    """The woken task runs here, also in the pass with a broker (where tasks are not eager); the Celery
    app reads the Django settings as they are now."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def handed_over(monkeypatch):
    """The calls the wake-ups make to the sender tasks, instead of running them."""
    calls = []
    for task in (send_due_notifications, send_due_verification_messages):
        monkeypatch.setattr(
            task, "apply_async", lambda *args, _name=task.name, **kwargs: calls.append((_name, kwargs)), raising=False
        )
    return calls


def test_the_sender_tasks_are_the_ones_the_settings_name(settings):
    assert send_due_notifications.name == settings.NOTIFICATION_SENDER_TASK
    assert send_due_verification_messages.name == settings.VERIFICATION_SENDER_TASK


def test_an_enqueued_notification_is_handed_to_the_sender_after_commit_not_before(
    person, handed_over, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = enqueue(person)
        assert handed_over == []  # inside the transaction: nothing sent for
    assert len(callbacks) == 1 and handed_over == []
    callbacks[0]()
    assert handed_over == [("channels_app.tasks.send_due_notifications", {"retry": False})]
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING  # the stand-in task did not send


def test_a_rolled_back_notification_wakes_nobody(person, handed_over, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom), transaction.atomic():
        enqueue(person)
        raise Boom
    assert callbacks == [] and handed_over == []
    assert not Notification.objects.exists()


def test_the_same_event_again_wakes_nobody(person, handed_over, django_capture_on_commit_callbacks):
    enqueue(person, key="case-status:7")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification_again = Notification.objects.get(dedupe_key="case-status:7")
        again, created = notification_enqueue(
            party=person, subject="x", body="y", dedupe_key="case-status:7", purpose="case", purpose_reference="Z"
        )
    assert (again, created) == (notification_again, False)
    assert callbacks == []


def test_woken_after_commit_the_sender_sends_it_and_a_second_wake_up_sends_nothing(
    twilio, person, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = enqueue(person)
    assert twilio.requests == []
    [wake_up] = callbacks
    wake_up()  # eager: the sender runs here
    wake_up()  # woken twice (or a wake-up and the beat sweep together)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)
    assert [request["form"]["To"] for request in twilio.requests] == [PHONE]


def test_a_broker_that_is_down_fails_no_enqueue(person, monkeypatch, django_capture_on_commit_callbacks, caplog):
    def broker_down(*args, **kwargs):
        raise KombuOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_due_notifications, "apply_async", broker_down, raising=False)
    with (
        caplog.at_level(logging.WARNING, logger="contactcentre.wakeups"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        notification = enqueue(person)
    assert len(callbacks) == 1
    assert [record.getMessage() for record in caplog.records if record.name == "contactcentre.wakeups"] == [
        "Wake-up of channels_app.tasks.send_due_notifications not sent (broker unavailable); "
        "the periodic sweep will run it."
    ]
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING  # kept for the sweep


def test_a_verification_code_wakes_its_sender_after_commit(person, handed_over, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _verification_message(person)
    assert handed_over == []
    for callback in callbacks:
        callback()
    assert handed_over == [("channels_app.tasks.send_due_verification_messages", {"retry": False})]


def test_a_verification_code_woken_twice_is_sent_once(twilio, person, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message, code = _verification_message(person)
    [wake_up] = callbacks
    wake_up()
    wake_up()
    message.refresh_from_db()
    assert message.sent_at is not None and message.code_seed == ""
    assert [request["form"]["Body"] for request in twilio.requests] == [
        f"Uw verificatiecode is {code}. De code is 15 minuten geldig."
    ]
    assert VerificationMessage.objects.filter(sent_at__isnull=True).count() == 0
