"""Parties and organisations. Issue 3 extends this app (addresses, digital addresses, rules, consents)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Tier(models.TextChoices):
        FIRST = "first", _("Eerste lijn")
        SECOND = "second", _("Tweede lijn")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=32, help_text=_("bijv. municipality, tax, benefits"))
    tier = models.CharField(_("lijn"), max_length=16, choices=Tier.choices, default=Tier.SECOND)
    description = models.TextField(_("omschrijving"), blank=True)
    regions = models.JSONField(_("gemeenten/regio's"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name


class Party(models.Model):
    """A person or a business the contact centre serves. Identifiers are unique per type."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Persoon")
        BUSINESS = "business", _("Bedrijf")

    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices, default=Kind.PERSON)
    bsn = models.CharField(_("BSN"), max_length=9, unique=True, null=True, blank=True)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, unique=True, null=True, blank=True)
    rsin = models.CharField(_("RSIN"), max_length=9, unique=True, null=True, blank=True)
    given_names = models.CharField(_("voornamen"), max_length=200, blank=True)
    surname_prefix = models.CharField(_("voorvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=200, blank=True)
    business_name = models.CharField(_("handelsnaam"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    secret_address = models.BooleanField(_("geheim adres"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("partij")
        verbose_name_plural = _("partijen")
        indexes = [models.Index(fields=["surname", "date_of_birth"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.BUSINESS:
            return self.business_name
        return " ".join(part for part in (self.given_names, self.surname_prefix, self.surname) if part)
