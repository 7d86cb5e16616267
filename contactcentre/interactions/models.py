"""The record of contact: every contact moment across every channel, callback requests and the
work queues they land in.

Sized for millions of contact moments: the contact history of a party is one index range scan
(party, started_at desc), and a channel's event id (Twilio CallSid, e-mail Message-ID) is unique per
channel so a webhook delivered twice never makes two contacts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcentre.registry.assurance import AssuranceLevel
from contactcentre.registry.models import Organisation, Party
from lifeevents.models import Article, LifeEvent


class Channel(models.TextChoices):
    PHONE = "phone", _("Telefoon")
    SMS = "sms", _("Sms")
    WEB = "web", _("Website/portaal")
    WEBCHAT = "webchat", _("Webchat")
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post/scan")
    COUNTER = "counter", _("Balie")


class WorkQueue(models.Model):
    """A queue of work for a team (callbacks now; escalations and scans later)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="work_queues"
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("werkbak")
        verbose_name_plural = _("werkbakken")
        # The supervisors' live board of the queues, the waiting calls and the escalations due.
        permissions = [("view_live_board", _("Het live bord van de wachtrijen bekijken"))]

    def __str__(self) -> str:
        return self.name


class IdentityDocument(models.TextChoices):
    PASSPORT = "passport", _("Paspoort")
    IDENTITY_CARD = "identity_card", _("Identiteitskaart")
    DRIVING_LICENCE = "driving_licence", _("Rijbewijs")
    RESIDENCE_PERMIT = "residence_permit", _("Verblijfsdocument")


