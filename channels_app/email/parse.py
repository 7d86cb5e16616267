"""Pure parsing of one e-mail: raw bytes -> `ParsedEmail`, or `UnparseableEmail` with a reason.

No database and no settings here (of Django only its e-mail address validator): the limits and our own
addresses come in as arguments. The body is text/plain where the sender sent one, else the HTML part as
text (inscriptis); text in any charset the sender declared (an unknown or wrong one falls back to UTF-8,
then Windows-1252, never an error), without NUL characters. A forwarded message (message/rfc822) adds
its text below the sender's own. `reply_text` is what the agent reads: the new text without quoted
history and signature (mail-parser-reply, Dutch and English).
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import errors as email_errors
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

import inscriptis
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from mailparser_reply import EmailReplyParser

# Structural defects after which the parts of a message cannot be trusted to be what the sender sent.
BROKEN_MIME_DEFECTS = (
    email_errors.NoBoundaryInMultipartDefect,
    email_errors.StartBoundaryNotFoundDefect,
    email_errors.CloseBoundaryNotFoundDefect,
    email_errors.MultipartInvariantViolationDefect,
)
# Bounded work for the regular-expression based converters: no citizen writes more than this by hand.
MAX_TEXT_CHARS = 200_000
# inscriptis lays out tables in time that grows faster than their size (a 500 kB table: 2.6 s).
MAX_HTML_CHARS = 200_000
# mail-parser-reply's header patterns backtrack within a line (a 50,000-character line of "Op ... schreef"
# took 108 s): it reads at most this much, in lines of at most this length (bench/email_worst_case.py).
MAX_REPLY_SCAN_CHARS = 20_000
MAX_REPLY_LINE_CHARS = 1_000
REPLY_LANGUAGES = ["nl", "en"]
MESSAGE_ID_MAX = 255
MAX_ADDRESS_CHARS = 254  # RFC 5321's limit on a path, and what the address columns hold
FORWARD_PREFIX = re.compile(r"^\s*(?:fwd?|fw|doorst|tr|wg)\s*:", re.IGNORECASE)
_MSGID = re.compile(r"<[^<>\s\x00]+>")
_AUTOMATED_SENDERS = ("mailer-daemon", "postmaster")
_BULK_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})


class UnparseableEmail(Exception):
    """`reason` is one of QuarantinedEmail.Reason's values; `detail` says what was found (no content)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    declared_type: str
    content: bytes


@dataclass
class ParsedEmail:
    sha256: str
    size: int
    message_id: str
    from_address: str
    from_name: str
    to: tuple[str, ...]
    subject: str
    date: datetime | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    text: str
    reply_text: str
    html_only: bool
    is_forward: bool
    auto_reply_reason: str
    attachments: list[ParsedAttachment] = field(default_factory=list)

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """The Message-IDs this one answers, nearest first (In-Reply-To, then References backwards)."""
        return tuple(dict.fromkeys((*self.in_reply_to, *reversed(self.references))))


def raw_sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def email_parse(raw: bytes, *, max_bytes: int, own_addresses: frozenset[str] = frozenset()) -> ParsedEmail:
    """Parse one message. Raises UnparseableEmail (empty, too large, no sender, broken MIME, headers
    that cannot be read). `own_addresses` (lower case) are ours: mail from them or with an X-Loop naming
    them is our own coming back."""
    digest = raw_sha256(raw)
    if not raw.strip():
        raise UnparseableEmail("empty")
    if len(raw) > max_bytes:
        raise UnparseableEmail("too_large", f"{len(raw)} bytes, limit {max_bytes}")
    message = BytesParser(policy=policy.default).parsebytes(raw)
    broken = _broken_defects(message)
    if broken:
        raise UnparseableEmail("broken_mime", ", ".join(sorted(broken)))
    try:
        from_name, from_address = _sender(message)
        headers = {
            "message_id": _first_msgid(message.get("Message-ID", "")) or f"<{digest}@message-id.missing>",
            "to": tuple(
                _one_line(address).lower() for _, address in getaddresses(message.get_all("To", []) or []) if address
            ),
            "subject": _one_line(str(message.get("Subject", "") or ""))[:255],
            "date": _date(message),
            "in_reply_to": tuple(_MSGID.findall(str(message.get("In-Reply-To", "") or ""))),
            "references": tuple(_MSGID.findall(str(message.get("References", "") or ""))),
        }
    except UnparseableEmail:
        raise
    except Exception as error:  # the header parser has bugs for hostile input; any of them is a quarantine
        raise UnparseableEmail("header_error", type(error).__name__) from None
    text, html_only = _body_text(message)
    forwarded = [part for part in message.walk() if part.get_content_type() == "message/rfc822"]
    for part in forwarded:
        text = _with_forwarded(text, part)
    text = _without_nul(text)[:MAX_TEXT_CHARS]
    is_forward = bool(forwarded) or bool(FORWARD_PREFIX.match(headers["subject"]))
    return ParsedEmail(
        sha256=digest,
        size=len(raw),
        from_address=from_address,
        from_name=from_name,
        text=text,
        # A forward's substance is the quoted message itself: the agent reads all of it.
        reply_text=text if is_forward else reply_text_of(text),
        html_only=html_only,
        is_forward=is_forward,
        auto_reply_reason=auto_reply_reason(message, from_address=from_address, own_addresses=own_addresses),
        attachments=list(_attachments(message)),
        **headers,
    )


