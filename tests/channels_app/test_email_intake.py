"""E-mail intake: each new message a contact moment through the first-line pipeline, threaded by
In-Reply-To/References, by our signed thread reference or by a case reference; automatic messages
suppressed; attachments within limits; unreadable messages quarantined once, never dropped."""

from pathlib import Path

import pytest
from django.db import OperationalError

from channels_app.email import intake as intake_module
from channels_app.email.intake import Outcome, email_intake, thread_token
from channels_app.email.models import EmailAttachment, EmailMessage, EmailThread, QuarantinedEmail
from channels_app.email.parse import raw_sha256
from contactcentre.errors import ValidationFailed
from contactcentre.interactions.models import ContactMoment, WorkItem
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from tests.casemanagement.factories import make_case
from tests.channels_app import email_corpus as corpus

pytestmark = pytest.mark.django_db
PUSH = EmailMessage.Source.PUSH


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_a_new_message_is_a_contact_moment_with_the_sender_as_low_identity_claim_and_a_thread(person):
    result = email_intake(raw=corpus.plain(), source=PUSH)

    assert (result.outcome, result.created) == (Outcome.IMPORTED, True)
    message = result.message
    contact = message.contact_moment
    assert (contact.channel, contact.direction, contact.party_id) == ("email", "inbound", person.pk)
    assert (contact.identified_by, contact.assurance) == ("email", "low")
    assert contact.external_id == "<plain-1@voorbeeld.nl>"
    assert (
        contact.question == "Goedemiddag,\n\nIk ben verhuisd naar Utrecht. Moet ik dat ook aan de gemeente doorgeven?"
    )
    thread = message.thread
    assert (thread.subject, thread.address, thread.party_id, thread.case_id) == (
        "Vraag over mijn verhuizing",
        "jan.jansen@voorbeeld.nl",
        person.pk,
        None,
    )
    assert (message.status, message.source, message.direction) == ("imported", "push", "inbound")
    assert (message.from_address, message.to_addresses) == ("jan.jansen@voorbeeld.nl", "contact@contactcentrum.example")
    # The processing log: the contact recorded, the person looked up, the message kept; all for this contact.
    records = ProcessingRecord.objects.filter(subject=subject_pseudonym(person.pk)).order_by("id")
    assert [(r.object_type, r.action, r.purpose) for r in records] == [
        ("contact_moment", "create", "contact"),
        ("party", "search", "contact"),
        ("email_message", "create", "contact"),
    ]
    assert {r.purpose_reference for r in records} == {str(contact.pk)}


def test_each_new_message_is_a_work_item_in_the_email_queue_once(person):
    message = email_intake(raw=corpus.plain(), source=PUSH).message
    email_intake(raw=corpus.plain(), source=EmailMessage.Source.IMAP)

    item = WorkItem.objects.select_related("queue").get()
    assert (item.queue.code, item.kind, item.title, item.status) == (
        "email",
        "email",
        "Vraag per e-mail",
        "open",
    )
    assert (item.source_key, item.contact_moment_id, item.party_id) == (
        "email:<plain-1@voorbeeld.nl>",
        message.contact_moment_id,
        person.pk,
    )


def test_a_very_long_message_id_names_its_work_item_by_hash(db):
    long_id = "<" + "a" * 240 + "@voorbeeld.nl>"
    email_intake(raw=corpus.plain(message_id=long_id), source=PUSH)
    assert WorkItem.objects.get().source_key == f"email:sha256:{raw_sha256(long_id.encode())}"


def test_the_same_message_twice_has_one_effect(person):
    first = email_intake(raw=corpus.plain(), source=EmailMessage.Source.IMAP)
    again = email_intake(raw=corpus.plain(), source=PUSH)

    assert (again.outcome, again.created, again.message.pk) == (Outcome.DUPLICATE, False, first.message.pk)
    assert EmailMessage.objects.count() == 1
    assert ContactMoment.objects.count() == 1
    assert EmailThread.objects.count() == 1
    assert ProcessingRecord.objects.filter(object_type="email_message").count() == 1


