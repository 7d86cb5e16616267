"""Case types with ordered statuses, cases of parties at every connected organisation, status history.

Sized for a nation's worth of data (millions of cases): every read path the first line uses has an
index (party, reference, organisation), and what lists show (current status, deadline, open/closed)
is stored on the case so a list is one indexed query with joins to small tables.
"""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcentre.registry.models import Organisation, Party
from lifeevents.models import Article, LifeEvent


class CaseType(models.Model):
    """A kind of case an organisation handles, e.g. "Huurtoeslag" at Dienst Toeslagen."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="case_types", verbose_name=_("organisatie")
    )
    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    legal_term_days = models.PositiveIntegerField(_("wettelijke termijn (dagen)"))
    extension_days = models.PositiveIntegerField(_("mogelijke verlenging (dagen)"), default=0)
    first_line_capable = models.BooleanField(_("eerste lijn handelt zelf af"), default=False)
    # Declared here, on the higher layer: the knowledge base knows nothing of case types.
    life_events = models.ManyToManyField(
        LifeEvent, related_name="case_types", blank=True, verbose_name=_("levensgebeurtenissen")
    )
    articles = models.ManyToManyField(Article, related_name="case_types", blank=True, verbose_name=_("kennisartikelen"))
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("zaaktype")
        verbose_name_plural = _("zaaktypen")

    def __str__(self) -> str:
        return self.name


class StatusType(models.Model):
    """One step of a case type, in order; `citizen_text` is what the citizen is told."""

    case_type = models.ForeignKey(
        CaseType, on_delete=models.CASCADE, related_name="status_types", verbose_name=_("zaaktype")
    )
    order = models.PositiveSmallIntegerField(_("volgorde"))
    code = models.SlugField(_("code"), max_length=80)
    name = models.CharField(_("naam"), max_length=200)
    citizen_text = models.TextField(_("tekst voor de burger"))
    notify_citizen = models.BooleanField(_("burger krijgt bericht"), default=False)
    is_final = models.BooleanField(_("eindstatus"), default=False)

    class Meta:
        ordering = ["case_type", "order"]
        verbose_name = _("statustype")
        verbose_name_plural = _("statustypen")
        constraints = [
            models.UniqueConstraint(fields=["case_type", "code"], name="statustype_unique_code"),
            models.UniqueConstraint(fields=["case_type", "order"], name="statustype_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.case_type.code}: {self.name}" if self.case_type_id else self.name


class Confidentiality(models.TextChoices):
    """How much of a case the first line may see (see casemanagement.policy)."""

    NORMAL = "normal", _("Normaal")
    CONFIDENTIAL = "confidential", _("Vertrouwelijk")
    SECRET = "secret", _("Geheim")


class Case(models.Model):
    # Foreign keys whose lookups are covered by a composite index below carry no index of their own.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", verbose_name=_("organisatie"), db_index=False
    )
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="cases", verbose_name=_("zaaktype"))
    reference = models.CharField(_("zaaknummer"), max_length=40)
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="cases", verbose_name=_("partij"), db_index=False
    )
    status = models.ForeignKey(
        StatusType,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("huidige status"),
        db_index=False,
    )
    status_set_at = models.DateTimeField(_("status sinds"), null=True, blank=True)
    opened_at = models.DateTimeField(_("geopend"), default=timezone.now)
    deadline = models.DateField(_("uiterste datum"))
    extended_days = models.PositiveIntegerField(_("verlengd met (dagen)"), default=0)
    extension_reason = models.CharField(_("reden verlenging"), max_length=500, blank=True)
    suspended_since = models.DateTimeField(_("opgeschort sinds"), null=True, blank=True)
    suspended_days = models.PositiveIntegerField(_("opgeschorte dagen"), default=0)
    suspension_reason = models.CharField(_("reden opschorting"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("afgesloten"), null=True, blank=True)
    confidentiality = models.CharField(
        _("vertrouwelijkheid"), max_length=16, choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    # Set on every save, also a save(update_fields=...) (see save()); the organisations' feed
    # (GET /api/v1/cases without party) walks a case's own organisation's cases by (updated_at, id).
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("zaak")
        verbose_name_plural = _("zaken")
        permissions = [("view_confidential_case", _("Vertrouwelijke en geheime zaken inzien"))]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="case_unique_reference_per_org"),
        ]
        indexes = [
            # Cases of a party (customer view, status lookup), optionally by current status.
            models.Index(fields=["party", "status"], name="case_party_status_idx"),
            # Case by reference from doors that do not know the organisation (phone, SMS).
            models.Index(fields=["reference"], name="case_reference_idx"),
            # A second-line organisation's own cases in list order (selectors.open_first): open first
            # by deadline, then closed, newest first. PostgreSQL sorts DESC with NULLS FIRST, as the
            # list does, so a page is an index range scan rather than a sort of all the organisation's cases.
            models.Index(fields=["organisation", "-closed_at", "deadline", "-id"], name="case_org_open_first_idx"),
            # Overdue work lists look only at open cases.
            models.Index(fields=["deadline"], name="case_open_deadline_idx", condition=Q(closed_at__isnull=True)),
            # An organisation's feed in keyset order: a page is an index range scan after the cursor.
            models.Index(fields=["organisation", "updated_at", "id"], name="case_org_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        # auto_now is skipped by a save(update_fields=[...]) that does not name it: every change counts.
        if kwargs.get("update_fields"):  # an empty list still saves nothing
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_since is not None

    def is_overdue(self, today: date | None = None) -> bool:
        """Past its deadline while open; a suspended case's clock is stopped."""
        if not self.is_open or self.is_suspended:
            return False
        return self.deadline < (today or timezone.localdate())

    def computed_deadline(self) -> date:
        """Opened + legal term + extension + days suspended (calendar days)."""
        opened = timezone.localtime(self.opened_at).date()
        return opened + timedelta(days=self.case_type.legal_term_days + self.extended_days + self.suspended_days)


