"""Parties and organisations, their base data, the single-source rules, consents and base-data changes."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from contactcentre.registry.assurance import AssuranceLevel
from contactcentre.registry.validators import validate_bsn, validate_iban, validate_kvk_number, validate_rsin

__all__ = [
    "Address",
    "AssuranceLevel",
    "BankAccount",
    "BaseDataChange",
    "Consent",
    "DataSourceRule",
    "DigitalAddress",
    "Organisation",
    "Party",
    "VerificationChallenge",
    "VerificationMessage",
]


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


class Channel(models.TextChoices):
    """Channels a person can prefer, or through which a change or consent arrived."""

    PHONE = "phone", _("Telefoon")
    SMS = "sms", _("Sms")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Brief")
    PORTAL = "portal", _("Website (Mijn omgeving)")
    COUNTER = "counter", _("Balie")
    CHAT = "chat", _("Chat")


class Language(models.TextChoices):
    DUTCH = "nl", _("Nederlands")
    FRISIAN = "fy", _("Fries")
    ENGLISH = "en", _("Engels")
    GERMAN = "de", _("Duits")
    POLISH = "pl", _("Pools")
    TURKISH = "tr", _("Turks")
    ARABIC = "ar", _("Arabisch")
    UKRAINIAN = "uk", _("Oekraïens")


class Party(models.Model):
    """A person or a business the contact centre serves. Identifiers are unique per type."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Persoon")
        BUSINESS = "business", _("Bedrijf")

    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices, default=Kind.PERSON)
    bsn = models.CharField(_("BSN"), max_length=9, unique=True, null=True, blank=True, validators=[validate_bsn])
    kvk_number = models.CharField(
        _("KvK-nummer"), max_length=8, unique=True, null=True, blank=True, validators=[validate_kvk_number]
    )
    rsin = models.CharField(_("RSIN"), max_length=9, unique=True, null=True, blank=True, validators=[validate_rsin])
    given_names = models.CharField(_("voornamen"), max_length=200, blank=True)
    surname_prefix = models.CharField(_("voorvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=200, blank=True)
    business_name = models.CharField(_("handelsnaam"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    secret_address = models.BooleanField(
        _("geheim adres"), default=False, help_text=_("Beperkt wie het adres mag zien (geheimhouding BRP).")
    )
    preferred_channel = models.CharField(_("voorkeurskanaal"), max_length=16, choices=Channel.choices, blank=True)
    preferred_language = models.CharField(
        _("voorkeurstaal"), max_length=8, choices=Language.choices, default=Language.DUTCH
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("partij")
        verbose_name_plural = _("partijen")
        indexes = [
            models.Index(fields=["surname", "date_of_birth"]),
            # Search by name is case-insensitive: party_lookup compares UPPER(surname).
            models.Index(Upper("surname"), "date_of_birth", name="party_surname_upper_dob"),
            models.Index(fields=["business_name"]),
        ]
        permissions = [("change_base_data", "Basisgegevens wijzigen (binnen de bronafspraken)")]

    def __str__(self) -> str:
        return self.display_name or f"#{self.pk}"

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.BUSINESS:
            return self.business_name
        return " ".join(part for part in (self.given_names, self.surname_prefix, self.surname) if part)


class Address(models.Model):
    """A postal address. The residential address is owned by the population register (BRP)."""

    class Kind(models.TextChoices):
        RESIDENTIAL = "residential", _("Woonadres (BRP)")
        CORRESPONDENCE = "correspondence", _("Correspondentieadres")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    street = models.CharField(_("straat"), max_length=200)
    house_number = models.PositiveIntegerField(_("huisnummer"))
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("plaats"), max_length=100)
    country = models.CharField(_("land"), max_length=2, default="NL")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("adres")
        verbose_name_plural = _("adressen")
        constraints = [models.UniqueConstraint(fields=["party", "kind"], name="address_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.street} {self.house_number}{self.house_number_addition}, {self.city}"

    def as_dict(self) -> dict:
        return {
            "street": self.street,
            "house_number": self.house_number,
            "house_number_addition": self.house_number_addition,
            "postcode": self.postcode,
            "city": self.city,
            "country": self.country,
        }


class DigitalAddress(models.Model):
    """An e-mail address or phone number (E.164). At most one default per kind per party."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mailadres")
        PHONE = "phone", _("Telefoonnummer")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="digital_addresses")
    kind = models.CharField(_("soort"), max_length=8, choices=Kind.choices)
    value = models.CharField(_("adres"), max_length=254)
    is_default = models.BooleanField(_("standaard"), default=False)
    verified_at = models.DateTimeField(_("geverifieerd op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("digitaal adres")
        verbose_name_plural = _("digitale adressen")
        ordering = ["kind", "-is_default", "id"]
        constraints = [
            models.UniqueConstraint(fields=["party", "kind", "value"], name="digitaladdress_unique_value"),
            models.UniqueConstraint(
                fields=["party", "kind"], condition=Q(is_default=True), name="digitaladdress_one_default_per_kind"
            ),
        ]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class BankAccount(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="bank_accounts")
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    is_default = models.BooleanField(_("standaard"), default=True)
    verified_at = models.DateTimeField(_("geverifieerd op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bankrekening")
        verbose_name_plural = _("bankrekeningen")
        ordering = ["-is_default", "id"]
        constraints = [
            models.UniqueConstraint(fields=["party", "iban"], name="bankaccount_unique_iban"),
            models.UniqueConstraint(fields=["party"], condition=Q(is_default=True), name="bankaccount_one_default"),
        ]

    def __str__(self) -> str:
        return f"{_('Bankrekening')} #{self.pk}"


class Attribute(models.TextChoices):
    """The base-data attributes the single-source rules talk about (life events name them too)."""

    RESIDENTIAL_ADDRESS = "residential_address", _("Woonadres")
    CORRESPONDENCE_ADDRESS = "correspondence_address", _("Correspondentieadres")
    EMAIL = "email", _("E-mailadres")
    PHONE = "phone", _("Telefoonnummer")
    IBAN = "iban", _("Rekeningnummer (IBAN)")
    PREFERRED_CHANNEL = "preferred_channel", _("Voorkeurskanaal")
    PREFERRED_LANGUAGE = "preferred_language", _("Voorkeurstaal")


class DataSourceRule(models.Model):
    """Single source: per attribute, who owns it and whether/how the first line may change it."""

    attribute = models.CharField(_("gegeven"), max_length=32, choices=Attribute.choices, unique=True)
    source_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="owned_attributes", verbose_name=_("bronorganisatie")
    )
    source_register = models.CharField(_("bronregistratie"), max_length=100, blank=True, help_text=_("bijv. BRP"))
    first_line_may_change = models.BooleanField(_("eerste lijn mag wijzigen"), default=False)
    minimum_assurance = models.CharField(
        _("minimaal betrouwbaarheidsniveau"), max_length=16, choices=AssuranceLevel.choices, default=AssuranceLevel.HIGH
    )
    verification_required = models.BooleanField(
        _("nieuwe waarde eerst verifiëren"), default=False, help_text=_("Code naar het nieuwe e-mailadres/nummer.")
    )
    citizen_instruction = models.TextField(
        _("wat de burger moet doen"),
        blank=True,
        help_text=_("Getoond als de eerste lijn het gegeven niet mag wijzigen."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["attribute"]
        verbose_name = _("bronafspraak")
        verbose_name_plural = _("bronafspraken")

    def __str__(self) -> str:
        return f"{self.get_attribute_display()} ({self.source_organisation})"


class Consent(models.Model):
    """A person's consent for one purpose (optionally towards one organisation). Latest state wins."""

    class Purpose(models.TextChoices):
        SHARE_CONTACT_HISTORY = "share_contact_history", _("Contacthistorie delen met tweede lijn")
        PROACTIVE_SIGNALS = "proactive_signals", _("Proactieve signalen ontvangen")
        SMS_NOTIFICATIONS = "sms_notifications", _("Berichten per sms ontvangen")
        EMAIL_NOTIFICATIONS = "email_notifications", _("Berichten per e-mail ontvangen")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("doel"), max_length=32, choices=Purpose.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("organisatie")
    )
    granted = models.BooleanField(_("verleend"))
    channel = models.CharField(_("kanaal"), max_length=16, choices=Channel.choices)
    changed_at = models.DateTimeField(_("gewijzigd op"))
    granted_at = models.DateTimeField(_("verleend op"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    recorded_by = models.CharField(_("vastgelegd door"), max_length=100, blank=True)

    class Meta:
        ordering = ["purpose", "organisation_id"]
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        constraints = [
            models.UniqueConstraint(
                fields=["party", "purpose", "organisation"],
                condition=Q(organisation__isnull=False),
                name="consent_one_per_purpose_org",
            ),
            models.UniqueConstraint(
                fields=["party", "purpose"], condition=Q(organisation__isnull=True), name="consent_one_per_purpose"
            ),
        ]

    def __str__(self) -> str:
        state = _("verleend") if self.granted else _("ingetrokken")
        return f"{self.get_purpose_display()}: {state}"


class BaseDataChange(models.Model):
    """The audit trail of a base-data change (applied, or waiting for verification). Values masked."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Doorgevoerd")
        VERIFICATION_PENDING = "verification_pending", _("Wacht op verificatie")
        VERIFICATION_FAILED = "verification_failed", _("Verificatie mislukt")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="base_data_changes")
    attribute = models.CharField(_("gegeven"), max_length=32, choices=Attribute.choices)
    old_value = models.CharField(_("oude waarde (gemaskeerd)"), max_length=300, blank=True)
    new_value = models.CharField(_("nieuwe waarde (gemaskeerd)"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices)
    actor_type = models.CharField(_("soort actor"), max_length=16)
    actor_id = models.CharField(_("actor"), max_length=64)
    actor_label = models.CharField(_("naam actor"), max_length=200, blank=True)
    channel = models.CharField(_("kanaal"), max_length=16, choices=Channel.choices)
    assurance = models.CharField(_("betrouwbaarheidsniveau"), max_length=16, choices=AssuranceLevel.choices)
    reason = models.CharField(_("reden"), max_length=300, blank=True)
    # Contact moments live a layer higher (interactions): a plain reference, no foreign key.
    contact_reference = models.CharField(_("contactmoment"), max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    applied_at = models.DateTimeField(_("doorgevoerd op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("wijziging basisgegeven")
        verbose_name_plural = _("wijzigingen basisgegevens")

    def __str__(self) -> str:
        return f"{self.get_attribute_display()} ({self.get_status_display()})"


class VerificationChallenge(models.Model):
    """A code sent to a new e-mail address or phone number; only its hash is stored."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Open")
        CONFIRMED = "confirmed", _("Bevestigd")
        FAILED = "failed", _("Te vaak fout")
        EXPIRED = "expired", _("Verlopen")

    change = models.OneToOneField(BaseDataChange, on_delete=models.CASCADE, related_name="verification")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="verifications")
    kind = models.CharField(_("soort"), max_length=8, choices=DigitalAddress.Kind.choices)
    # The unverified new value, needed to apply it on confirmation; cleared once the challenge ends.
    pending_value = models.CharField(max_length=254, blank=True)
    code_hash = models.CharField(max_length=128)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField(_("verloopt op"))
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verificatie")
        verbose_name_plural = _("verificaties")

    def __str__(self) -> str:
        return f"{_('Verificatie')} #{self.pk} ({self.get_status_display()})"


class VerificationMessage(models.Model):
    """Outbound verification message for channels_app to deliver (the default sender writes it here).

    No code in clear: the body has a `{code}` placeholder and `code_seed` gives the code only with the
    key derived from SECRET_KEY (registry.verification). The transport takes the message with
    `verification_message_take`, which renders the text and wipes the seed; so does the challenge's end.
    """

    challenge = models.ForeignKey(VerificationChallenge, on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(_("kanaal"), max_length=8, choices=DigitalAddress.Kind.choices)
    recipient = models.CharField(_("ontvanger"), max_length=254)
    body = models.TextField(_("bericht"))
    code_seed = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verificatiebericht")
        verbose_name_plural = _("verificatieberichten")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk}"