class ContactMoment(models.Model):
    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Inkomend")
        OUTBOUND = "outbound", _("Uitgaand")

    class IdentifiedBy(models.TextChoices):
        NONE = "", _("Anoniem")
        BSN = "bsn", _("BSN")
        PHONE = "phone", _("Telefoonnummer")
        EMAIL = "email", _("E-mailadres")
        CASE_REFERENCE = "case_reference", _("Zaaknummer")
        KVK = "kvk", _("KvK-nummer")
        DIGID = "digid", _("DigiD")
        AGENT = "agent", _("Door medewerker vastgesteld")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Vraag beantwoord")
        STATUS_GIVEN = "status_given", _("Status gegeven")
        DATA_CHANGED = "data_changed", _("Gegevens gewijzigd")
        ESCALATED = "escalated", _("Doorgezet naar tweede lijn")
        CALLBACK_REQUESTED = "callback_requested", _("Terugbelverzoek")
        REFERRED = "referred", _("Doorverwezen")
        ABANDONED = "abandoned", _("Afgebroken")

    channel = models.CharField(_("kanaal"), max_length=16, choices=Channel.choices)
    direction = models.CharField(_("richting"), max_length=8, choices=Direction.choices, default=Direction.INBOUND)
    # Index covered by (party, started_at) below.
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_moments",
        verbose_name=_("partij"),
        db_index=False,
    )
    identified_by = models.CharField(
        _("geïdentificeerd met"), max_length=16, choices=IdentifiedBy.choices, blank=True, default=""
    )
    assurance = models.CharField(
        _("betrouwbaarheidsniveau"), max_length=16, choices=AssuranceLevel.choices, blank=True, default=""
    )
    life_event = models.ForeignKey(
        LifeEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_moments",
        verbose_name=_("levensgebeurtenis"),
    )
    topic = models.CharField(_("onderwerp"), max_length=200, blank=True)
    question = models.TextField(_("vraag"), blank=True)
    answer = models.TextField(_("gegeven antwoord"), blank=True)
    outcome = models.CharField(_("resultaat"), max_length=24, choices=Outcome.choices, blank=True)
    articles = models.ManyToManyField(
        Article, related_name="contact_moments", blank=True, verbose_name=_("gebruikte kennisartikelen")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_moments",
        verbose_name=_("medewerker"),
    )
    desk = models.CharField(_("balie/werkplek"), max_length=100, blank=True)
    # A document checked at the counter raises the contact to "high"; its kind is kept, never its number.
    identity_document = models.CharField(
        _("gecontroleerd identiteitsbewijs"), max_length=24, choices=IdentityDocument.choices, blank=True
    )
    identity_checked_at = models.DateTimeField(_("identiteit gecontroleerd om"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door organisatie"),
        help_text=_("Leeg: de eerste lijn zelf; anders het systeem van de organisatie dat het vastlegde."),
    )
    started_at = models.DateTimeField(_("begin"), default=timezone.now)
    ended_at = models.DateTimeField(_("einde"), null=True, blank=True)
    external_id = models.CharField(
        _("kenmerk in het kanaal"), max_length=255, blank=True, help_text=_("bijv. Twilio CallSid of Message-ID")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~Q(external_id=""),
                name="contactmoment_unique_external_id_per_channel",
            ),
        ]
        permissions = [
            ("check_identity_document", _("Identiteitsbewijs aan de balie controleren")),
            ("close_others_contactmoment", _("Contacten van anderen afsluiten")),
        ]
        indexes = [
            # The contact history of a party, newest first.
            models.Index(fields=["party", "-started_at"], name="contact_party_started_idx"),
            # An agent's open contacts, and the retention purge by age.
            models.Index(fields=["agent"], name="contact_agent_open_idx", condition=Q(ended_at__isnull=True)),
            models.Index(fields=["started_at"], name="contact_started_idx"),
            # The calls waiting in the phone queue (the live board): few rows, however many contacts.
            models.Index(
                fields=["started_at"],
                name="contact_waiting_call_idx",
                condition=Q(channel="phone", direction="inbound", agent__isnull=True, ended_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class CallbackRequest(models.Model):
    """Call this person back: who, when, which number, about what; worked from a queue."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In behandeling")
        DONE = "done", _("Teruggebeld")
        FAILED = "failed", _("Niet bereikt")
        CANCELLED = "cancelled", _("Geannuleerd")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    contact_moment = models.ForeignKey(
        ContactMoment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callback_requests",
        verbose_name=_("aanleiding"),
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="callback_requests",
        verbose_name=_("partij"),
        db_index=False,
    )
    queue = models.ForeignKey(
        WorkQueue, on_delete=models.PROTECT, related_name="callback_requests", verbose_name=_("werkbak"), db_index=False
    )
    phone_number = models.CharField(_("telefoonnummer"), max_length=20)
    call_after = models.DateTimeField(_("bellen vanaf"), default=timezone.now)
    call_before = models.DateTimeField(_("bellen vóór"), null=True, blank=True)
    question = models.TextField(_("vraag"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callback_requests",
        verbose_name=_("toegewezen aan"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result = models.CharField(_("resultaat"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(_("afgehandeld"), null=True, blank=True)

    class Meta:
        ordering = ["call_after", "id"]
        verbose_name = _("terugbelverzoek")
        verbose_name_plural = _("terugbelverzoeken")
        permissions = [("assign_callbackrequest", _("Terugbelverzoeken aan een ander toewijzen"))]
        indexes = [
            models.Index(fields=["party", "status"], name="callback_party_status_idx"),
            models.Index(fields=["queue", "status", "call_after"], name="callback_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{_('Terugbellen')} #{self.pk} ({self.get_status_display()})"


class AgentSkill(models.Model):
    """A staff member may take work from this queue (a skill); queues without skilled staff are
    worked by supervisors' reassignment only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skills")
    queue = models.ForeignKey(WorkQueue, on_delete=models.CASCADE, related_name="skilled", verbose_name=_("werkbak"))

    class Meta:
        verbose_name = _("vaardigheid")
        verbose_name_plural = _("vaardigheden")
        constraints = [models.UniqueConstraint(fields=["user", "queue"], name="agent_skill_unique")]

    def __str__(self) -> str:
        return f"{self.user} \u2192 {self.queue}"


class WorkItem(models.Model):
    """One piece of first-line work in a queue (an e-mail, a scanned letter, an SMS, a web question,
    a callback, a breach for a supervisor). Taken oldest first within priority, claimed atomically
    by one person for a while (the reservation); an unfinished claim returns to the queue."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SCAN = "scan", _("Brief/scan")
        SMS = "sms", _("Sms")
        WEB = "web", _("Vraag via de website")
        CALLBACK = "callback", _("Terugbelverzoek")
        SUPERVISION = "supervision", _("Signaal voor de teamleider")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLAIMED = "claimed", _("In behandeling")
        DONE = "done", _("Afgehandeld")
        CANCELLED = "cancelled", _("Vervallen")

    class Priority(models.IntegerChoices):
        URGENT = 1, _("Spoed")
        HIGH = 2, _("Hoog")
        NORMAL = 3, _("Normaal")
        LOW = 4, _("Laag")

    queue = models.ForeignKey(
        WorkQueue, on_delete=models.PROTECT, related_name="work_items", verbose_name=_("werkbak"), db_index=False
    )
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200)
    priority = models.PositiveSmallIntegerField(_("prioriteit"), choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    contact_moment = models.ForeignKey(
        ContactMoment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_items",
        verbose_name=_("contactmoment"),
    )
    party = models.ForeignKey(
        Party, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("partij")
    )
    # What the item is about, once: the same e-mail, letter or breach never makes two items.
    source_key = models.CharField(_("bron"), max_length=200, unique=True, null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_items",
        verbose_name=_("in behandeling bij"),
        db_index=False,
    )
    claimed_until = models.DateTimeField(_("gereserveerd tot"), null=True, blank=True)
    due_at = models.DateTimeField(_("uiterlijk"), null=True, blank=True)
    outcome = models.CharField(_("resultaat"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    completed_at = models.DateTimeField(_("afgehandeld"), null=True, blank=True)

    CLAIMABLE = (Status.OPEN, Status.CLAIMED)

    class Meta:
        ordering = ["priority", "created_at", "id"]
        verbose_name = _("werkitem")
        verbose_name_plural = _("werkitems")
        permissions = [("reassign_workitem", _("Werkitems aan een ander toewijzen"))]
        indexes = [
            # The claim: a queue's open items in the order they are taken.
            models.Index(
                fields=["queue", "priority", "created_at", "id"],
                name="workitem_take_idx",
                condition=Q(status="open"),
            ),
            # An agent's own list, and the sweep of reservations that ran out.
            models.Index(
                fields=["claimed_by", "claimed_until"], name="workitem_claimed_idx", condition=Q(status="claimed")
            ),
            models.Index(fields=["claimed_until"], name="workitem_reserved_idx", condition=Q(status="claimed")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class Notification(models.Model):
    """An outbound message to a citizen, written in the same transaction as the change it reports
    (an outbox): the doors' transports (channels_app) deliver it and mark the result."""

    class Channel(models.TextChoices):
        SMS = "sms", _("Sms")
        EMAIL = "email", _("E-mail")
        PORTAL = "portal", _("Berichtenbox Mijn omgeving")
        LETTER = "letter", _("Brief")

    class Status(models.TextChoices):
        PENDING = "pending", _("Te verzenden")
        SENT = "sent", _("Verzonden")
        FAILED = "failed", _("Mislukt, wordt opnieuw geprobeerd")
        DEAD = "dead", _("Opgegeven")

    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("partij"), db_index=False
    )
    channel = models.CharField(_("kanaal"), max_length=16, choices=Channel.choices)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("bericht"))
    # Business key: the same event never makes two messages (e.g. "case-status:<id>").
    dedupe_key = models.CharField(_("kenmerk gebeurtenis"), max_length=100, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    last_error = models.CharField(_("laatste fout"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("verzonden"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bericht aan burger")
        verbose_name_plural = _("berichten aan burgers")
        indexes = [
            models.Index(fields=["party", "-created_at"], name="notification_party_idx"),
            # The relay's queue: what is due, oldest first.
            models.Index(
                fields=["next_attempt_at"],
                name="notification_due_idx",
                condition=Q(status__in=["pending", "failed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.subject}"
