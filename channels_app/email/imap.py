"""The IMAP poller: reads the messages that arrived since the last poll, by UID, and hands each to
`email_intake`. Nothing is marked, moved or deleted on the server.

The place in the folder is (UIDVALIDITY, last UID imported) in MailboxState, moved on after each
message's intake has committed. A crash between the two reads that message again at the next poll,
and the intake's Message-ID (or quarantine hash) makes that a no-op: each message has one effect. A
new UIDVALIDITY (the server renumbered the folder) starts again from UID 1 on the same terms. A message
over the size limit is not downloaded: its headers are quarantined, the message stays on the server.
One poll at a time per mailbox (a lock in the cache); the connection has a timeout for every read.
"""

import logging
import re
import ssl
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted, U

from channels_app.email.intake import email_intake, email_quarantine
from channels_app.email.models import EmailMessage, MailboxState, QuarantinedEmail

logger = logging.getLogger(__name__)

_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    security: str = "ssl"
    timeout: float = 10.0

    @property
    def key(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"[:255]

    @classmethod
    def from_settings(cls) -> "ImapAccount | None":
        if not settings.IMAP_HOST:
            return None
        return cls(
            host=settings.IMAP_HOST,
            port=settings.IMAP_PORT,
            user=settings.IMAP_USER,
            password=settings.IMAP_PASSWORD,
            folder=settings.IMAP_FOLDER,
            security=settings.IMAP_SECURITY,
            timeout=settings.IMAP_TIMEOUT_SECONDS,
        )


def mailbox_poll(*, account: ImapAccount, batch: int | None = None) -> dict[str, int]:
    """Import what arrived since the last poll (at most `batch` messages); counts per outcome."""
    batch = batch or settings.IMAP_BATCH
    lock = f"channels_app:imap-poll:{account.key}"
    if not cache.add(lock, 1, timeout=max(60, int(account.timeout * 10))):
        return {"skipped": 1}
    try:
        return _poll(account, batch)
    finally:
        cache.delete(lock)


def _connect(account: ImapAccount):
    """imaplib checks no certificate unless given a context: the default one checks chain and host name."""
    if account.security == "none":
        return MailBoxUnencrypted(account.host, account.port, timeout=account.timeout)
    mailbox_class = MailBoxStartTls if account.security == "starttls" else MailBox
    return mailbox_class(account.host, account.port, timeout=account.timeout, ssl_context=ssl.create_default_context())


def _poll(account: ImapAccount, batch: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    with _connect(account).login(account.user, account.password, initial_folder=account.folder) as mailbox:
        validity = mailbox.folder.status(account.folder, ["UIDVALIDITY"])["UIDVALIDITY"]
        state, _ = MailboxState.objects.get_or_create(mailbox=account.key, uid_validity=validity)
        # "n:*" always answers the highest UID, even when it is below n: filter on our side.
        uids = sorted(int(uid) for uid in mailbox.uids(AND(uid=U(state.last_uid + 1, "*"))))
        for uid in [uid for uid in uids if uid > state.last_uid][:batch]:
            outcome = _import_one(mailbox, account, uid)
            counts[outcome] = counts.get(outcome, 0) + 1
            MailboxState.objects.filter(pk=state.pk, last_uid__lt=uid).update(last_uid=uid)
        MailboxState.objects.filter(pk=state.pk).update(polled_at=timezone.now())
    return counts


def _import_one(mailbox, account: ImapAccount, uid: int) -> str:
    size = _fetch_size(mailbox, uid)
    limit = settings.EMAIL_MAX_MESSAGE_BYTES
    if size > limit:
        headers = _fetch(mailbox, uid, "BODY.PEEK[HEADER]")
        detail = f"{size} bytes, limit {limit}; left on the server in {account.folder} UID {uid}"
        return email_quarantine(
            raw=headers, reason=QuarantinedEmail.Reason.TOO_LARGE, detail=detail, source=EmailMessage.Source.IMAP
        ).outcome
    return email_intake(raw=_fetch(mailbox, uid, "BODY.PEEK[]"), source=EmailMessage.Source.IMAP).outcome


def _fetch_size(mailbox, uid: int) -> int:
    status, data = mailbox.client.uid("FETCH", str(uid), "(RFC822.SIZE)")
    match = _SIZE.search(b" ".join(item for item in data if isinstance(item, bytes))) if status == "OK" else None
    return int(match.group(1)) if match else 0


def _fetch(mailbox, uid: int, part: str) -> bytes:
    """The literal of one FETCH item, byte for byte as the server holds it (an empty message: b"")."""
    status, data = mailbox.client.uid("FETCH", str(uid), f"({part})")
    if status != "OK":
        raise ConnectionError(f"FETCH {part} answered {status}")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return b""
