"""The post/scan door behind the API and the watched folder: one letter per scan, read after commit,
handed to the first line (a contact moment with an identity claim at assurance "low", classified to a
life event) and to a work queue ("post", or "post-triage" when a person must look first)."""

import hashlib
import logging
import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone

from channels_app.models import ScannedLetter
from channels_app.scan import services
from channels_app.scan.extract import Extraction
from channels_app.scan.services import (
    scan_inbox_import,
    scanned_letter_process,
    scanned_letter_receive,
    scanned_letters_process_waiting,
    scanned_letters_purge,
)
from contactcentre import kennisbank
from contactcentre.interactions.models import ContactMoment, WorkItem
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.registry.services import organisations_import
from lifeevents.services import kennisbank_import
from tests.casemanagement.factories import make_case
from tests.channels_app.scan_letters import (
    BSN,
    LETTER,
    REFERENCE,
    as_png,
    needs_ocr,
    render,
    stored_files,
    text_pdf,
)
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scan_dirs", "scan_tasks_here")]

UNKNOWN_TOPIC = ["Geachte heer, mevrouw,", "Hierbij stuur ik u de gevraagde kopie terug.", "Groet,"]


@pytest.fixture
def knowledge_base():
    organisations_import(rows=kennisbank.load("organisations"))
    kennisbank_import(directory=kennisbank.KENNISBANK_DIR)


@pytest.fixture
def person():
    return PersonFactory(bsn=BSN)


def _receive(content: bytes, capture, *, execute: bool = True) -> ScannedLetter:
    with capture(execute=execute):
        letter, created = scanned_letter_receive(content=content, source="api", actor=SYSTEM)
    assert created
    letter.refresh_from_db()
    return letter


def test_a_letter_becomes_a_contact_and_a_work_item_in_the_post_queue(
    knowledge_base, person, django_capture_on_commit_callbacks
):
    content = text_pdf()
    letter = _receive(content, django_capture_on_commit_callbacks)
    sha = hashlib.sha256(content).hexdigest()
    assert (letter.status, letter.method, letter.pages, letter.ocr_confidence) == ("processed", "text_layer", 1, 100.0)
    assert letter.found == {
        "bsns": [BSN],
        "case_references": [REFERENCE],
        "postcodes": ["3511 AB"],
        "dates": ["2026-03-05", "2026-04-01"],
    }
    contact = ContactMoment.objects.get()
    assert (contact.channel, contact.party, contact.identified_by, contact.assurance) == ("post", person, "bsn", "low")
    assert contact.external_id == f"scan:{sha}"
    assert contact.life_event.slug == "verhuizen"
    assert "Ik wil mijn verhuizing doorgeven" in contact.question
    item = WorkItem.objects.get()
    assert (item.queue.code, item.kind, item.title, item.source_key) == ("post", "scan", "Brief", f"scan:{sha}")
    assert (item.contact_moment, item.party) == (contact, person)
    assert (letter.queue, letter.triage_reasons, letter.work_item, letter.contact_moment, letter.party) == (
        "post",
        [],
        item,
        contact,
        person,
    )
    record = ProcessingRecord.objects.get(object_type="scanned_letter")
    assert (record.action, record.subject, record.purpose, record.purpose_reference) == (
        "create",
        subject_pseudonym(person.pk),
        "contact",
        str(contact.pk),
    )
    assert record.actor_type == "system"


@needs_ocr
def test_an_ocr_letter_is_read_back_and_identified(knowledge_base, person, django_capture_on_commit_callbacks):
    letter = _receive(as_png(render()), django_capture_on_commit_callbacks)
    assert (letter.status, letter.method, letter.media_type) == ("processed", "ocr", "image/png")
    assert (letter.found["bsns"], letter.found["case_references"]) == ([BSN], [REFERENCE])
    assert letter.ocr_confidence >= 80
    assert (letter.party, letter.queue) == (person, "post")
    assert letter.contact_moment.life_event.slug == "verhuizen"