def test_an_unknown_sender_is_an_anonymous_contact_and_nothing_is_logged_about_a_person(db):
    result = email_intake(raw=corpus.plain(), source=PUSH)

    contact = result.message.contact_moment
    assert (contact.party_id, contact.identified_by, contact.assurance) == (None, "", "")
    assert result.message.thread.party_id is None
    assert not ProcessingRecord.objects.exists()


def test_a_reply_joins_the_thread_of_the_message_it_answers_and_the_agent_reads_only_the_new_text(person):
    first = email_intake(raw=corpus.plain(), source=PUSH).message

    reply = email_intake(raw=corpus.reply_with_history(in_reply_to=first.message_id), source=PUSH).message

    assert reply.thread_id == first.thread_id
    assert WorkItem.objects.get(contact_moment=reply.contact_moment).title == "Reactie per e-mail"
    assert reply.in_reply_to == "<plain-1@voorbeeld.nl>"
    assert reply.reply_text == "Dank u, dan doe ik dat."
    assert reply.contact_moment.question == "Dank u, dan doe ik dat."
    assert "Met vriendelijke groet" in reply.body_text
    assert EmailThread.objects.count() == 1


def test_mail_from_another_address_naming_a_thread_opens_its_own(person):
    first = email_intake(raw=corpus.plain(), source=PUSH).message
    token = thread_token(first.thread)
    stranger = "Piet <piet@elders.nl>"

    by_reference = email_intake(
        raw=corpus.plain(message_id="<s1@elders.nl>", sender=stranger, In_Reply_To=first.message_id), source=PUSH
    )
    by_token = email_intake(
        raw=corpus.plain(message_id="<s2@elders.nl>", sender=stranger, subject=f"Re: x {token}"), source=PUSH
    )

    assert first.thread_id not in (by_reference.message.thread_id, by_token.message.thread_id)
    assert by_reference.message.thread.address == "piet@elders.nl"
    assert list(first.thread.messages.values_list("pk", flat=True)) == [first.pk]


def test_a_reference_to_an_unknown_message_opens_a_new_thread(person):
    email_intake(raw=corpus.plain(), source=PUSH)
    reply = email_intake(raw=corpus.reply_with_history(in_reply_to="<somewhere@else.nl>"), source=PUSH).message
    assert EmailThread.objects.count() == 2
    assert reply.thread.subject == "Re: Vraag over mijn verhuizing"


def test_our_signed_thread_reference_in_the_subject_joins_the_thread_and_a_forged_one_does_not(person):
    thread = email_intake(raw=corpus.plain(), source=PUSH).message.thread
    token = thread_token(thread)
    assert token.startswith(f"[CC-{thread.pk}-") and len(token) == len(f"[CC-{thread.pk}-]") + 10

    joined = email_intake(raw=corpus.plain(message_id="<m2@voorbeeld.nl>", subject=f"Nog iets {token}"), source=PUSH)
    forged = email_intake(
        raw=corpus.plain(message_id="<m3@voorbeeld.nl>", subject=f"Nog iets [CC-{thread.pk}-0123456789]"), source=PUSH
    )

    assert joined.message.thread_id == thread.pk
    assert forged.message.thread_id != thread.pk
    assert EmailThread.objects.count() == 2


def test_a_case_reference_in_the_subject_threads_by_case_and_sender(person):
    case = make_case(party=person, reference="ZAAK-2026-000123")

    first = email_intake(raw=corpus.plain(subject="Vraag over zaaknummer: zaak-2026-000123"), source=PUSH)
    second = email_intake(raw=corpus.plain(message_id="<m2@voorbeeld.nl>", subject="[ZAAK-2026-000123]"), source=PUSH)
    other_sender = email_intake(
        raw=corpus.plain(message_id="<m3@elders.nl>", subject="Zaak ZAAK-2026-000123", sender="Piet <piet@elders.nl>"),
        source=PUSH,
    )
    unknown_case = email_intake(raw=corpus.plain(message_id="<m4@voorbeeld.nl>", subject="zaak: NOPE-1"), source=PUSH)

    assert first.message.thread.case_id == case.pk
    assert second.message.thread_id == first.message.thread_id
    assert other_sender.message.thread_id != first.message.thread_id
    assert other_sender.message.thread.case_id == case.pk
    assert unknown_case.message.thread.case_id is None
    # The case reference threads; it does not identify: the sender's address does.
    assert other_sender.message.contact_moment.party_id is None


