"""The counter door: offices, the services at their desks, appointments and the tickets of the
waiting room.

A ticket's number ("A012": the service's letter and the office's sequence of the day) is unique per
office per day; the sequence comes from one counter row per office and day, taken under a row lock,
so two kiosks never hand out the same number. The waiting list of an office is one index range scan
(office, day, status, created_at).
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L: a visitor types the code at a kiosk from a letter or a text message.
CHECK_IN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CHECK_IN_CODE_LENGTH = 8


def new_check_in_code() -> str:
    return "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(CHECK_IN_CODE_LENGTH))


class Office(models.Model):
    """A local office with a counter (a town hall, a service point)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    address = models.TextField(_("adres"), blank=True)
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("gemeente/organisatie"),
        help_text=_("Alleen kiosken (API-clients) van deze organisatie trekken hier nummers."),
    )
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="counter_offices",
        verbose_name=_("baliemedewerkers"),
        help_text=_("Wie hier aan een balie nummers oproept en bezoekers helpt."),
    )
    # Part of the signed waiting-room display link: raising it makes every earlier link invalid.
    display_generation = models.PositiveIntegerField(_("versie schermlink"), default=1, editable=False)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vestiging")
        verbose_name_plural = _("vestigingen")

    def __str__(self) -> str:
        return self.name


class CounterService(models.Model):
    """What a visitor can come for at an office (passport and ID card, driving licence, ...)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="services", verbose_name=_("vestiging"))
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("naam"), max_length=200)
    ticket_prefix = models.CharField(
        _("letter op het nummer"),
        max_length=1,
        validators=[RegexValidator(r"^[A-Z]$", _("Eén hoofdletter."))],
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["office", "name"]
        verbose_name = _("balieproduct")
        verbose_name_plural = _("balieproducten")
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="counter_service_unique_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.office.code})"


class Appointment(models.Model):
    """A visit booked ahead; the visitor checks in at the kiosk with the code shortly before it."""

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("vestiging")
    )
    service = models.ForeignKey(
        CounterService, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("balieproduct")
    )
    starts_at = models.DateTimeField(_("begint om"))
    check_in_code = models.CharField(
        _("aanmeldcode"), max_length=CHECK_IN_CODE_LENGTH, unique=True, default=new_check_in_code, editable=False
    )
    party = models.ForeignKey(
        "registry.Party",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="counter_appointments",
        verbose_name=_("persoon"),
    )
    checked_in_at = models.DateTimeField(_("aangemeld om"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        indexes = [models.Index(fields=["office", "starts_at"], name="appointment_office_start")]

    def __str__(self) -> str:
        return f"{self.service.name} {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.service_id and self.office_id and self.service.office_id != self.office_id:
            raise ValidationError({"service": _("Dit product hoort bij een andere vestiging.")})


class OfficeDayCounter(models.Model):
    """The last ticket sequence an office handed out on a day (locked while taking the next)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "day"], name="office_day_counter_unique")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.day}: {self.last_sequence}"


class Ticket(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Wacht")
        CALLED = "called", _("Opgeroepen")
        SERVING = "serving", _("Wordt geholpen")
        DONE = "done", _("Afgehandeld")
        NO_SHOW = "no_show", _("Niet verschenen")
        CANCELLED = "cancelled", _("Vervallen")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("vestiging"))
    service = models.ForeignKey(
        CounterService, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("balieproduct")
    )
    day = models.DateField(_("dag"))
    sequence = models.PositiveIntegerField(_("volgnummer"))
    number = models.CharField(_("nummer"), max_length=8)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.WAITING)
    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="ticket", verbose_name=_("afspraak")
    )
    desk = models.CharField(_("balie"), max_length=50, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opgeroepen door"),
    )
    contact_moment = models.ForeignKey(
        "interactions.ContactMoment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contactmoment"),
    )
    created_at = models.DateTimeField(_("getrokken om"))
    called_at = models.DateTimeField(_("opgeroepen om"), null=True, blank=True)
    served_at = models.DateTimeField(_("geholpen vanaf"), null=True, blank=True)
    finished_at = models.DateTimeField(_("afgerond om"), null=True, blank=True)

    class Meta:
        verbose_name = _("volgnummer")
        verbose_name_plural = _("volgnummers")
        permissions = [("call_ticket", _("Volgnummers oproepen en bezoekers aan de balie helpen"))]
        constraints = [
            models.UniqueConstraint(fields=["office", "day", "sequence"], name="ticket_unique_sequence"),
            models.UniqueConstraint(fields=["office", "day", "number"], name="ticket_unique_number"),
        ]
        # The desks' call-next: an office's waiting tickets of the day, oldest first.
        indexes = [models.Index(fields=["office", "day", "status", "created_at"], name="ticket_office_day_waiting")]

    def __str__(self) -> str:
        return f"{self.number} ({self.office.code} {self.day})"
