"""The post/scan door: scanned letters in through the API and the watched folder, read after commit in a
task, handed to the first line like every other door, and purged with the contact moments.

- `scanned_letter_receive` checks size and type (by magic bytes), keeps the original under a random
  name in the "scans" storage, once per SHA-256, and asks for processing after commit.
- `scanned_letter_process` reads the text (text layer, else OCR in Dutch), finds BSNs, case references,
  postcodes and dates, and calls the first line's `contact_open` (channel post; a BSN or reference is
  an identity claim at assurance "low"), which classifies the life event with the knowledge search.
  The letter goes to the "post" queue, or to "post-triage" when a person must look first (OCR
  confidence below SCAN_OCR_MIN_CONFIDENCE, nobody identified, no life event, or unreadable).
- `scan_inbox_import` imports the watched folder; a file leaves the inbox only once it is a letter
  (to processed/) or refused (to failed/, with a reason file beside it).

Nothing read from a letter goes into a log or an error: ids, sizes, codes and counts only.
"""

import hashlib
import logging
import os
import secrets
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_app.models import ScannedLetter, scans_storage
from channels_app.scan.extract import PDF, PNG, TIFF, Extraction, ExtractionError, extract_text, sniff_type
from channels_app.scan.find import Findings, body_text, find_all
from contactcentre.errors import DomainError, TooLarge, UnsupportedType, ValidationFailed
from contactcentre.firstline.services import ClaimKind, IdentityClaim, contact_open, identity_resolve
from contactcentre.interactions.models import Channel, WorkItem
from contactcentre.interactions.services import work_item_create
from contactcentre.principal import SYSTEM, Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record
from contactcentre.registry.assurance import AssuranceLevel

logger = logging.getLogger(__name__)

QUEUE = "post"
TRIAGE_QUEUE = "post-triage"
_EXTENSIONS = {PDF: ".pdf", PNG: ".png", TIFF: ".tiff"}
TEXT_MAX = 100_000  # characters of a letter kept (20 pages of dense text is about 60,000)
WAITING_GRACE = timedelta(minutes=5)  # a letter still "received" after this lost its wake-up
WAITING_BATCH = 20
PURGE_BATCH = 500


class Triage:
    """Why a person must look at a letter before it is worked."""

    LOW_CONFIDENCE = "low_confidence"
    NO_IDENTITY = "no_identity"
    NO_LIFE_EVENT = "no_life_event"
    UNREADABLE = "unreadable"

    @staticmethod
    def labels() -> dict[str, str]:
        return {
            Triage.LOW_CONFIDENCE: _("tekst onzeker herkend"),
            Triage.NO_IDENTITY: _("afzender niet herkend"),
            Triage.NO_LIFE_EVENT: _("onderwerp niet herkend"),
            Triage.UNREADABLE: _("niet leesbaar"),
        }


# --- in --------------------------------------------------------------------------------------------


def scanned_letter_receive(*, content: bytes, source: str, actor: Principal) -> tuple[ScannedLetter, bool]:
    """Keep a scan and have it read after commit; (letter, created). The same content again (by
    SHA-256, also when two arrive at once) is the same letter and is not stored twice."""
    if source not in ScannedLetter.Source.values:
        raise ValidationFailed(field_errors={"source": [_("Onbekende bron.")]})
    if not content:
        raise ValidationFailed(field_errors={"file": [_("Het bestand is leeg.")]})
    if len(content) > settings.SCAN_MAX_BYTES:
        raise TooLarge(_("Het bestand is groter dan %(max)s bytes.") % {"max": settings.SCAN_MAX_BYTES})
    media_type = sniff_type(content[:8])
    if media_type is None:
        raise UnsupportedType(_("Alleen PDF, PNG en TIFF worden aangenomen."))
    digest = hashlib.sha256(content).hexdigest()
    existing = ScannedLetter.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    storage = scans_storage()
    name = storage.save(secrets.token_hex(16) + _EXTENSIONS[media_type], ContentFile(content))
    letter = ScannedLetter(
        sha256=digest,
        original=name,
        media_type=media_type,
        size=len(content),
        source=source,
        received_by=actor.user,
        organisation_id=actor.organisation_id,
    )
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:  # the same scan arrived at the same moment: theirs is the letter
        storage.delete(name)
        return ScannedLetter.objects.get(sha256=digest), False
    # robust: a broker that is down must not fail the upload; the sweep reads the letter later.
    transaction.on_commit(lambda: _process_later(letter.pk), robust=True)
    logger.info("scanned letter %s received (%s, %s bytes, %s)", letter.pk, media_type, len(content), source)
    return letter, True