def test_a_letter_of_low_ocr_confidence_lands_in_triage(
    knowledge_base, person, monkeypatch, django_capture_on_commit_callbacks
):
    def blurred(content, **limits):  # OCR faked at its boundary: the same words, read unsurely
        return Extraction(text="\n".join(LETTER), method="ocr", confidence=41.5, pages=1)

    monkeypatch.setattr(services, "extract_text", blurred)
    letter = _receive(as_png(render(["klein"])), django_capture_on_commit_callbacks)
    assert (letter.status, letter.queue, letter.triage_reasons, letter.party) == (
        "processed",
        "post-triage",
        ["low_confidence"],
        person,
    )
    item = WorkItem.objects.get()
    assert (item.queue.code, item.title, item.party) == (
        "post-triage",
        "Brief beoordelen: tekst onzeker herkend",
        person,
    )


def test_a_letter_from_nobody_known_about_nothing_known_goes_to_triage(
    knowledge_base, django_capture_on_commit_callbacks
):
    letter = _receive(text_pdf(UNKNOWN_TOPIC + ["BSN: 111222334"]), django_capture_on_commit_callbacks)
    assert letter.found["bsns"] == []  # fails the elfproef: not taken for a BSN
    assert (letter.queue, letter.triage_reasons) == ("post-triage", ["no_identity", "no_life_event"])
    contact = ContactMoment.objects.get()
    assert (contact.party, contact.identified_by, contact.assurance, contact.life_event) == (None, "", "", None)
    assert WorkItem.objects.get().title == "Brief beoordelen: afzender niet herkend, onderwerp niet herkend"
    assert not ProcessingRecord.objects.exists()  # nobody's data was touched


def test_an_unknown_bsn_with_a_known_reference_is_identified_by_the_reference(
    knowledge_base, django_capture_on_commit_callbacks
):
    case = make_case(reference=REFERENCE)
    letter = _receive(text_pdf(), django_capture_on_commit_callbacks)  # BSN 111222333 is nobody's here
    contact = letter.contact_moment
    assert (contact.party, contact.identified_by, contact.assurance) == (case.party, "case_reference", "low")


def test_two_bsns_in_one_letter_leave_the_choice_to_a_person(knowledge_base, django_capture_on_commit_callbacks):
    PersonFactory(bsn=BSN)
    PersonFactory(bsn="123456782")
    letter = _receive(text_pdf([*LETTER, "BSN partner: 123456782"]), django_capture_on_commit_callbacks)
    assert letter.found["bsns"] == [BSN, "123456782"]
    assert (letter.party, letter.queue, letter.triage_reasons) == (None, "post-triage", ["no_identity"])


def test_the_same_scan_twice_is_one_letter(scan_dirs, knowledge_base, person, django_capture_on_commit_callbacks):
    content = text_pdf()
    with django_capture_on_commit_callbacks(execute=True):
        first, created_first = scanned_letter_receive(content=content, source="api", actor=SYSTEM)
        again, created_again = scanned_letter_receive(content=content, source="folder", actor=SYSTEM)
    assert (created_first, created_again, again.pk) == (True, False, first.pk)
    assert ScannedLetter.objects.count() == 1
    assert len(stored_files(scan_dirs[0])) == 1
    assert (ContactMoment.objects.count(), WorkItem.objects.count()) == (1, 1)


def test_processing_twice_has_one_effect(knowledge_base, person, django_capture_on_commit_callbacks):
    letter = _receive(text_pdf(), django_capture_on_commit_callbacks)
    assert scanned_letter_process(letter_id=letter.pk) is None  # no longer "received": left alone
    ScannedLetter.objects.filter(pk=letter.pk).update(status="received")  # as if a retry raced the first
    scanned_letter_process(letter_id=letter.pk)
    assert (ContactMoment.objects.count(), WorkItem.objects.count()) == (1, 1)
    assert ProcessingRecord.objects.filter(object_type="contact_moment", action="create").count() == 1


def test_the_original_is_stored_under_a_random_name(scan_dirs, django_capture_on_commit_callbacks):
    content = text_pdf()
    letter = _receive(content, django_capture_on_commit_callbacks, execute=False)
    (stored,) = stored_files(scan_dirs[0])
    assert stored.name == letter.original and stored.read_bytes() == content
    assert len(stored.stem) == 32 and stored.suffix == ".pdf"
    assert hashlib.sha256(content).hexdigest() not in stored.name


