"""The doors' own records (the e-mail door's are in channels_app/email/models.py, imported here so
Django finds them). A scanned letter: its original (in the "scans" storage under a random name, never
served), what was read from it and where it went (a contact moment, a work queue).

The same scan twice is one letter: its SHA-256 is unique. The row is also the letter's outbox: a
letter still "received" after its processing was lost is picked up again by the periodic sweep.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from channels_app.email.models import (  # noqa: F401 - the e-mail door's models live in its package
    EmailAttachment,
    EmailMessage,
    EmailThread,
    MailboxState,
    QuarantinedEmail,
)
from contactcentre.interactions.models import ContactMoment, WorkItem
from contactcentre.registry.models import Organisation, Party


def scans_storage():
    """The originals' storage (STORAGES["scans"]), looked up at each use so a changed setting counts."""
    return storages["scans"]


class ScannedLetter(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Ontvangen")
        PROCESSED = "processed", _("Verwerkt")
        FAILED = "failed", _("Mislukt")

    class Source(models.TextChoices):
        API = "api", _("API")
        FOLDER = "folder", _("Postmap")

    class Method(models.TextChoices):
        NONE = "", _("Nog niet gelezen")
        TEXT_LAYER = "text_layer", _("Tekstlaag van de PDF")
        OCR = "ocr", _("Tekstherkenning (OCR)")

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    # The original's name in the "scans" storage: random, so it says nothing and cannot be guessed.
    original = models.CharField(_("origineel"), max_length=100, editable=False)
    media_type = models.CharField(_("soort bestand"), max_length=32)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    source = models.CharField(_("bron"), max_length=8, choices=Source.choices)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangeleverd door"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangeleverd door organisatie"),
    )
    received_at = models.DateTimeField(_("ontvangen"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    # A short code ("pdf_unreadable", "ocr_timeout"): never anything read from the letter.
    failure_reason = models.CharField(_("reden mislukt"), max_length=64, blank=True)
    processed_at = models.DateTimeField(_("verwerkt"), null=True, blank=True)
    method = models.CharField(_("gelezen met"), max_length=16, choices=Method.choices, blank=True)
    pages = models.PositiveSmallIntegerField(_("pagina's"), null=True, blank=True)
    ocr_confidence = models.FloatField(_("zekerheid tekstherkenning"), null=True, blank=True)
    text = models.TextField(_("tekst"), blank=True)
    # What the text names: {"bsns": [...], "case_references": [...], "postcodes": [...], "dates": [iso, ...]}.
    # Personal data like the text; neither appears in the admin's lists, the API or a log.
    found = models.JSONField(_("gevonden gegevens"), default=dict, blank=True)
    party = models.ForeignKey(
        Party, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("partij")
    )
    contact_moment = models.ForeignKey(
        ContactMoment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("contact")
    )
    queue = models.CharField(_("werkbak"), max_length=64, blank=True)
    work_item = models.ForeignKey(
        WorkItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("werkitem")
    )
    triage_reasons = models.JSONField(_("waarom beoordelen"), default=list, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("gescande brief")
        verbose_name_plural = _("gescande brieven")
        indexes = [
            # The retention purge by age, and the sweep of letters whose processing was lost.
            models.Index(fields=["received_at"], name="scan_received_idx"),
            models.Index(fields=["received_at"], name="scan_waiting_idx", condition=models.Q(status="received")),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
