"""Replies from the console keep the thread: our Message-ID, In-Reply-To and References, the signed
thread reference in the subject, an outbound contact moment; the citizen's answer joins the same thread;
our own reply coming back is a loop, never a question."""

import smtplib

import pytest
from django.core import mail

from channels_app import tasks
from channels_app.email.intake import Outcome, email_intake, thread_token
from channels_app.email.models import EmailMessage
from channels_app.email.outbound import email_outbound_deliver, email_reply_send
from contactcentre.errors import AccessDenied, RuleViolation, ValidationFailed
from contactcentre.interactions.models import ContactMoment
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from tests.channels_app import email_corpus as corpus
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db
PUSH = EmailMessage.Source.PUSH


@pytest.fixture(autouse=True)
def worker(monkeypatch):
    """A worker that takes the delivery task at once (the embedded default does; with a broker the test
    has no worker); answers the reply ids enqueued."""
    enqueued = []

    def run(reply_id):
        enqueued.append(reply_id)
        return tasks.deliver_email_reply.apply(args=[reply_id])

    monkeypatch.setattr(tasks.deliver_email_reply, "delay", run)
    return enqueued


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def inbound(person):
    return email_intake(raw=corpus.plain(References="<older@voorbeeld.nl>"), source=PUSH).message


@pytest.fixture
def agent():
    return staff(UserFactory(role="agent"))


def test_a_reply_keeps_the_thread_and_is_sent_after_commit(
    inbound, agent, person, django_capture_on_commit_callbacks, worker
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reply = email_reply_send(
            message=inbound, actor=agent, body="Geachte heer Jansen,\n\nGeef het door via Mijn omgeving."
        )

    assert (worker, mail.outbox) == ([], [])  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert worker == [reply.pk]
    reply.refresh_from_db()
    thread = inbound.thread
    assert (reply.thread_id, reply.direction, reply.status, reply.source) == (thread.pk, "outbound", "sent", "console")
    assert reply.message_id.endswith("@contactcentrum.example>")
    assert reply.in_reply_to == "<plain-1@voorbeeld.nl>"
    assert reply.references == "<older@voorbeeld.nl> <plain-1@voorbeeld.nl>"
    assert reply.subject == f"Re: Vraag over mijn verhuizing {thread_token(thread)}"
    contact = reply.contact_moment
    assert (contact.channel, contact.direction, contact.party_id, contact.agent_id) == (
        "email",
        "outbound",
        person.pk,
        agent.user.pk,
    )
    assert (contact.external_id, contact.answer) == (reply.message_id, reply.body_text)

    [sent] = mail.outbox
    assert (sent.to, sent.from_email, sent.subject) == (["jan.jansen@voorbeeld.nl"], corpus.OURS, reply.subject)
    message = sent.message()
    assert message["Message-ID"] == reply.message_id
    assert message["In-Reply-To"] == "<plain-1@voorbeeld.nl>"
    assert message["References"] == "<older@voorbeeld.nl> <plain-1@voorbeeld.nl>"
    assert message["X-Loop"] == corpus.OURS
    records = ProcessingRecord.objects.filter(subject=subject_pseudonym(person.pk), object_type="email_message")
    assert sorted((r.action, r.actor_type) for r in records) == [
        ("create", "system"),  # the inbound message
        ("create", "user"),  # the agent's reply
        ("export", "system"),  # the reply sent
    ]


def test_the_citizens_answer_to_our_reply_joins_the_thread(inbound, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reply = email_reply_send(message=inbound, actor=agent, body="Geef het door via Mijn omgeving.")

    answer = email_intake(raw=corpus.reply_with_history(in_reply_to=reply.message_id), source=PUSH)

    assert answer.outcome == Outcome.IMPORTED
    assert answer.message.thread_id == inbound.thread_id
    assert list(inbound.thread.messages.values_list("direction", flat=True)) == ["inbound", "outbound", "inbound"]


def test_our_reply_coming_back_to_our_mailbox_is_a_loop(inbound, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_reply_send(message=inbound, actor=agent, body="Antwoord.")
    raw = mail.outbox[0].message().as_bytes()

    result = email_intake(raw=raw, source=PUSH)

    assert result.outcome == Outcome.DUPLICATE  # its Message-ID is our own outbound message's
    bounced = raw.replace(b"Message-ID: <", b"Message-ID: <copy-")
    looped = email_intake(raw=bounced, source=PUSH)
    assert (looped.outcome, looped.message.suppressed_reason, looped.message.thread_id) == (
        Outcome.SUPPRESSED,
        "x_loop",
        inbound.thread_id,
    )
    assert ContactMoment.objects.filter(direction="inbound").count() == 1


def test_only_staff_allowed_to_reply_may(inbound):
    counter_clerk = staff(UserFactory(role="counter_clerk"))
    with pytest.raises(AccessDenied):
        email_reply_send(message=inbound, actor=counter_clerk, body="Antwoord.")
    assert not EmailMessage.objects.filter(direction="outbound").exists()


def test_a_reply_needs_the_contact_at_hand(inbound, agent):
    ContactMoment.objects.filter(pk=inbound.contact_moment_id).update(agent=UserFactory(role="agent"))
    with pytest.raises(AccessDenied):
        email_reply_send(message=inbound, actor=agent, body="Antwoord.")
    assert ProcessingRecord.objects.filter(object_type="email_message", outcome="denied").count() == 1
    assert not EmailMessage.objects.filter(direction="outbound").exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * 20_001])
def test_an_empty_or_too_long_reply_is_refused(inbound, agent, body):
    with pytest.raises(ValidationFailed):
        email_reply_send(message=inbound, actor=agent, body=body)


def test_an_automatic_message_is_not_answered(person, agent):
    suppressed = email_intake(raw=corpus.auto_reply("precedence"), source=PUSH).message
    with pytest.raises(RuleViolation):
        email_reply_send(message=suppressed, actor=agent, body="Antwoord.")


def test_a_mail_server_that_is_down_leaves_the_reply_pending_and_a_refusal_marks_it_failed(inbound, agent, monkeypatch):
    reply = email_reply_send(message=inbound, actor=agent, body="Antwoord.")  # no commit callbacks: not sent yet

    def down(self, messages):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", down)
    assert email_outbound_deliver(reply_id=reply.pk) == "retry"
    reply.refresh_from_db()
    assert (reply.status, reply.last_error) == ("pending", "smtp: SMTPServerDisconnected")

    def refused(self, messages):
        raise smtplib.SMTPRecipientsRefused({})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refused)
    assert email_outbound_deliver(reply_id=reply.pk) == "failed"
    reply.refresh_from_db()
    assert (reply.status, reply.last_error) == ("failed", "smtp: recipient refused")
    assert email_outbound_deliver(reply_id=reply.pk) == "skipped"
    assert mail.outbox == []


def test_a_sent_reply_is_not_sent_again(inbound, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reply = email_reply_send(message=inbound, actor=agent, body="Antwoord.")
    assert email_outbound_deliver(reply_id=reply.pk) == "skipped"
    assert len(mail.outbox) == 1