class CaseStatus(models.Model):
    """The history of a case: every status it was given, by whom and when."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="status_history", verbose_name=_("zaak"), db_index=False
    )
    status_type = models.ForeignKey(
        StatusType, on_delete=models.PROTECT, related_name="+", verbose_name=_("status"), db_index=False
    )
    set_at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    explanation = models.CharField(_("toelichting"), max_length=1000, blank=True)
    recorded_by = models.CharField(_("vastgelegd door"), max_length=200, blank=True)
    recorded_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "set_at", "id"]
        verbose_name = _("zaakstatus")
        verbose_name_plural = _("zaakstatussen")
        indexes = [models.Index(fields=["case", "set_at"], name="casestatus_case_time_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status_type_id} {self.set_at:%Y-%m-%d}"


# --- the second line: how organisations receive escalations, the rules that route them -------------


class Priority(models.TextChoices):
    LOW = "low", _("Laag")
    NORMAL = "normal", _("Normaal")
    HIGH = "high", _("Hoog")
    URGENT = "urgent", _("Spoed")


class SecondLineEndpoint(models.Model):
    """How an organisation receives escalations (a signed webhook, fetched through the API, or the
    built-in worklist) and when it works: the calendar its deadlines are counted on."""

    class Delivery(models.TextChoices):
        WEBHOOK = "webhook", _("Ondertekende webhook")
        PULL = "pull", _("Ophalen via de API")
        WORKLIST = "worklist", _("Werklijst in dit systeem")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="second_line_endpoint", verbose_name=_("organisatie")
    )
    delivery = models.CharField(_("aflevering"), max_length=16, choices=Delivery.choices, default=Delivery.WORKLIST)
    url = models.URLField(_("webhook-adres"), blank=True)
    # Standard Webhooks secrets (whsec_...), the newest first: two at once while rotating.
    secrets = models.JSONField(_("geheimen"), default=list, blank=True)
    # {"0": [["09:00", "17:00"]], ...} per weekday (0 = Monday); empty: Monday to Friday 09:00-17:00.
    working_hours = models.JSONField(_("werktijden"), default=dict, blank=True)
    closing_days = models.JSONField(_("eigen sluitingsdagen"), default=list, blank=True)

    class Meta:
        verbose_name = _("aflevering tweede lijn")
        verbose_name_plural = _("afleveringen tweede lijn")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_delivery_display()})"


class RoutingRule(models.Model):
    """Where what the first line cannot resolve goes: the first active rule (in order) whose every
    filled-in condition matches; a default rule matches anything."""

    order = models.PositiveIntegerField(_("volgorde"), default=100)
    name = models.CharField(_("naam"), max_length=200)
    is_active = models.BooleanField(_("actief"), default=True)
    is_default = models.BooleanField(_("standaardregel"), default=False)
    life_event = models.ForeignKey(
        LifeEvent, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("levensgebeurtenis")
    )
    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("zaaktype"))
    article = models.ForeignKey(Article, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("artikel"))
    topic = models.CharField(_("onderwerp bevat"), max_length=100, blank=True)
    attribute = models.CharField(_("basisgegeven"), max_length=32, blank=True)
    municipality = models.CharField(_("gemeente"), max_length=100, blank=True)
    channel = models.CharField(_("kanaal"), max_length=16, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="routing_rules", verbose_name=_("naar organisatie")
    )
    queue = models.CharField(_("werkbak"), max_length=64, blank=True)
    priority = models.CharField(_("prioriteit"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    first_response_hours = models.PositiveSmallIntegerField(_("eerste reactie binnen (werkuren)"), default=8)
    resolution_days = models.PositiveSmallIntegerField(_("afhandeling binnen (werkdagen)"), default=10)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("routeringsregel")
        verbose_name_plural = _("routeringsregels")

    def __str__(self) -> str:
        return self.name


class Escalation(models.Model):
    """A question the first line routed to a second-line organisation, tracked to its deadlines."""

    class State(models.TextChoices):
        NEW = "new", _("Nieuw")
        DELIVERED = "delivered", _("Afgeleverd")
        ACCEPTED = "accepted", _("Aangenomen")
        IN_PROGRESS = "in_progress", _("In behandeling")
        RESOLVED = "resolved", _("Afgehandeld")
        RETURNED = "returned", _("Terug naar de eerste lijn")
        FORWARDED = "forwarded", _("Doorgestuurd naar een andere organisatie")

    OPEN_STATES = (State.NEW, State.DELIVERED, State.ACCEPTED, State.IN_PROGRESS)

    reference = models.CharField(_("kenmerk"), max_length=32, unique=True)
    contact_moment = models.ForeignKey(
        "interactions.ContactMoment", on_delete=models.PROTECT, related_name="escalations", verbose_name=_("contact")
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="escalations", verbose_name=_("partij")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="escalations", verbose_name=_("organisatie")
    )
    queue = models.CharField(_("werkbak"), max_length=64, blank=True)
    priority = models.CharField(_("prioriteit"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    rule = models.ForeignKey(RoutingRule, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("regel"))
    routing_explanation = models.TextField(_("waarom hierheen"), blank=True)
    question = models.TextField(_("vraag"))
    context = models.TextField(_("toelichting eerste lijn"), blank=True)
    articles_tried = models.ManyToManyField(
        Article, blank=True, related_name="+", verbose_name=_("geprobeerde artikelen")
    )
    share_history = models.BooleanField(_("burger stemt in met delen contacthistorie"), default=False)
    requested_attribute = models.CharField(_("gevraagde wijziging van"), max_length=32, blank=True)
    requested_value = models.JSONField(_("gevraagde nieuwe waarde"), null=True, blank=True)
    state = models.CharField(_("status"), max_length=16, choices=State.choices, default=State.NEW)
    first_response_due = models.DateTimeField(_("eerste reactie uiterlijk"))
    resolution_due = models.DateTimeField(_("afhandeling uiterlijk"))
    resolution_text = models.TextField(_("uitkomst voor de burger"), blank=True)
    forwarded_to = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("doorgestuurd naar"),
    )
    # Each threshold puts an escalation on the supervisors' board once.
    near_breach_flagged_at = models.DateTimeField(null=True, blank=True)
    breach_flagged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("doorverwijzing")
        verbose_name_plural = _("doorverwijzingen")
        indexes = [
            models.Index(fields=["organisation", "state", "-created_at"], name="escalation_org_state_idx"),
            models.Index(fields=["party", "-created_at"], name="escalation_party_idx"),
            # The day's escalations (the supervisors' board: the articles tried before escalating).
            models.Index(fields=["created_at"], name="escalation_created_idx"),
            # The breach sweep: open escalations by their deadline.
            models.Index(
                fields=["resolution_due"],
                name="escalation_open_due_idx",
                condition=Q(state__in=["new", "delivered", "accepted", "in_progress"]),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class EscalationEvent(models.Model):
    """One transition of an escalation: the timeline, who and when."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")
    state = models.CharField(_("status"), max_length=16, choices=Escalation.State.choices)
    note = models.TextField(_("toelichting"), blank=True)
    actor_label = models.CharField(_("door"), max_length=200)
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("verloop")
        verbose_name_plural = _("verloop")

    def __str__(self) -> str:
        return f"{self.escalation} {self.state}"


