"""Files the first line sends with an escalation: checked before anything is written (how many, how
big, and the type recognised from the file's first bytes with `filetype`, never the sender's word),
stored in Django's default storage under a random name (casemanagement.models.attachment_path), and
removed again when the transaction that wrote their rows does not commit.

An attachment's bytes go nowhere but the storage and the download of the organisation handling the
escalation (casemanagement.selectors.escalation_attachment_get): never into a log, the processing log,
an error message or a webhook (which carries a download link).
"""

import codecs
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _

from casemanagement.models import Escalation, EscalationAttachment
from contactcentre.errors import TooLarge, ValidationFailed
from contactcentre.principal import Principal

FIELD = "attachments"
TEXT = "text/plain"
NAME_MAX = 200
# Plain text may hold tabs, line ends and form feeds; other control characters mean it is not text.
_TEXT_CONTROLS_ALLOWED = {"\t", "\n", "\r", "\f"}
_CONTROLS = {chr(code) for code in range(32)} - _TEXT_CONTROLS_ALLOWED


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, with what is known of it."""

    file: File
    name: str
    content_type: str
    size: int
    sha256: str


def _refused(message: str, *, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, field_errors={FIELD: [message]})


def attachments_count_check(*, already: int, adding: int) -> None:
    """At most ESCALATION_ATTACHMENTS_MAX_COUNT files per escalation, over all uploads."""
    limit = settings.ESCALATION_ATTACHMENTS_MAX_COUNT
    if already + adding > limit:
        raise _refused(
            _("Te veel bijlagen: ten hoogste %(limit)d per doorverwijzing.") % {"limit": limit},
            code="attachments_too_many",
        )


def attachments_check(files: Sequence[File], *, already: int = 0) -> list[CheckedFile]:
    """Every file checked before one is stored: the count, each file's size and its sniffed type.
    Raises ValidationFailed (or TooLarge) naming the limit; reads each file once."""
    attachments_count_check(already=already, adding=len(files))
    return [_check(upload) for upload in files]


def _clean_name(name: str) -> str:
    """The file name without any directory and control characters, for display and the download."""
    base = PurePath(str(name or "").replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch not in _CONTROLS and ch != "\x7f").strip()
    return cleaned[-NAME_MAX:] or "bijlage"


def _check(upload: File) -> CheckedFile:
    name = _clean_name(upload.name)
    limit = settings.ESCALATION_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        message = _("%(name)s is te groot: ten hoogste %(limit)s per bestand.") % {
            "name": name,
            "limit": filesizeformat(limit),
        }
        raise TooLarge(message, code="attachment_too_large", field_errors={FIELD: [message]})
    if upload.size == 0:
        raise _refused(_("%(name)s is leeg.") % {"name": name}, code="attachment_empty")
    upload.seek(0)
    sniffed = filetype.guess_mime(upload.read(8192))
    digest, is_text = hashlib.sha256(), True
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    for chunk in upload.chunks():
        digest.update(chunk)
        if is_text:
            is_text = _still_text(decoder, chunk)
    is_text = is_text and _still_text(decoder, b"", final=True)
    # A binary type is known by its first bytes; what has none of an accepted one may still be plain
    # text (UTF-8 without control characters), whose first letters can look like a magic number ("BM").
    if sniffed in settings.ESCALATION_ATTACHMENT_TYPES:
        content_type = sniffed
    else:
        content_type = TEXT if is_text else sniffed or "application/octet-stream"
    if content_type not in settings.ESCALATION_ATTACHMENT_TYPES:
        raise _refused(
            _("%(name)s is van een soort die niet wordt aangenomen; toegestaan: %(types)s.")
            % {"name": name, "types": ", ".join(settings.ESCALATION_ATTACHMENT_TYPES)},
            code="attachment_type_not_allowed",
        )
    return CheckedFile(file=upload, name=name, content_type=content_type, size=upload.size, sha256=digest.hexdigest())


def _still_text(decoder, chunk: bytes, *, final: bool = False) -> bool:
    try:
        text = decoder.decode(chunk, final=final)
    except UnicodeDecodeError:
        return False
    return not any(ch in _CONTROLS for ch in text)


@contextmanager
def files_removed_unless_committed() -> Iterator[list[str]]:
    """Yields a list that the stores below add their storage names to; if the block (wrapped around
    the transaction that writes the rows) raises, those files are deleted again: no file without a row."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


def attachments_store(
    *, escalation: Escalation, checked: Sequence[CheckedFile], actor: Principal, written: list[str]
) -> list[EscalationAttachment]:
    """Store checked files and write their rows (inside the caller's transaction)."""
    stored = []
    for upload in checked:
        attachment = EscalationAttachment(
            escalation=escalation,
            original_name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            uploaded_by=actor.user if actor.is_staff else None,
        )
        upload.file.seek(0)
        attachment.file.save(upload.name, upload.file, save=False)  # the name is replaced by a random path
        written.append(attachment.file.name)
        attachment.save()
        stored.append(attachment)
    return stored


def attachment_download_url(attachment: EscalationAttachment, reference: str) -> str:
    """Where the organisation's system downloads it (with its token): PUBLIC_BASE_URL + the API path."""
    path = reverse("escalation-attachment", kwargs={"reference": reference, "key": attachment.key})
    return f"{settings.PUBLIC_BASE_URL}{path}"


def attachment_summary(attachment: EscalationAttachment, reference: str) -> dict:
    """What the second line is told of an attachment: metadata and the download link, never the bytes."""
    return {
        "id": str(attachment.key),
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "created_at": attachment.created_at.isoformat(),
        "download_url": attachment_download_url(attachment, reference),
    }


def attachment_download(attachment: EscalationAttachment) -> FileResponse:
    """The file as a download under its original name and sniffed type, never shown inline (the API's
    and the worklist's download: the caller has opened it with escalation_attachment_get)."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
