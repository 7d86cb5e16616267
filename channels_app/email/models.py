"""The e-mail door's records: threads, messages in and out, their attachments, the IMAP poller's place
in each mailbox, and the quarantine of what could not be read.

A message is known by its Message-ID (unique), a quarantined one by the SHA-256 of its raw bytes
(unique): delivered twice, by IMAP and by a push, or after a crash between import and the poller's
bookkeeping, it has one effect.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casemanagement.models import Case
from contactcentre.interactions.models import ContactMoment
from contactcentre.registry.models import Party


class EmailThread(models.Model):
    """One conversation: the first inbound message opens it; replies either way join it."""

    subject = models.CharField(_("onderwerp"), max_length=255, blank=True)
    # The citizen's address the conversation is with (replies go here).
    address = models.EmailField(_("e-mailadres"), max_length=254)
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("partij")
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("zaak")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("e-mailgesprek")
        verbose_name_plural = _("e-mailgesprekken")
        indexes = [models.Index(fields=["case", "address"], name="emailthread_case_address_idx")]

    def __str__(self) -> str:
        return f"{_('E-mailgesprek')} #{self.pk}"


class EmailMessage(models.Model):
    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Inkomend")
        OUTBOUND = "outbound", _("Uitgaand")

    class Status(models.TextChoices):
        IMPORTED = "imported", _("Ontvangen")
        SUPPRESSED = "suppressed", _("Automatisch bericht, niet in behandeling genomen")
        PENDING = "pending", _("Te verzenden")
        SENT = "sent", _("Verzonden")
        FAILED = "failed", _("Niet verzonden")

    class Source(models.TextChoices):
        IMAP = "imap", _("IMAP")
        PUSH = "push", _("Aangeleverd door mailserver")
        CONSOLE = "console", _("Console")

    thread = models.ForeignKey(
        EmailThread, on_delete=models.CASCADE, null=True, blank=True, related_name="messages", db_index=False
    )
    direction = models.CharField(_("richting"), max_length=8, choices=Direction.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    # Why an inbound message was not taken into handling (Auto-Submitted, Precedence, X-Loop, ...).
    suppressed_reason = models.CharField(_("reden"), max_length=32, blank=True)
    source = models.CharField(_("bron"), max_length=8, choices=Source.choices)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=255, blank=True)
    references = models.TextField(_("References"), blank=True)
    from_address = models.EmailField(_("van"), max_length=254)
    to_addresses = models.TextField(_("aan"), blank=True)
    subject = models.CharField(_("onderwerp"), max_length=255, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    body_text = models.TextField(_("tekst"), blank=True)
    # What the agent reads: the new text, without quoted history and signature.
    reply_text = models.TextField(_("nieuwe tekst"), blank=True)
    raw_sha256 = models.CharField(max_length=64, blank=True)
    contact_moment = models.OneToOneField(
        ContactMoment, on_delete=models.SET_NULL, null=True, blank=True, related_name="email_message"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("medewerker"),
    )
    last_error = models.CharField(_("laatste fout"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("e-mailbericht")
        verbose_name_plural = _("e-mailberichten")
        indexes = [models.Index(fields=["thread", "created_at"], name="emailmessage_thread_idx")]

    def __str__(self) -> str:
        return self.message_id


class EmailAttachment(models.Model):
    """A file that came with a message: kept when its size and sniffed type are allowed, otherwise
    listed with the reason it was refused (the agent sees that something was sent)."""

    message = models.ForeignKey(EmailMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    declared_type = models.CharField(_("opgegeven type"), max_length=127, blank=True)
    content_type = models.CharField(_("vastgesteld type"), max_length=127, blank=True)
    size = models.PositiveBigIntegerField(_("grootte"))
    sha256 = models.CharField(max_length=64)
    file = models.FileField(_("bestand"), upload_to="email/attachments/%Y/%m/", max_length=255, blank=True)
    refused_reason = models.CharField(_("geweigerd om"), max_length=32, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")

    def __str__(self) -> str:
        return self.filename


class QuarantinedEmail(models.Model):
    """A message that could not be read, kept byte for byte with the reason, for a person to look at."""

    class Reason(models.TextChoices):
        EMPTY = "empty", _("Leeg bericht")
        TOO_LARGE = "too_large", _("Bericht te groot")
        NO_SENDER = "no_sender", _("Geen geldige afzender")
        BROKEN_MIME = "broken_mime", _("Kapotte MIME-structuur")
        HEADER_ERROR = "header_error", _("Onleesbare kopregels")
        UNEXPECTED = "unexpected", _("Onverwachte fout bij het lezen")

    sha256 = models.CharField(max_length=64, unique=True)
    reason = models.CharField(_("reden"), max_length=16, choices=Reason.choices)
    detail = models.CharField(_("toelichting"), max_length=500, blank=True)
    source = models.CharField(_("bron"), max_length=8, choices=EmailMessage.Source.choices)
    size = models.PositiveBigIntegerField(_("grootte"))
    raw = models.FileField(_("bericht"), upload_to="email/quarantine/", max_length=255)
    received_at = models.DateTimeField(_("ontvangen"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("afgehandeld"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("e-mail in quarantaine")
        verbose_name_plural = _("e-mails in quarantaine")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.sha256[:12]})"


class MailboxState(models.Model):
    """The poller's place in one mailbox folder: the highest UID imported under this UIDVALIDITY. A new
    UIDVALIDITY (the server renumbered the folder) starts again from 0; the Message-ID keeps the import
    single."""

    mailbox = models.CharField(_("postbus"), max_length=255)
    uid_validity = models.PositiveBigIntegerField()
    last_uid = models.PositiveBigIntegerField(default=0)
    polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("stand van postbus")
        verbose_name_plural = _("standen van postbussen")
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "uid_validity"], name="mailboxstate_unique_validity"),
        ]

    def __str__(self) -> str:
        return f"{self.mailbox} ({self.uid_validity}: {self.last_uid})"