def test_reading_waits_for_the_commit(scan_tasks_here, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter, _created = scanned_letter_receive(content=text_pdf(), source="api", actor=SYSTEM)
        assert ScannedLetter.objects.get().status == "received"
    assert (len(callbacks), scan_tasks_here, ContactMoment.objects.exists()) == (1, [], False)
    callbacks[0]()  # the commit
    letter.refresh_from_db()
    assert (scan_tasks_here, letter.status) == ([letter.pk], "processed")


def test_a_malformed_pdf_fails_into_triage_and_is_kept(scan_dirs, django_capture_on_commit_callbacks):
    letter = _receive(b"%PDF-1.4\nnot a pdf after all", django_capture_on_commit_callbacks)
    assert (letter.status, letter.failure_reason, letter.queue, letter.triage_reasons) == (
        "failed",
        "pdf_unreadable",
        "post-triage",
        ["unreadable"],
    )
    item = WorkItem.objects.get()
    assert (item.queue.code, item.title, item.contact_moment) == (
        "post-triage",
        "Brief beoordelen: niet leesbaar",
        None,
    )
    assert len(stored_files(scan_dirs[0])) == 1  # the original stays for the person who reads it
    assert scanned_letter_process(letter_id=letter.pk) is None  # failed once, not retried in a loop


def test_a_letter_the_first_line_refuses_fails_into_triage(monkeypatch, django_capture_on_commit_callbacks):
    from contactcentre.errors import ValidationFailed

    def refuses(**kwargs):
        raise ValidationFailed(field_errors={"identity_claim.value": ["niet geldig"]})

    monkeypatch.setattr(services, "contact_open", refuses)
    letter = _receive(text_pdf(), django_capture_on_commit_callbacks)
    assert (letter.status, letter.failure_reason, letter.queue) == (
        "failed",
        "first_line_validation_failed",
        "post-triage",
    )
    assert (WorkItem.objects.get().queue.code, ContactMoment.objects.count()) == ("post-triage", 0)


def test_a_letter_waits_while_tesseract_is_missing(monkeypatch, django_capture_on_commit_callbacks):
    from channels_app.scan.extract import ExtractionError

    def missing(content, **limits):
        raise ExtractionError("ocr_unavailable")

    monkeypatch.setattr(services, "extract_text", missing)
    letter = _receive(as_png(render(["kort"])), django_capture_on_commit_callbacks)
    assert (letter.status, WorkItem.objects.count()) == ("received", 0)


def test_letters_whose_wake_up_was_lost_are_swept(knowledge_base, person, django_capture_on_commit_callbacks):
    letter = _receive(text_pdf(), django_capture_on_commit_callbacks, execute=False)
    assert scanned_letters_process_waiting() == 0  # too young: its own wake-up may still come
    ScannedLetter.objects.filter(pk=letter.pk).update(received_at=timezone.now() - timedelta(minutes=6))
    assert scanned_letters_process_waiting() == 1
    letter.refresh_from_db()
    assert (letter.status, letter.queue) == ("processed", "post")


def test_no_bsn_in_the_logs(knowledge_base, person, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    _receive(text_pdf(), django_capture_on_commit_callbacks)
    _receive(b"%PDF-1.4\nbroken " + BSN.encode(), django_capture_on_commit_callbacks)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "scanned letter" in logged
    assert BSN not in logged and "111 222 333" not in logged and REFERENCE not in logged


# --- retention ---------------------------------------------------------------------------------------


def test_the_purge_deletes_old_letters_and_originals_once(
    scan_dirs, settings, knowledge_base, person, django_capture_on_commit_callbacks
):
    settings.CONTACT_MOMENT_RETENTION_DAYS = 30
    old = _receive(text_pdf(), django_capture_on_commit_callbacks)
    young = _receive(text_pdf(UNKNOWN_TOPIC), django_capture_on_commit_callbacks)
    ScannedLetter.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=31))
    inbox = scan_dirs[1]
    (inbox / "processed").mkdir(parents=True)
    stale, fresh = inbox / "processed" / "old.pdf", inbox / "processed" / "new.pdf"
    stale.write_bytes(b"%PDF-old")
    fresh.write_bytes(b"%PDF-new")
    month_ago = (timezone.now() - timedelta(days=31)).timestamp()
    os.utime(stale, (month_ago, month_ago))

    assert scanned_letters_purge() == 1
    assert list(ScannedLetter.objects.values_list("pk", flat=True)) == [young.pk]
    assert [path.name for path in stored_files(scan_dirs[0])] == [young.original]
    assert (stale.exists(), fresh.exists()) == (False, True)
    record = ProcessingRecord.objects.get(object_type="scanned_letter", action="delete")
    assert (record.subject, record.purpose, record.purpose_reference) == (
        subject_pseudonym(person.pk),
        "system",
        "retention",
    )
    assert scanned_letters_purge() == 0  # a second run changes nothing
    assert ProcessingRecord.objects.filter(action="delete").count() == 1


