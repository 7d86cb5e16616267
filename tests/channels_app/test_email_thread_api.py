"""The agent's side of the e-mail door: the thread as the agent reads it (new text without quoted history
and signature, attachments listed) for the contact at hand, and the reply that keeps the thread."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from channels_app import tasks
from channels_app.email.intake import email_intake
from channels_app.email.models import EmailMessage
from contactcentre.api.scopes import ALL_SCOPES
from contactcentre.interactions.models import ContactMoment
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from tests.channels_app import email_corpus as corpus
from tests.factories import UserFactory

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
def first(person):
    return email_intake(raw=corpus.with_attachments(), source=PUSH).message


def thread_url(thread_id: int) -> str:
    return f"/api/v1/email/threads/{thread_id}"


def reply_url(message_id: int) -> str:
    return f"/api/v1/email/messages/{message_id}/replies"


def test_the_agent_reads_the_thread_with_the_new_text_and_the_attachments(user_with_role, first, person):
    second = email_intake(raw=corpus.reply_with_history(in_reply_to=first.message_id), source=PUSH).message
    http, _user = user_with_role("agent")

    response = http.get(thread_url(first.thread_id))

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["address"], body["party"], body["case"]) == (
        first.thread_id,
        "jan.jansen@voorbeeld.nl",
        person.pk,
        None,
    )
    assert [(m["id"], m["direction"], m["reply_text"]) for m in body["messages"]] == [
        (first.pk, "inbound", "Hierbij de stukken."),
        (second.pk, "inbound", "Dank u, dan doe ik dat."),
    ]
    assert body["messages"][1]["body_text"].startswith("Dank u, dan doe ik dat.\n\nMet vriendelijke groet,")
    assert [(a["filename"], a["content_type"], a["refused_reason"]) for a in body["messages"][0]["attachments"]] == [
        ("loonstrook.pdf", "application/pdf", ""),
        ("factuur.pdf", "application/x-msdownload", "type_not_allowed"),
        ("foto.png", "image/png", ""),
    ]
    read = ProcessingRecord.objects.get(object_type="email_thread", action="read")
    assert (read.subject, read.purpose, read.purpose_reference, read.outcome) == (
        subject_pseudonym(person.pk),
        "contact",
        str(second.contact_moment_id),
        "success",
    )


def test_the_thread_costs_the_same_queries_for_two_or_six_messages(user_with_role, first):
    http, _user = user_with_role("agent")
    email_intake(raw=corpus.plain(message_id="<x1@voorbeeld.nl>", In_Reply_To=first.message_id), source=PUSH)
    http.get(thread_url(first.thread_id))  # the session and permissions are cached from here on
    with CaptureQueriesContext(connection) as few:
        assert http.get(thread_url(first.thread_id)).status_code == 200
    for index in range(4):
        raw = corpus.with_attachments().replace(b"<attachments@", f"<more-{index}@".encode())
        raw = raw.replace(b"Subject: Bewijsstukken", f"In-Reply-To: {first.message_id}\nSubject: Bewijs".encode())
        email_intake(raw=raw, source=PUSH)
    with CaptureQueriesContext(connection) as many:
        response = http.get(thread_url(first.thread_id))
    assert len(response.json()["messages"]) == 6
    assert len(many) == len(few)


def test_a_contact_taken_by_another_agent_is_not_at_hand(user_with_role, first):
    ContactMoment.objects.filter(pk=first.contact_moment_id).update(agent=UserFactory(role="agent"))
    http, _user = user_with_role("agent")

    assert http.get(thread_url(first.thread_id)).status_code == 403
    assert ProcessingRecord.objects.filter(object_type="email_thread", outcome="denied").count() == 1


@pytest.mark.parametrize("role", ["counter_clerk", "functional_admin"])
def test_roles_without_e_mail_neither_read_nor_reply(user_with_role, first, role):
    http, _user = user_with_role(role)
    assert http.get(thread_url(first.thread_id)).status_code == 403
    assert http.post(reply_url(first.pk), {"body": "Antwoord."}, format="json").status_code == 403
    assert not EmailMessage.objects.filter(direction="outbound").exists()


def test_systems_and_anonymous_callers_neither_read_nor_reply(client_with_scopes, first):
    http, _client = client_with_scopes(list(ALL_SCOPES))
    assert http.get(thread_url(first.thread_id)).status_code == 403
    assert http.post(reply_url(first.pk), {"body": "Antwoord."}, format="json").status_code == 403
    anonymous = APIClient()
    assert anonymous.get(thread_url(first.thread_id)).status_code in (401, 403)
    assert anonymous.post(reply_url(first.pk), {"body": "x"}, format="json").status_code in (401, 403)
    assert not EmailMessage.objects.filter(direction="outbound").exists()


def test_an_unknown_thread_or_message_is_404(user_with_role, first):
    http, _user = user_with_role("agent")
    assert http.get(thread_url(first.thread_id + 1000)).status_code == 404
    assert http.post(reply_url(first.pk + 1000), {"body": "Antwoord."}, format="json").status_code == 404


def test_the_agent_replies_in_the_thread(user_with_role, first, django_capture_on_commit_callbacks):
    http, user = user_with_role("agent")

    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(reply_url(first.pk), {"body": "  Dank voor de stukken.  "}, format="json")

    assert response.status_code == 201
    reply = EmailMessage.objects.get(direction="outbound")
    assert response.json()["id"] == reply.pk
    assert (reply.thread_id, reply.in_reply_to, reply.body_text, reply.status, reply.author_id) == (
        first.thread_id,
        first.message_id,
        "Dank voor de stukken.",
        "sent",
        user.pk,
    )


def test_an_automatic_message_cannot_be_answered_and_an_empty_reply_is_refused(user_with_role, first):
    suppressed = email_intake(
        raw=corpus.plain(message_id="<ooo@voorbeeld.nl>", Precedence="junk", In_Reply_To=first.message_id),
        source=PUSH,
    ).message
    http, _user = user_with_role("agent")

    assert http.post(reply_url(suppressed.pk), {"body": "Antwoord."}, format="json").status_code == 422
    assert http.post(reply_url(first.pk), {"body": "   "}, format="json").status_code == 400
    assert not EmailMessage.objects.filter(direction="outbound").exists()
