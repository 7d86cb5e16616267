"""The processing log of personal data, after the "Logboek dataverwerkingen" standard."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcessingRecord(models.Model):
    class ActorType(models.TextChoices):
        USER = "user", _("Medewerker")
        API_CLIENT = "api_client", _("Systeem van een organisatie")
        CITIZEN = "citizen", _("Burger zelf")
        SYSTEM = "system", _("Systeem")

    class Action(models.TextChoices):
        READ = "read", _("Inzien")
        SEARCH = "search", _("Zoeken")
        CREATE = "create", _("Vastleggen")
        UPDATE = "update", _("Wijzigen")
        DELETE = "delete", _("Verwijderen")
        EXPORT = "export", _("Verstrekken")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Gelukt")
        DENIED = "denied", _("Geweigerd")
        ERROR = "error", _("Fout")

    occurred_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    actor_type = models.CharField(_("soort actor"), max_length=16, choices=ActorType.choices)
    actor_id = models.CharField(_("actor"), max_length=64)
    actor_label = models.CharField(_("naam actor"), max_length=200, blank=True)
    organisation_code = models.CharField(_("organisatie"), max_length=64, blank=True)
    action = models.CharField(_("handeling"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("soort gegeven"), max_length=64)
    object_id = models.CharField(_("gegeven"), max_length=64, blank=True)
    subject = models.CharField(_("betrokkene (pseudoniem)"), max_length=64)
    purpose = models.CharField(_("doel / verwerkingsactiviteit"), max_length=64)
    purpose_reference = models.CharField(_("aanleiding"), max_length=64, blank=True)
    outcome = models.CharField(_("resultaat"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    trace_id = models.CharField(_("trace-id"), max_length=32, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("verwerking")
        verbose_name_plural = _("verwerkingenlogboek")
        permissions = [("supervise", _("Persoonsgegevens inzien voor toezicht, met opgave van de reden"))]
        # Every read and log of a person inserts here, so only the indexes its lookups use: a person's
        # records newest first (which serves subject alone too) and a trace id, both by exact value
        # (db_index on a CharField would add a second, LIKE-prefix index on PostgreSQL for each).
        indexes = [
            models.Index(fields=["subject", "-occurred_at"]),
            models.Index(fields=["trace_id"], name="processingrecord_trace_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"
