"""The escalation outbox relay against a local receiver that checks every Standard Webhooks signature:
retries with backoff, timeouts, permanent refusals, dead letters and resend, and two relays at once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from casemanagement import delivery as delivery_module
from casemanagement import webhooks
from casemanagement.delivery import deliveries_resend, escalation_deliveries_relay
from casemanagement.models import Escalation, EscalationDelivery, SecondLineEndpoint
from casemanagement.webhooks import generate_secret
from tests.casemanagement.second_line import Receiver, second_line_setup

Status = EscalationDelivery.Status
Delivery = SecondLineEndpoint.Delivery


@pytest.fixture(autouse=True)
def _local_receivers(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    settings.ESCALATION_DELIVERY_MAX_ATTEMPTS = 4


@pytest.fixture
def receiver():
    started = Receiver(secret=generate_secret()).start()
    yield started
    started.stop()


def _webhook_line(receiver):
    return second_line_setup(delivery=Delivery.WEBHOOK, url=receiver.url, secret=receiver.secret)


@pytest.mark.django_db
def test_a_webhook_delivery_arrives_signed_once_and_marks_the_escalation_delivered(receiver):
    line = _webhook_line(receiver)
    escalation = line.escalate()
    row = escalation.deliveries.get()
    assert row.status == Status.PENDING

    assert escalation_deliveries_relay() == {"delivered": 1, "failed": 0, "dead": 0}

    row.refresh_from_db()
    escalation.refresh_from_db()
    assert row.status == Status.DELIVERED and row.delivered_at is not None
    assert escalation.state == Escalation.State.DELIVERED
    assert [(r.message_id, r.reference) for r in receiver.receptions] == [(str(row.message_id), escalation.reference)]
    assert receiver.rejected == 0
    assert escalation_deliveries_relay() == {"delivered": 0, "failed": 0, "dead": 0}  # nothing sent twice
    assert len(receiver.receptions) == 1


@pytest.mark.django_db
def test_a_500_fails_with_backoff_and_a_later_run_delivers(receiver):
    receiver.behaviour = lambda n: 500 if n == 1 else 200
    line = _webhook_line(receiver)
    escalation = line.escalate()
    now = timezone.now()

    assert escalation_deliveries_relay(now=now)["failed"] == 1
    row = escalation.deliveries.get()
    assert row.status == Status.FAILED and row.attempts == 1 and row.last_error == "HTTP 500"
    # Backoff: about 10 s (+/-20% jitter); not due before that.
    assert now + timedelta(seconds=7.9) <= row.next_attempt_at <= now + timedelta(seconds=12.1)
    assert escalation_deliveries_relay(now=now + timedelta(seconds=5)) == {"delivered": 0, "failed": 0, "dead": 0}

    assert escalation_deliveries_relay(now=now + timedelta(seconds=13))["delivered"] == 1
    row.refresh_from_db()
    assert row.status == Status.DELIVERED
    assert receiver.unique_message_ids() == {str(row.message_id)}
    assert receiver.requests == 2


@pytest.mark.django_db
def test_a_receiver_that_does_not_answer_in_time_is_a_retryable_failure(receiver, monkeypatch):
    receiver.behaviour = lambda n: -1.0 if n == 1 else 200  # silent for 1 s on the first request
    original = webhooks.deliver
    monkeypatch.setattr(webhooks, "deliver", lambda *args, **kw: original(*args, **kw, timeout=(1.0, 0.3)))
    line = _webhook_line(receiver)
    escalation = line.escalate()
    now = timezone.now()

    assert escalation_deliveries_relay(now=now)["failed"] == 1
    row = escalation.deliveries.get()
    assert row.status == Status.FAILED and row.last_error.startswith("timeout")
    assert escalation_deliveries_relay(now=now + timedelta(seconds=13))["delivered"] == 1


@pytest.mark.django_db
def test_a_permanent_refusal_is_dead_at_once_and_resend_puts_it_back(receiver):
    receiver.behaviour = lambda n: 410 if n == 1 else 200
    line = _webhook_line(receiver)
    escalation = line.escalate()
    now = timezone.now()

    assert escalation_deliveries_relay(now=now)["dead"] == 1
    row = escalation.deliveries.get()
    assert (row.status, row.attempts, row.last_error) == (Status.DEAD, 1, "HTTP 410")
    assert escalation_deliveries_relay(now=now + timedelta(days=1))["dead"] == 0  # a dead letter waits

    assert deliveries_resend(ids=[row.pk]) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Status.PENDING, 0, "")
    assert escalation_deliveries_relay()["delivered"] == 1
    assert receiver.unique_message_ids() == {str(row.message_id)}


@pytest.mark.django_db
def test_after_the_maximum_attempts_a_delivery_is_a_dead_letter(receiver, settings):
    receiver.behaviour = lambda n: 503
    line = _webhook_line(receiver)
    escalation = line.escalate()
    now = timezone.now()

    outcomes = []
    for _attempt in range(settings.ESCALATION_DELIVERY_MAX_ATTEMPTS):
        now += timedelta(hours=2)  # past any backoff (capped at one hour)
        outcomes.append(escalation_deliveries_relay(now=now))
    assert [o["failed"] for o in outcomes] == [1, 1, 1, 0]
    assert outcomes[-1]["dead"] == 1
    row = escalation.deliveries.get()
    assert (row.status, row.attempts) == (Status.DEAD, settings.ESCALATION_DELIVERY_MAX_ATTEMPTS)
    assert escalation_deliveries_relay(now=now + timedelta(days=1)) == {"delivered": 0, "failed": 0, "dead": 0}
    assert receiver.requests == 4 and receiver.receptions == []
    assert deliveries_resend(ids=[row.pk]) == 1
    assert deliveries_resend(ids=[row.pk]) == 0  # already pending: nothing to resend


def test_backoff_doubles_with_jitter_and_is_capped():
    for attempts, seconds in [(1, 10), (2, 20), (3, 40), (10, 3600), (30, 3600)]:
        delays = {delivery_module.backoff(attempts).total_seconds() for _ in range(20)}
        assert all(0.8 * seconds <= delay <= 1.2 * seconds for delay in delays)
        assert len(delays) > 1  # jittered


@pytest.mark.django_db
def test_a_worklist_endpoint_is_delivered_at_once_and_a_pull_endpoint_waits(receiver):
    worklist = second_line_setup(delivery=Delivery.WORKLIST)
    escalation = worklist.escalate()
    assert escalation.deliveries.get().status == Status.DELIVERED
    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.DELIVERED

    pull = second_line_setup(delivery=Delivery.PULL)
    pull.organisation.routing_rules.update(order=1)  # this default rule comes first now
    escalation = pull.escalate()
    assert escalation.organisation == pull.organisation
    assert escalation_deliveries_relay() == {"delivered": 0, "failed": 0, "dead": 0}
    assert escalation.deliveries.get().status == Status.PENDING
    assert receiver.requests == 0


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_never_send_one_row_twice(receiver, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL (SQLite serialises writers)")
    monkeypatch.setattr("casemanagement.escalations._wake_relay", lambda: None)  # the relays below do the work
    receiver.delay = 0.005
    line = _webhook_line(receiver)
    contact = line.contact()
    created = [line.escalate(contact=contact) for _ in range(120)]

    results, errors = [], []

    def relay():
        try:
            results.append(escalation_deliveries_relay(batch=10))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(result["delivered"] for result in results) == len(created)
    assert len(receiver.receptions) == len(created)  # raw receptions: not one sent twice
    assert len(receiver.unique_message_ids()) == len(created)
    assert receiver.duplicates_by_business_key() == 0
    assert EscalationDelivery.objects.filter(status=Status.DELIVERED).count() == len(created)


@pytest.mark.django_db
def test_a_broker_that_is_down_does_not_fail_the_escalation(receiver, monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise KombuOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("casemanagement.escalations.relay_escalation_deliveries.apply_async", broker_down)
    line = _webhook_line(receiver)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        escalation = line.escalate()
    assert callbacks  # the wake-up ran, failed, and was only logged
    assert escalation.deliveries.get().status == Status.PENDING  # the outbox keeps it for the sweep
    assert escalation_deliveries_relay()["delivered"] == 1
