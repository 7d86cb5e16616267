"""Thin tasks of the doors: deliver the notification outbox and the verification codes; read scanned
letters, import the scanners' watched folder and purge old letters; poll the e-mail door's IMAP mailbox,
send replies from the console and purge old mail; link what the phone menu read out. Every service
behind them is idempotent (a sent message is never due again, a processed letter is left alone, a
message already imported is not imported again), so Celery may retry them and a wake-up may come
twice. The senders are woken by name after the commit that wrote a row (NOTIFICATION_SENDER_TASK,
VERIFICATION_SENDER_TASK; contactcentre/wakeups.py) and swept by beat every 30 seconds; beat polls the
mailbox every IMAP_POLL_SECONDS; a letter's processing, a reply's sending and the phone menu's
knowledge links are enqueued after their commit."""

import imaplib
import logging

from celery import shared_task
from django.db import DatabaseError
from imap_tools.errors import ImapToolsError

from channels_app.email.imap import ImapAccount, mailbox_poll
from channels_app.email.outbound import email_outbound_deliver
from channels_app.email.retention import email_purge
from channels_app.scan.services import (
    scan_inbox_import,
    scanned_letter_process,
    scanned_letters_process_waiting,
    scanned_letters_purge,
)
from channels_app.services import notifications_send_due, verification_messages_send_due
from contactcentre.interactions.services import contact_moment_knowledge_link
from contactcentre.principal import SYSTEM

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (DatabaseError,), "retry_backoff": 5, "retry_backoff_max": 60, "max_retries": 3}


@shared_task(name="channels_app.tasks.send_due_notifications", **RETRY)
def send_due_notifications() -> dict[str, int]:
    return notifications_send_due()


@shared_task(name="channels_app.tasks.send_due_verification_messages", **RETRY)
def send_due_verification_messages() -> dict[str, int]:
    return verification_messages_send_due()


# --- scanned letters (channels_app/scan) -----------------------------------------------------------


@shared_task(name="channels_app.tasks.process_scanned_letter", **RETRY)
def process_scanned_letter(letter_id: int) -> str | None:
    """After a letter's commit: read it and hand it to the first line (idempotent)."""
    letter = scanned_letter_process(letter_id=letter_id)
    return letter.status if letter is not None else None


@shared_task(name="channels_app.tasks.process_received_scans", **RETRY)
def process_received_scans() -> int:
    """Every five minutes: letters whose processing after commit was lost."""
    return scanned_letters_process_waiting()


@shared_task(name="channels_app.tasks.import_scan_inbox", **RETRY)
def import_scan_inbox() -> dict[str, int]:
    """Every minute: the watched folder SCAN_INBOX_DIR."""
    return scan_inbox_import()


@shared_task(name="channels_app.tasks.purge_scanned_letters")
def purge_scanned_letters() -> int:
    """Daily: letters and their originals past the contact moments' retention."""
    return scanned_letters_purge()


# --- the phone menu (channels_app/voice) ------------------------------------------------------------


@shared_task(name="channels_app.tasks.voice_contact_knowledge_link", **RETRY)
def voice_contact_knowledge_link(*, contact_id: int, life_event_id: int | None, article_ids: list[int]) -> bool:
    """The life event and articles the phone menu read out, on the call's contact (idempotent)."""
    return (
        contact_moment_knowledge_link(
            contact_id=contact_id, actor=SYSTEM, life_event_id=life_event_id, article_ids=article_ids
        )
        is not None
    )


# --- e-mail (channels_app/email) -----------------------------------------------------------------


@shared_task(name="channels_app.tasks.poll_email_mailbox", **RETRY)
def poll_email_mailbox() -> dict[str, int]:
    """A server that is down or silent is tried again at the next beat; nothing was read, nothing lost."""
    account = ImapAccount.from_settings()
    if account is None:
        return {}
    try:
        return mailbox_poll(account=account)
    except (OSError, imaplib.IMAP4.error, ImapToolsError) as error:
        logger.warning("IMAP poll of %s failed: %s", account.host, type(error).__name__)
        return {"error": 1}


@shared_task(bind=True, name="channels_app.tasks.deliver_email_reply", max_retries=8)
def deliver_email_reply(self, reply_id: int) -> str:
    """Send a reply from the console; a mail server that is down is tried again with a growing delay."""
    outcome = email_outbound_deliver(reply_id=reply_id)
    if outcome == "retry":
        raise self.retry(countdown=min(30 * 2**self.request.retries, 3600))
    return outcome


@shared_task(name="channels_app.tasks.purge_email", **RETRY)
def purge_email() -> dict[str, int]:
    return email_purge()