@pytest.mark.parametrize(
    "kind", ["auto_submitted", "precedence", "x_loop", "mailing_list", "mailer_daemon", "delivery_report"]
)
def test_automatic_messages_are_kept_as_suppressed_without_a_contact_moment(person, kind):
    result = email_intake(raw=corpus.auto_reply(kind), source=PUSH)

    assert result.outcome == Outcome.SUPPRESSED
    assert (result.message.status, result.message.suppressed_reason) == ("suppressed", kind)
    assert result.message.contact_moment is None
    assert not ContactMoment.objects.exists()
    assert not WorkItem.objects.exists()
    assert result.message.thread is None


def test_an_out_of_office_answer_to_our_mail_is_shown_in_its_thread_but_handled_by_no_one(person):
    first = email_intake(raw=corpus.plain(), source=PUSH).message
    raw = corpus.plain(
        message_id="<ooo@voorbeeld.nl>",
        subject="Automatisch antwoord: Vraag",
        Auto_Submitted="auto-replied",
        In_Reply_To=first.message_id,
    )

    result = email_intake(raw=raw, source=PUSH)

    assert (result.outcome, result.message.thread_id) == (Outcome.SUPPRESSED, first.thread_id)
    assert ContactMoment.objects.count() == 1


def test_attachments_are_kept_by_sniffed_type_under_their_hash_and_the_rest_listed_as_refused(person, settings):
    result = email_intake(raw=corpus.with_attachments(), source=PUSH)

    rows = list(EmailAttachment.objects.filter(message=result.message).order_by("id"))
    assert [(a.filename, a.declared_type, a.content_type, a.size, a.refused_reason) for a in rows] == [
        ("loonstrook.pdf", "application/pdf", "application/pdf", len(corpus.PDF), ""),
        ("factuur.pdf", "application/pdf", "application/x-msdownload", len(corpus.EXE), "type_not_allowed"),
        ("foto.png", "image/png", "image/png", len(corpus.PNG), ""),
    ]
    pdf, exe, png = rows
    assert pdf.file.name.startswith("email/attachments/")
    assert Path(pdf.file.path).name == f"{raw_sha256(corpus.PDF)}.pdf"
    assert Path(pdf.file.path).read_bytes() == corpus.PDF
    assert Path(png.file.path).read_bytes() == corpus.PNG
    assert Path(png.file.path).is_relative_to(Path(settings.MEDIA_ROOT))
    assert not exe.file


def test_attachment_size_and_count_limits(person, settings):
    settings.EMAIL_ATTACHMENT_MAX_BYTES = len(corpus.PDF) - 1
    settings.EMAIL_ATTACHMENTS_MAX_COUNT = 2

    result = email_intake(raw=corpus.with_attachments(), source=PUSH)

    refused = list(result.message.attachments.order_by("id").values_list("refused_reason", flat=True))
    assert refused == ["too_large", "type_not_allowed", "too_many"]
    assert not any(a.file for a in result.message.attachments.all())


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (corpus.BOUNDARY_MISSING, "broken_mime"),
        (corpus.NO_BOUNDARY_PARAMETER, "broken_mime"),
        (corpus.NO_SENDER, "no_sender"),
        (corpus.GARBAGE, "no_sender"),
        (b"", "empty"),
    ],
)
def test_an_unreadable_message_is_quarantined_byte_for_byte_once(db, raw, reason):
    first = email_intake(raw=raw, source=PUSH)
    again = email_intake(raw=raw, source=EmailMessage.Source.IMAP)

    assert (first.outcome, first.created, first.quarantine.reason) == (Outcome.QUARANTINED, True, reason)
    assert (again.outcome, again.created, again.quarantine.pk) == (Outcome.QUARANTINED, False, first.quarantine.pk)
    assert QuarantinedEmail.objects.count() == 1
    quarantine = QuarantinedEmail.objects.get()
    assert (quarantine.sha256, quarantine.size, quarantine.source) == (raw_sha256(raw), len(raw), "push")
    assert Path(quarantine.raw.path).read_bytes() == raw
    assert not EmailMessage.objects.exists()
    assert not ContactMoment.objects.exists()
    assert not WorkItem.objects.exists()