def reply_text_of(text: str) -> str:
    """The newest text of a message: quoted history ("Op ... schreef:", "> ...", Outlook's header
    block) and the signature removed. Falls back to the whole text if the stripper leaves nothing."""
    if not text.strip():
        return ""
    parsed = EmailReplyParser(languages=REPLY_LANGUAGES).read(_short_lines(text[:MAX_REPLY_SCAN_CHARS]))
    newest = parsed.replies[0].body if parsed.replies else ""
    return newest.strip() or text.strip()


def _short_lines(text: str) -> str:
    """Lines over MAX_REPLY_LINE_CHARS broken at the last space before it (or at it): no quote header is
    that long, and the agent's view of a long paragraph only gains a line break."""
    lines = []
    for line in text.split("\n"):
        while len(line) > MAX_REPLY_LINE_CHARS:
            cut = line.rfind(" ", 0, MAX_REPLY_LINE_CHARS) + 1 or MAX_REPLY_LINE_CHARS
            lines.append(line[:cut].rstrip())
            line = line[cut:]
        lines.append(line)
    return "\n".join(lines)


def auto_reply_reason(message: Message, *, from_address: str, own_addresses: frozenset[str]) -> str:
    """Why this message is automatic and must not be answered or handled as a question, or ""."""
    auto_submitted = str(message.get("Auto-Submitted", "") or "").strip().lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return "auto_submitted"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "auto_submitted"
    if str(message.get("Precedence", "") or "").strip().lower() in _BULK_PRECEDENCE:
        return "precedence"
    loops = " ".join(str(value) for value in message.get_all("X-Loop", []) or []).lower()
    if from_address in own_addresses or any(address in loops for address in own_addresses):
        return "x_loop"
    if from_address.split("@")[0] in _AUTOMATED_SENDERS or message.get("Return-Path", None) == "<>":
        return "mailer_daemon"
    if message.get_content_type() == "multipart/report":
        return "delivery_report"
    if message.get("List-Id"):
        return "mailing_list"
    return ""


# --- helpers -----------------------------------------------------------------------------------


def _broken_defects(message: Message) -> set[str]:
    found = set()
    for part in message.walk():
        for defect in part.defects:
            if isinstance(defect, BROKEN_MIME_DEFECTS):
                found.add(type(defect).__name__)
    return found


def _sender(message: Message) -> tuple[str, str]:
    header = message.get("From", None)
    if header is None:
        raise UnparseableEmail("no_sender", "no From header")
    addresses = getattr(header, "addresses", ())
    if addresses:
        name, address = addresses[0].display_name, addresses[0].addr_spec
    else:
        name, address = parseaddr(str(header))
    address = address.strip().lower()
    try:  # the registry's own rule for an e-mail address: the sender is looked up by it
        validate_email(address)
        if len(address) > MAX_ADDRESS_CHARS:
            raise ValidationError("too long")
    except ValidationError:
        raise UnparseableEmail("no_sender", "From has no valid address") from None
    return _one_line(name)[:200], address


def _first_msgid(value) -> str:
    found = _MSGID.findall(str(value or ""))
    return found[0][:MESSAGE_ID_MAX] if found else ""


def _date(message: Message) -> datetime | None:
    header = message.get("Date", None)
    try:
        value = getattr(header, "datetime", None)
    except Exception:  # an unparseable date is a missing date
        return None
    return value if value is not None and value.tzinfo is not None else None


def _one_line(value: str) -> str:
    return " ".join(_without_nul(value).split())


def _without_nul(value: str) -> str:
    """No database stores NUL characters; a mislabelled UTF-16 part is full of them."""
    return value.replace("\x00", "")


def _decoded(part: Message) -> str:
    """The text of a part in its declared charset; unknown or wrong charsets do not lose the message."""
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "us-ascii"
    for candidate in (charset, "utf-8"):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("cp1252", errors="replace")


def _html_to_text(html: str) -> str:
    return inscriptis.get_text(html[:MAX_HTML_CHARS]).strip()


def _body_text(message: EmailMessage) -> tuple[str, bool]:
    """(text, html_only): text/plain preferred, else the HTML converted."""
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None:
        return _decoded(plain).replace("\r\n", "\n").strip(), False
    html = message.get_body(preferencelist=("html",))
    if html is not None:
        return _html_to_text(_decoded(html)), True
    return "", False


def _with_forwarded(text: str, part: Message) -> str:
    inner = part.get_payload(0) if part.is_multipart() else None
    if not isinstance(inner, EmailMessage):
        return text
    inner_text, _ = _body_text(inner)
    header = "\n".join(
        f"{label}: {_one_line(str(inner.get(name, '') or ''))}"
        for label, name in (("Van", "From"), ("Datum", "Date"), ("Onderwerp", "Subject"))
    )
    block = f"---------- Doorgestuurd bericht ----------\n{header}\n\n{inner_text}"
    return f"{text}\n\n{block}" if text else block


def _attachments(message: EmailMessage):
    """Every part that is a file: named, or not text, and not the body. Forwarded messages' files too."""
    for part in message.walk():
        if part.is_multipart() or part.get_content_type() == "message/rfc822":
            continue
        # The sender's name for display only, without a path (files are stored under their hash).
        filename = _one_line(part.get_filename() or "").replace("\\", "/").rsplit("/", 1)[-1]
        if not filename and part.get_content_maintype() == "text" and part.get_content_disposition() != "attachment":
            continue  # the body, or its other alternative
        content = part.get_payload(decode=True) or b""
        yield ParsedAttachment(
            filename=filename[:255] or "bijlage",
            declared_type=part.get_content_type()[:127],
            content=content,
        )