def _process_later(letter_id: int) -> None:
    from channels_app.tasks import process_scanned_letter

    process_scanned_letter.delay(letter_id)


# --- reading and handing over ----------------------------------------------------------------------


def scanned_letter_process(*, letter_id: int) -> ScannedLetter | None:
    """Read a received letter and hand it to the first line; idempotent (a letter no longer "received"
    is left alone, and the contact and work item are keyed on the letter's SHA-256). A letter that
    cannot be read ends as "failed" in the triage queue, never in a retry loop."""
    letter = ScannedLetter.objects.filter(pk=letter_id, status=ScannedLetter.Status.RECEIVED).first()
    if letter is None:
        return None
    try:
        with scans_storage().open(letter.original, "rb") as original:
            content = original.read()
    except FileNotFoundError:
        return _letter_failed(letter, reason="original_missing")
    try:
        extraction = extract_text(content, max_pages=settings.SCAN_MAX_PAGES, timeout=settings.SCAN_OCR_TIMEOUT_SECONDS)
    except ExtractionError as error:
        if error.code == "ocr_unavailable":  # the machine's fault, not the letter's: stays received
            logger.error("scanned letter %s waits: Tesseract is not installed", letter.pk)
            return letter
        return _letter_failed(letter, reason=error.code)
    except Exception as error:  # a malformed file must end in a failed letter, whatever the library raised
        logger.warning("scanned letter %s unreadable: %s", letter.pk, type(error).__name__)
        return _letter_failed(letter, reason="unreadable")
    try:
        return _letter_hand_over(letter, extraction)
    except DomainError as error:  # the first line refused what was read: a person looks, no retry loop
        return _letter_failed(letter, reason=f"first_line_{error.code}")


def _identity_claim(findings: Findings) -> IdentityClaim | None:
    """One BSN in the letter, else one case reference: the first of those that names a known person,
    else the first of them (recorded, it identifies nobody). Two BSNs or two references: a person
    decides whose letter it is."""
    candidates = []
    if len(findings.bsns) == 1:
        candidates.append(IdentityClaim(kind=ClaimKind.BSN, value=findings.bsns[0]))
    if len(findings.case_references) == 1:
        candidates.append(IdentityClaim(kind=ClaimKind.CASE_REFERENCE, value=findings.case_references[0]))
    for claim in candidates:
        party, _ambiguous = identity_resolve(claim=claim)
        if party is not None:
            return claim
    return candidates[0] if candidates else None