def test_a_message_over_the_limit_is_quarantined(db, settings):
    raw = corpus.plain()
    settings.EMAIL_MAX_MESSAGE_BYTES = len(raw) - 1
    result = email_intake(raw=raw, source=PUSH)
    assert (result.quarantine.reason, result.quarantine.detail) == (
        "too_large",
        f"{len(raw)} bytes, limit {len(raw) - 1}",
    )


def test_a_parser_bug_quarantines_instead_of_crashing(db, monkeypatch):
    def explode(*args, **kwargs):
        raise IndexError("bug")

    monkeypatch.setattr(intake_module, "email_parse", explode)
    result = email_intake(raw=corpus.plain(), source=PUSH)
    assert (result.outcome, result.quarantine.reason, result.quarantine.detail) == (
        Outcome.QUARANTINED,
        "unexpected",
        "IndexError",
    )


def test_the_functional_admin_sees_the_quarantine_and_marks_it_handled_and_it_stays_imported_once(admin_client):
    first = email_intake(raw=corpus.NO_SENDER, source=PUSH).quarantine

    page = admin_client.get("/admin/channels_app/quarantinedemail/")
    assert page.status_code == 200 and "Geen geldige afzender" in page.content.decode()
    response = admin_client.post(
        "/admin/channels_app/quarantinedemail/", {"action": "mark_resolved", "_selected_action": [first.pk]}
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.resolved_at is not None
    again = email_intake(raw=corpus.NO_SENDER, source=PUSH)
    assert (again.created, again.quarantine.pk) == (False, first.pk)


def test_a_message_with_nul_characters_is_imported(db):
    raw = (
        b"From: jan.jansen@voorbeeld.nl\r\nSubject: a\x00b\r\nMessage-ID: <nul@voorbeeld.nl>\r\n"
        b"Content-Type: text/plain; charset=latin-1\r\n\r\n" + "Hallo".encode("utf-16-le") + b"\r\n"
    )
    result = email_intake(raw=raw, source=PUSH)
    assert result.outcome == Outcome.IMPORTED
    assert (result.message.subject, result.message.body_text, result.message.contact_moment.question) == (
        "ab",
        "Hallo",
        "Hallo",
    )


def test_a_message_the_pipeline_refuses_is_quarantined_so_the_mailbox_is_not_stuck_on_it(db, monkeypatch):
    def refuse(**kwargs):
        raise ValidationFailed("no")

    monkeypatch.setattr(intake_module, "contact_open", refuse)
    result = email_intake(raw=corpus.plain(), source=PUSH)

    assert (result.outcome, result.quarantine.reason, result.quarantine.detail) == (
        Outcome.QUARANTINED,
        "unexpected",
        "recording: ValidationFailed",
    )
    assert not EmailMessage.objects.exists() and not ContactMoment.objects.exists()


def test_a_database_that_is_away_is_not_a_quarantine(db, monkeypatch):
    def away(**kwargs):
        raise OperationalError("connection lost")

    monkeypatch.setattr(intake_module, "contact_open", away)
    with pytest.raises(OperationalError):
        email_intake(raw=corpus.plain(), source=PUSH)
    assert not QuarantinedEmail.objects.exists()
