"""The transports that deliver outbound messages to citizens: one small function per channel behind one
signature, `send(*, channel, recipient, subject, body, reference="")`, raising `TransportError`.

- sms: Twilio's REST client (`twilio.rest.Client`), with a timeout; without TWILIO_ACCOUNT_SID (the
  embedded default) each message is a JSON file under SMS_FILE_PATH, so `make run` needs no account.
- email: Django's e-mail backend (SMTP in production, the file backend in the embedded default).
- portal: the portal shows the notification row itself; nothing leaves the building.
- letter: a print queue, one JSON file a letter under LETTER_QUEUE_DIR (named by `reference`, so
  queueing the same letter twice replaces the file and prints one letter).

An error's reason names a status or code, never the recipient: it is stored and logged.
"""

import functools
import json
import logging
import os
import smtplib
import uuid
from collections.abc import Callable
from pathlib import Path

import requests
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

SMS, EMAIL, PORTAL, LETTER = "sms", "email", "portal", "letter"

# Twilio answers these for a number that will never take the message: invalid (21211), unreachable
# (21214), region not enabled (21408), recipient sent STOP (21610), unroutable (21612), not a mobile (21614).
TWILIO_PERMANENT_CODES = frozenset({21211, 21214, 21408, 21610, 21612, 21614})

# Twilio's HTTP client logs each request's URL and headers at INFO; the transport logs its own outcome.
_twilio_logger = logging.getLogger("channels_app.transports.twilio")
_twilio_logger.setLevel(logging.WARNING)


class TransportError(Exception):
    """A message could not be delivered. `permanent`: trying again will not help (a bad number, a
    refused address, the recipient opted out); otherwise the caller retries later."""

    def __init__(self, reason: str, *, permanent: bool):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def send(*, channel: str, recipient: str, subject: str, body: str, reference: str = "") -> None:
    """Deliver one message on `channel`; returns when the provider accepted it."""
    transport = TRANSPORTS.get(channel)
    if transport is None:
        raise TransportError(f"unknown channel {channel!r}", permanent=True)
    transport(recipient=recipient, subject=subject, body=body, reference=reference)


# --- SMS -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _twilio_client(account_sid: str, auth_token: str, base_url: str, timeout: float) -> Client:
    """One client (and its pooled HTTP session) per configuration."""
    http_client = TwilioHttpClient(timeout=timeout, logger=_twilio_logger)
    client = Client(account_sid, auth_token, http_client=http_client)
    if base_url:  # a local fake of Twilio's API in tests; Twilio's own host otherwise
        client.api.base_url = base_url
    return client


def send_sms(*, recipient: str, subject: str, body: str, reference: str = "") -> None:
    account_sid = settings.TWILIO_ACCOUNT_SID
    if not account_sid:
        _file_drop(Path(settings.SMS_FILE_PATH), reference, {"to": recipient, "body": body})
        return
    client = _twilio_client(
        account_sid, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_API_BASE_URL, float(settings.TWILIO_TIMEOUT_SECONDS)
    )
    try:
        client.messages.create(to=recipient, from_=settings.TWILIO_FROM_NUMBER, body=body)
    except TwilioRestException as error:
        raise _twilio_error(error) from None
    except requests.RequestException as error:  # connect or read timeout, refused, reset
        raise TransportError(f"twilio: {type(error).__name__}", permanent=False) from None
    except TwilioException as error:  # the client's own complaints (credentials missing, a bad answer)
        raise TransportError(f"twilio: {type(error).__name__}", permanent=False) from None


def _twilio_error(error: TwilioRestException) -> TransportError:
    """Too many requests, a server error or our own credentials refused: later. A number Twilio will
    never deliver to, or another refusal of this message: never."""
    reason = f"twilio: http {error.status} code {error.code}"
    if error.code in TWILIO_PERMANENT_CODES:
        return TransportError(reason, permanent=True)
    retryable = error.status in (401, 403, 408, 429) or error.status >= 500
    return TransportError(reason, permanent=not retryable)


# --- e-mail --------------------------------------------------------------------------------------


def send_email(
    *, recipient: str, subject: str, body: str, reference: str = "", sender: str = "", headers: dict | None = None
) -> None:
    """`sender` (default DEFAULT_FROM_EMAIL) and `headers` (Message-ID, In-Reply-To, ...) for the e-mail
    door's replies, which must come from the address citizens write to and keep their thread."""
    message = EmailMessage(subject=subject, body=body, to=[recipient], from_email=sender or None, headers=headers)
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused:
        raise TransportError("smtp: recipient refused", permanent=True) from None
    except smtplib.SMTPResponseException as error:  # its text may quote the address: only the code is kept
        raise TransportError(f"smtp: {type(error).__name__} {error.smtp_code}", permanent=False) from None
    except (smtplib.SMTPException, OSError) as error:  # connection refused, timeout, TLS
        raise TransportError(f"smtp: {type(error).__name__}", permanent=False) from None


# --- portal and letter ---------------------------------------------------------------------------


def send_portal(*, recipient: str, subject: str, body: str, reference: str = "") -> None:
    """The portal shows the notification row itself: sending is marking it sent."""


def send_letter(*, recipient: str, subject: str, body: str, reference: str = "") -> None:
    """Queue for print: `recipient` is the postal address block."""
    _file_drop(Path(settings.LETTER_QUEUE_DIR), reference, {"address": recipient, "subject": subject, "body": body})


def _file_drop(directory: Path, reference: str, payload: dict) -> None:
    """Write one JSON file atomically (a reader never sees half a file), readable by the owner only."""
    name = f"{reference or uuid.uuid4().hex}.json"
    temporary = directory / f".{name}.{uuid.uuid4().hex}.tmp"
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(payload | {"reference": reference, "queued_at": timezone.now().isoformat()}, handle)
        os.replace(temporary, directory / name)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise TransportError(f"file drop: {type(error).__name__}", permanent=False) from None


TRANSPORTS: dict[str, Callable[..., None]] = {
    SMS: send_sms,
    EMAIL: send_email,
    PORTAL: send_portal,
    LETTER: send_letter,
}
