"""Thin tasks of the doors: deliver the notification outbox and the verification codes; read scanned
letters, import the scanners' watched folder and purge old letters; poll the e-mail door's IMAP mailbox,
send replies from the console and purge old mail. Every service behind them is idempotent (a sent
message is never due again, a processed letter is left alone, a message already imported is not
imported again), so Celery may retry them after a database hiccup. Beat sweeps the outbox every 30
seconds and polls the mailbox every IMAP_POLL_SECONDS (CELERY_BEAT_SCHEDULE); nothing wakes the outbox
on enqueue yet. A letter's processing and a reply's sending are enqueued after their commit."""

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
