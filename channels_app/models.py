"""The doors' models; each door keeps its own in its package and is named here for Django."""

from channels_app.counter.models import Appointment, CounterService, Office, OfficeDayCounter, Ticket
from channels_app.email.models import EmailAttachment, EmailMessage, EmailThread, MailboxState, QuarantinedEmail
from channels_app.scan.models import ScannedLetter, scans_storage
from channels_app.voice.models import VoiceCall

__all__ = [
    "Appointment",
    "CounterService",
    "EmailAttachment",
    "EmailMessage",
    "EmailThread",
    "MailboxState",
    "Office",
    "OfficeDayCounter",
    "QuarantinedEmail",
    "ScannedLetter",
    "Ticket",
    "VoiceCall",
    "scans_storage",
]