def _letter_hand_over(letter: ScannedLetter, extraction: Extraction) -> ScannedLetter:
    text = extraction.text[:TEXT_MAX]
    findings = find_all(text)
    claim = _identity_claim(findings)
    with transaction.atomic():
        letter = ScannedLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != ScannedLetter.Status.RECEIVED:
            return letter  # another worker read it meanwhile
        offer = contact_open(
            channel=Channel.POST,
            actor=SYSTEM,
            identity_claim=claim,
            assurance=AssuranceLevel.LOW,
            text=text,
            external_id=f"scan:{letter.sha256}",
            classify_text=body_text(text),
        )
        reasons = []
        if extraction.confidence < settings.SCAN_OCR_MIN_CONFIDENCE:
            reasons.append(Triage.LOW_CONFIDENCE)
        if offer.party is None:
            reasons.append(Triage.NO_IDENTITY)
        if offer.contact.life_event_id is None:
            reasons.append(Triage.NO_LIFE_EVENT)
        letter.status = ScannedLetter.Status.PROCESSED
        letter.processed_at = timezone.now()
        letter.method = extraction.method
        letter.pages = extraction.pages
        letter.ocr_confidence = extraction.confidence
        letter.text = text
        letter.found = {
            "bsns": findings.bsns,
            "case_references": findings.case_references,
            "postcodes": findings.postcodes,
            "dates": [day.isoformat() for day in findings.dates],
        }
        letter.party = offer.party
        letter.contact_moment = offer.contact
        letter.triage_reasons = reasons
        letter.queue = TRIAGE_QUEUE if reasons else QUEUE
        letter.work_item = _work_item(letter, contact=offer.contact, party=offer.party)
        letter.save()
        if offer.party is not None:
            processing_log_record(
                actor=SYSTEM,
                action=ProcessingRecord.Action.CREATE,
                object_type="scanned_letter",
                object_id=str(letter.pk),
                party_ids=[offer.party.pk],
                purpose=Purpose.CONTACT,
                purpose_reference=str(offer.contact.pk),
            )
    logger.info(
        "scanned letter %s processed by %s (%s pages, confidence %s) to %s",
        letter.pk,
        letter.method,
        letter.pages,
        letter.ocr_confidence,
        letter.queue,
    )
    return letter


def _work_item(letter: ScannedLetter, *, contact=None, party=None) -> WorkItem:
    """The letter's work in its queue, once per scan. The title says why a person must look first,
    never what the letter says or who sent it."""
    title = _("Brief")
    if letter.triage_reasons:
        labels = Triage.labels()
        title = _("Brief beoordelen: %(reasons)s") % {"reasons": ", ".join(labels[r] for r in letter.triage_reasons)}
    return work_item_create(
        queue_code=letter.queue,
        kind=WorkItem.Kind.SCAN,
        title=title,
        contact_moment=contact,
        party=party,
        source_key=f"scan:{letter.sha256}",
    )


def _letter_failed(letter: ScannedLetter, *, reason: str) -> ScannedLetter:
    """Unreadable: the letter is kept and goes to triage, where a person reads the original."""
    with transaction.atomic():
        letter = ScannedLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != ScannedLetter.Status.RECEIVED:
            return letter
        letter.status = ScannedLetter.Status.FAILED
        letter.failure_reason = reason[:64]
        letter.processed_at = timezone.now()
        letter.queue = TRIAGE_QUEUE
        letter.triage_reasons = [Triage.UNREADABLE]
        letter.work_item = _work_item(letter)
        letter.save()
    logger.warning("scanned letter %s failed: %s", letter.pk, reason)
    return letter


def scanned_letters_process_waiting(*, now: datetime | None = None) -> int:
    """Read the letters whose wake-up after commit was lost (a broker down at the time); idempotent."""
    cutoff = (now or timezone.now()) - WAITING_GRACE
    waiting = ScannedLetter.objects.filter(status=ScannedLetter.Status.RECEIVED, received_at__lt=cutoff)
    ids = list(waiting.order_by("received_at").values_list("pk", flat=True)[:WAITING_BATCH])
    for letter_id in ids:
        scanned_letter_process(letter_id=letter_id)
    return len(ids)


# --- the watched folder ----------------------------------------------------------------------------