class EscalationDelivery(models.Model):
    """The outbox of escalations: written in the same transaction as the escalation (or its forward),
    delivered by the relay with retries; one row per escalation and receiving organisation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Te bezorgen")
        FAILED = "failed", _("Mislukt, wordt opnieuw geprobeerd")
        DELIVERED = "delivered", _("Bezorgd")
        DEAD = "dead", _("Opgegeven")

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="deliveries")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    message_id = models.UUIDField(_("bericht-id"), unique=True, default=uuid.uuid4, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    last_error = models.CharField(_("laatste fout"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("bezorgd om"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("bezorging")
        verbose_name_plural = _("bezorgingen")
        constraints = [
            models.UniqueConstraint(fields=["escalation", "organisation"], name="delivery_once_per_organisation")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="delivery_due_idx", condition=Q(status__in=["pending", "failed"])
            )
        ]

    def __str__(self) -> str:
        return f"{self.escalation} -> {self.organisation} ({self.status})"


def attachment_path(attachment: "EscalationAttachment", filename: str) -> str:
    """Where an attachment's bytes are stored: a random name that says nothing of the person, the
    escalation or the original file name (which is kept on the row, for display only)."""
    return f"escalation-attachments/{attachment.key.hex[:2]}/{attachment.key.hex}"


class EscalationAttachment(models.Model):
    """A file the first line sent with an escalation. Stored under a random name, its type sniffed
    from its first bytes (never taken from the sender), served only to the organisation handling the
    escalation, through the API, as a download."""

    escalation = models.ForeignKey(
        Escalation, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("doorverwijzing")
    )
    key = models.UUIDField(_("sleutel"), unique=True, default=uuid.uuid4, editable=False)
    file = models.FileField(_("bestand"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("oorspronkelijke bestandsnaam"), max_length=200)
    content_type = models.CharField(_("soort bestand"), max_length=100)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("toegevoegd door"),
    )
    created_at = models.DateTimeField(_("toegevoegd om"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")

    def __str__(self) -> str:
        return self.original_name


class CaseWorker(models.Model):
    """A staff member who works one second-line organisation's escalations in the built-in worklist,
    acting for that organisation as its API client would (casemanagement/worklist.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_worker", verbose_name=_("gebruiker")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="case_workers", verbose_name=_("organisatie")
    )

    class Meta:
        verbose_name = _("behandelaar")
        verbose_name_plural = _("behandelaars")
        permissions = [("work_worklist", _("Doorverwijzingen van de eigen organisatie behandelen in de werklijst"))]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"