# --- the watched folder ------------------------------------------------------------------------------


def test_the_watched_folder_is_imported_and_emptied(scan_dirs, settings, django_capture_on_commit_callbacks):
    settings.SCAN_MAX_BYTES = 5000
    inbox = scan_dirs[1]
    inbox.mkdir(parents=True)
    letter = text_pdf()
    (inbox / "brief-1.pdf").write_bytes(letter)
    (inbox / "brief-1-nogmaals.pdf").write_bytes(letter)  # the same letter scanned twice
    (inbox / "foto.gif").write_bytes(b"GIF89a" + b"\x00" * 20)
    (inbox / "groot.tiff").write_bytes(b"II*\x00" + b"\x00" * 6000)
    (inbox / ".tijdelijk.pdf").write_bytes(letter)  # a scanner still writing under a hidden name
    (inbox / "link.pdf").symlink_to(inbox / "brief-1.pdf")

    with django_capture_on_commit_callbacks(execute=False):
        counts = scan_inbox_import()

    assert counts == {"imported": 1, "duplicates": 1, "refused": 2, "waiting": 0, "errors": 0}
    assert ScannedLetter.objects.get().source == "folder"
    assert sorted(p.name for p in inbox.iterdir() if p.is_file() or p.is_symlink()) == [".tijdelijk.pdf", "link.pdf"]
    assert sorted(p.name for p in (inbox / "processed").iterdir()) == ["brief-1-nogmaals.pdf", "brief-1.pdf"]
    failed = inbox / "failed"
    assert sorted(p.name for p in failed.iterdir()) == [
        "foto.gif",
        "foto.gif.reason.txt",
        "groot.tiff",
        "groot.tiff.reason.txt",
    ]
    assert (failed / "foto.gif.reason.txt").read_text().startswith("unsupported_type: ")
    assert (failed / "groot.tiff.reason.txt").read_text().startswith("too_large: ")
    assert scan_inbox_import()["imported"] == 0  # nothing left to import


def test_a_file_still_being_written_waits(scan_dirs, settings):
    settings.SCAN_INBOX_SETTLE_SECONDS = 60
    inbox = scan_dirs[1]
    inbox.mkdir(parents=True)
    (inbox / "brief.pdf").write_bytes(text_pdf())
    assert scan_inbox_import()["waiting"] == 1
    assert (inbox / "brief.pdf").exists() and not ScannedLetter.objects.exists()


def test_a_file_that_could_not_be_imported_stays_in_the_inbox(scan_dirs, monkeypatch):
    def database_down(**kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(services, "scanned_letter_receive", database_down)
    inbox = scan_dirs[1]
    inbox.mkdir(parents=True)
    (inbox / "brief.pdf").write_bytes(text_pdf())
    assert scan_inbox_import()["errors"] == 1
    assert (inbox / "brief.pdf").read_bytes() == text_pdf()
    assert list((inbox / "processed").iterdir()) == [] and list((inbox / "failed").iterdir()) == []


def test_the_management_command_imports_once(scan_dirs, capsys, django_capture_on_commit_callbacks):
    inbox = scan_dirs[1]
    inbox.mkdir(parents=True)
    (inbox / "brief.pdf").write_bytes(text_pdf())
    with django_capture_on_commit_callbacks(execute=False):
        call_command("scan_inbox_import")
    assert capsys.readouterr().out.strip() == "imported=1 duplicates=0 refused=0 waiting=0 errors=0"
    assert ScannedLetter.objects.count() == 1