def scan_inbox_import(*, now: float | None = None) -> dict[str, int]:
    """Import every settled file in SCAN_INBOX_DIR: {"imported", "duplicates", "refused", "waiting",
    "errors"}. A file moves to processed/ once its letter is committed (or it was one already), to
    failed/ with `<name>.reason.txt` when it is refused (too large, not a PDF/PNG/TIFF, empty); on any
    other error it stays where it is for the next round. Symbolic links and hidden files are skipped."""
    inbox = Path(settings.SCAN_INBOX_DIR)
    processed, failed = inbox / "processed", inbox / "failed"
    for folder in (inbox, processed, failed):
        folder.mkdir(parents=True, exist_ok=True)
    now = time.time() if now is None else now
    counts = dict.fromkeys(("imported", "duplicates", "refused", "waiting", "errors"), 0)
    with os.scandir(inbox) as entries:
        files = sorted(
            (e for e in entries if e.is_file(follow_symlinks=False) and not e.name.startswith(".")), key=_name
        )
    for entry in files:
        path = Path(entry.path)
        stat = entry.stat(follow_symlinks=False)
        if now - stat.st_mtime < settings.SCAN_INBOX_SETTLE_SECONDS:
            counts["waiting"] += 1
            continue
        try:
            if stat.st_size > settings.SCAN_MAX_BYTES:  # refused before it is read into memory
                raise TooLarge(_("Het bestand is groter dan %(max)s bytes.") % {"max": settings.SCAN_MAX_BYTES})
            _letter, created = scanned_letter_receive(
                content=path.read_bytes(), source=ScannedLetter.Source.FOLDER, actor=SYSTEM
            )
        except (TooLarge, UnsupportedType, ValidationFailed) as error:
            _move(path, failed, reason=f"{error.code}: {error.message}\n")
            counts["refused"] += 1
            continue
        except Exception as error:  # the database or storage is down: the file waits for the next round
            logger.error("scan inbox: a file was not imported: %s", type(error).__name__)
            counts["errors"] += 1
            continue
        _move(path, processed)
        counts["imported" if created else "duplicates"] += 1
    if any(counts.values()):
        logger.info("scan inbox: %s", counts)
    return counts


def _name(entry: os.DirEntry) -> str:
    return entry.name


def _move(path: Path, folder: Path, *, reason: str = "") -> None:
    """Move a file out of the inbox without overwriting one there; its modification time becomes now,
    from which its retention counts. A file another importer moved meanwhile is left to them."""
    target = folder / path.name
    if target.exists():
        target = folder / f"{timezone.now():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}-{path.name}"
    try:
        os.replace(path, target)
    except FileNotFoundError:
        return
    os.utime(target)
    if reason:
        target.with_name(target.name + ".reason.txt").write_text(reason, encoding="utf-8")


# --- retention -------------------------------------------------------------------------------------


def scanned_letters_purge(*, now: datetime | None = None) -> int:
    """Delete the letters (rows and originals) and the watched folder's processed/ and failed/ files
    older than CONTACT_MOMENT_RETENTION_DAYS, the rule of the contact moments they belong to; the
    deletion of a person's letters is logged once per person per batch. A second run finds nothing.
    Originals go first: a crash in between leaves a row without its file, which the next run deletes."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.CONTACT_MOMENT_RETENTION_DAYS)
    storage = scans_storage()
    deleted = 0
    while True:
        expired = ScannedLetter.objects.filter(received_at__lt=cutoff).order_by("pk")
        batch = list(expired.values_list("pk", "original", "party_id")[:PURGE_BATCH])
        if not batch:
            break
        for _pk, name, _party_id in batch:
            storage.delete(name)  # a file already gone is no error
        with transaction.atomic():
            ScannedLetter.objects.filter(pk__in=[pk for pk, _name, _party in batch]).delete()
            processing_log_record(
                actor=SYSTEM,
                action=ProcessingRecord.Action.DELETE,
                object_type="scanned_letter",
                party_ids=[party_id for _pk, _name, party_id in batch if party_id is not None],
                purpose=Purpose.SYSTEM,
                purpose_reference="retention",
            )
        deleted += len(batch)
    _inbox_folders_purge(cutoff=cutoff)
    return deleted


def _inbox_folders_purge(*, cutoff: datetime) -> None:
    inbox = Path(settings.SCAN_INBOX_DIR)
    for folder in (inbox / "processed", inbox / "failed"):
        if not folder.is_dir():
            continue
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff.timestamp():
                    os.unlink(entry.path)
