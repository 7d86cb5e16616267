"""Writes for the registry: organisations, parties, single-source rules, base-data changes,
verification of new contact data, and consents.

Every write of a person's data is purpose-bound and logged in the processing log. A refusal is
logged as "denied" outside the transaction of the change, so the refusal is kept while nothing of
the change is.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcentre import kennisbank
from contactcentre.errors import (
    AccessDenied,
    Conflict,
    DomainError,
    NotFound,
    RateLimited,
    RuleViolation,
    ValidationFailed,
)
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import actor_fields, processing_log_record, purpose_grant
from contactcentre.registry import verification
from contactcentre.registry.assurance import AssuranceLevel, assurance_at_least, assurance_capped, assurance_rank
from contactcentre.registry.masking import mask_address_text, mask_email, mask_iban, mask_phone
from contactcentre.registry.models import (
    Address,
    Attribute,
    BankAccount,
    BaseDataChange,
    Channel,
    Consent,
    DataSourceRule,
    DigitalAddress,
    Language,
    Organisation,
    Party,
    VerificationChallenge,
    VerificationMessage,
)
from contactcentre.registry.selectors import party_not_found
from contactcentre.registry.validators import (
    normalise_bsn,
    normalise_email,
    normalise_iban,
    normalise_kvk_number,
    normalise_phone,
    normalise_postcode,
    normalise_rsin,
)

FIRST_LINE_ORGANISATION = "gem-voorbeeldstad"
CHANGE_PERMISSION = "registry.change_base_data"
CONSENT_PERMISSION = "registry.change_consent"

# --- organisations -------------------------------------------------------------------------------

# The demo data has no regions; the municipality serves its own area, the others the whole country.
DEFAULT_REGIONS = {"municipality": ["Voorbeeldstad"]}
NATIONAL = ["Nederland"]


@transaction.atomic
def organisations_import(*, rows: list[dict]) -> int:
    """Create or update organisations by code (idempotent)."""
    for row in rows:
        Organisation.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "tier": row["tier"],
                "description": row.get("description", ""),
                "regions": row.get("regions") or DEFAULT_REGIONS.get(row["kind"], NATIONAL),
            },
        )
    return len(rows)


# --- single-source rules -------------------------------------------------------------------------

LOW, SUBSTANTIAL, HIGH = AssuranceLevel.LOW, AssuranceLevel.SUBSTANTIAL, AssuranceLevel.HIGH

# Defaults for the rules table. Functional administrators edit the rows in the admin afterwards;
# seeding only creates what is missing, so their edits survive.
RULE_DEFAULTS: dict[str, dict] = {
    Attribute.RESIDENTIAL_ADDRESS: {
        "source_register": "BRP",
        "first_line_may_change": False,
        "minimum_assurance": HIGH,
        "verification_required": False,
        "citizen_instruction": (
            "Het woonadres komt uit de Basisregistratie Personen (BRP). Geef een verhuizing door aan de "
            "gemeente waar u gaat wonen: online met DigiD, of aan de balie met een geldig identiteitsbewijs."
        ),
    },
    Attribute.CORRESPONDENCE_ADDRESS: {
        "source_register": "Klantregistratie",
        "first_line_may_change": True,
        "minimum_assurance": SUBSTANTIAL,
        "verification_required": False,
        "citizen_instruction": "Log in met DigiD op Mijn Voorbeeldstad of kom langs aan de balie.",
    },
    Attribute.EMAIL: {
        "source_register": "Klantregistratie",
        "first_line_may_change": True,
        "minimum_assurance": LOW,
        "verification_required": True,
        "citizen_instruction": "",
    },
    Attribute.PHONE: {
        "source_register": "Klantregistratie",
        "first_line_may_change": True,
        "minimum_assurance": LOW,
        "verification_required": True,
        "citizen_instruction": "",
    },
    Attribute.IBAN: {
        "source_register": "Klantregistratie",
        "first_line_may_change": True,
        "minimum_assurance": SUBSTANTIAL,
        "verification_required": False,
        "citizen_instruction": (
            "Een rekeningnummer wijzigt u na inloggen met DigiD op Mijn Voorbeeldstad, of aan de balie "
            "met een geldig identiteitsbewijs."
        ),
    },
    Attribute.PREFERRED_CHANNEL: {
        "source_register": "Klantregistratie",
        "first_line_may_change": True,
        "minimum_assurance": LOW,
        "verification_required": False,
        "citizen_instruction": "",
    },
    Attribute.PREFERRED_LANGUAGE: {
        "source_register": "Klantregistratie",
        "first_line_may_change": True,
        "minimum_assurance": LOW,
        "verification_required": False,
        "citizen_instruction": "",
    },
}


def life_event_attributes() -> list[str]:
    """The base-data attributes the life events in the shared data name, plus the BRP address."""
    named = {attribute for event in kennisbank.load("life_events") for attribute in event.get("base_data", [])}
    return sorted(named | {Attribute.RESIDENTIAL_ADDRESS})


@transaction.atomic
def data_source_rules_seed() -> list[DataSourceRule]:
    """Create the missing rules (idempotent), owned by the first-line municipality."""
    owner = Organisation.objects.filter(code=FIRST_LINE_ORGANISATION).first()
    if owner is None:
        organisations_import(rows=[row for row in kennisbank.load("organisations") if row["tier"] == "first"])
        owner = Organisation.objects.get(code=FIRST_LINE_ORGANISATION)
    made = []
    for attribute in life_event_attributes():
        if attribute not in RULE_DEFAULTS:
            continue  # an attribute the code cannot change yet: better no rule than a wrong one
        rule, _created = DataSourceRule.objects.get_or_create(
            attribute=attribute, defaults={"source_organisation": owner, **RULE_DEFAULTS[attribute]}
        )
        made.append(rule)
    return made


# --- parties -------------------------------------------------------------------------------------


def _field_errors(**checks) -> tuple[dict, dict]:
    """Run normalisers: (normalised values, field errors). Empty values pass as None."""
    values, errors = {}, {}
    for field, (normalise, value) in checks.items():
        if value in (None, ""):
            values[field] = None
            continue
        try:
            values[field] = normalise(value)
        except ValidationError as error:
            errors[field] = error.messages
    return values, errors


@transaction.atomic
def party_create(
    *,
    kind: str = Party.Kind.PERSON,
    bsn: str | None = None,
    kvk_number: str | None = None,
    rsin: str | None = None,
    given_names: str = "",
    surname_prefix: str = "",
    surname: str = "",
    business_name: str = "",
    date_of_birth: date | None = None,
    secret_address: bool = False,
    preferred_channel: str = "",
    preferred_language: str = Language.DUTCH,
) -> Party:
    """Register a party (from the population or trade register). Identifiers validated and unique."""
    values, errors = _field_errors(
        bsn=(normalise_bsn, bsn), kvk_number=(normalise_kvk_number, kvk_number), rsin=(normalise_rsin, rsin)
    )
    if kind == Party.Kind.PERSON and not surname:
        errors["surname"] = [_("Achternaam is verplicht voor een persoon.")]
    if kind == Party.Kind.BUSINESS and not business_name:
        errors["business_name"] = [_("Handelsnaam is verplicht voor een bedrijf.")]
    for field in ("bsn", "kvk_number", "rsin"):
        if values.get(field) and Party.objects.filter(**{field: values[field]}).exists():
            errors[field] = [_("Er is al een partij met dit nummer.")]
    if errors:
        raise ValidationFailed(_("De invoer is niet geldig."), field_errors=errors)
    return Party.objects.create(
        kind=kind,
        given_names=given_names,
        surname_prefix=surname_prefix,
        surname=surname,
        business_name=business_name,
        date_of_birth=date_of_birth,
        secret_address=secret_address,
        preferred_channel=preferred_channel,
        preferred_language=preferred_language,
        **values,
    )


def residential_address_register(*, party: Party, address: dict) -> Address:
    """The population register's (BRP) address, as delivered by the register: not a first-line change."""
    clean = _clean_address(address)
    row, _created = Address.objects.update_or_create(party=party, kind=Address.Kind.RESIDENTIAL, defaults=clean)
    return row


# --- base-data changes ---------------------------------------------------------------------------


def _actor_may_change(actor: Principal, party_id: int) -> bool:
    if actor.is_citizen:
        return actor.party_id == party_id
    if actor.is_organisation:
        return actor.has_scope("parties:write")
    return actor.has_perm(CHANGE_PERMISSION)


def _clean_address(value) -> dict:
    if not isinstance(value, dict):
        raise ValidationFailed(_("Geef een adres op."), field_errors={"value": [_("Verwacht een adres.")]})
    errors: dict[str, list[str]] = {}
    country = str(value.get("country") or "NL").upper()[:2]
    clean = {"country": country}
    for field in ("street", "city"):
        text = str(value.get(field) or "").strip()
        if not text:
            errors[field] = [_("Dit veld is verplicht.")]
        clean[field] = text[:200]
    try:
        number = int(value.get("house_number"))
        if not 0 < number < 100_000:
            raise ValueError
        clean["house_number"] = number
    except (TypeError, ValueError):
        errors["house_number"] = [_("Geef een geldig huisnummer.")]
    clean["house_number_addition"] = str(value.get("house_number_addition") or "").strip()[:10]
    try:
        clean["postcode"] = normalise_postcode(str(value.get("postcode") or ""), country)
        if not clean["postcode"]:
            raise ValidationError(_("Dit veld is verplicht."))
    except ValidationError as error:
        errors["postcode"] = error.messages
    if errors:
        raise ValidationFailed(_("Het adres is niet geldig."), field_errors={"value": errors})
    return clean


def _normalise_value(attribute: str, value):
    """The canonical new value, or ValidationFailed with a field error on `value`."""
    if attribute in (Attribute.RESIDENTIAL_ADDRESS, Attribute.CORRESPONDENCE_ADDRESS):
        return _clean_address(value)
    normalisers = {
        Attribute.EMAIL: normalise_email,
        Attribute.PHONE: normalise_phone,
        Attribute.IBAN: normalise_iban,
    }
    choices = {Attribute.PREFERRED_CHANNEL: Channel.values, Attribute.PREFERRED_LANGUAGE: Language.values}
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed(_("Geef een nieuwe waarde op."), field_errors={"value": [_("Dit veld is verplicht.")]})
    if attribute in normalisers:
        try:
            return normalisers[attribute](value)
        except ValidationError as error:
            raise ValidationFailed(error.messages[0], field_errors={"value": error.messages}) from None
    if value not in choices[attribute]:
        raise ValidationFailed(
            _("Kies een van de mogelijke waarden."),
            field_errors={"value": [_("Kies uit: {choices}.").format(choices=", ".join(choices[attribute]))]},
        )
    return value


def _current_value(party: Party, attribute: str):
    if attribute in (Attribute.RESIDENTIAL_ADDRESS, Attribute.CORRESPONDENCE_ADDRESS):
        kind = Address.Kind.RESIDENTIAL if attribute == Attribute.RESIDENTIAL_ADDRESS else Address.Kind.CORRESPONDENCE
        row = Address.objects.filter(party=party, kind=kind).first()
        return row.as_dict() if row else None
    if attribute in (Attribute.EMAIL, Attribute.PHONE):
        row = DigitalAddress.objects.filter(party=party, kind=attribute, is_default=True).first()
        return row.value if row else None
    if attribute == Attribute.IBAN:
        row = BankAccount.objects.filter(party=party, is_default=True).first()
        return row.iban if row else None
    return getattr(party, attribute) or None


def masked_value(attribute: str, value) -> str:
    """How a value appears in the change audit trail: sensitive values masked."""
    if value in (None, ""):
        return ""
    masks = {
        Attribute.EMAIL: mask_email,
        Attribute.PHONE: mask_phone,
        Attribute.IBAN: mask_iban,
        Attribute.RESIDENTIAL_ADDRESS: mask_address_text,
        Attribute.CORRESPONDENCE_ADDRESS: mask_address_text,
    }
    return masks[attribute](value) if attribute in masks else str(value)


def _apply(party: Party, attribute: str, value, *, verified: bool) -> None:
    now = timezone.now()
    if attribute in (Attribute.RESIDENTIAL_ADDRESS, Attribute.CORRESPONDENCE_ADDRESS):
        kind = Address.Kind.RESIDENTIAL if attribute == Attribute.RESIDENTIAL_ADDRESS else Address.Kind.CORRESPONDENCE
        Address.objects.update_or_create(party=party, kind=kind, defaults=value)
    elif attribute in (Attribute.EMAIL, Attribute.PHONE):
        # Clear the old default first: the one-default constraint is checked per statement.
        DigitalAddress.objects.filter(party=party, kind=attribute, is_default=True).exclude(value=value).update(
            is_default=False
        )
        DigitalAddress.objects.update_or_create(
            party=party,
            kind=attribute,
            value=value,
            defaults={"is_default": True, **({"verified_at": now} if verified else {})},
        )
    elif attribute == Attribute.IBAN:
        BankAccount.objects.filter(party=party, is_default=True).exclude(iban=value).update(is_default=False)
        BankAccount.objects.update_or_create(party=party, iban=value, defaults={"is_default": True})
    else:
        setattr(party, attribute, value)
        party.save(update_fields=[attribute, "updated_at"])
    Party.objects.filter(pk=party.pk).update(updated_at=now)


def _refuse(*, actor: Principal, party_id: int, attribute: str, purpose: str, purpose_reference: str, error: Exception):
    processing_log_record(
        actor=actor,
        action=ProcessingRecord.Action.UPDATE,
        object_type=f"base_data:{attribute}"[:64],
        party_ids=[party_id],
        purpose=purpose,
        purpose_reference=purpose_reference,
        outcome=ProcessingRecord.Outcome.DENIED,
    )
    raise error


def base_data_change(
    *,
    party_id: int,
    attribute: str,
    value,
    actor: Principal,
    assurance: str,
    channel: str,
    reason: str = "",
    contact_reference: str = "",
    purpose: str = "",
    purpose_reference: str = "",
) -> BaseDataChange:
    """Change one base-data attribute within the single-source rules.

    Returns the BaseDataChange: status "applied", or "verification_pending" when a code was sent to the
    new e-mail address or phone number (confirm with `verification_confirm`). Raises AccessDenied (no
    purpose / no right), NotFound, RuleViolation (the rules refuse: the message names the source
    organisation and what the person should do), ValidationFailed (bad value). Nothing is half applied.
    The purpose defaults to the contact at hand (`contact_reference`).
    """
    if not purpose and contact_reference:
        purpose, purpose_reference = Purpose.CONTACT, purpose_reference or contact_reference
    object_type = f"base_data:{attribute}"[:64]
    exists = Party.objects.filter(pk=party_id).exists()
    grant = purpose_grant(
        principal=actor,
        purpose=purpose,
        reference=purpose_reference,
        action=ProcessingRecord.Action.UPDATE,
        object_type=object_type,
        party_ids=[party_id] if exists else [],
    )
    purpose = grant.purpose
    # A citizen acts at the level of their own sign-in, staff at no more than the contact's.
    assurance = actor.assurance if actor.is_citizen else assurance_capped(assurance, grant.assurance_cap)
    if not exists:
        raise party_not_found()
    refuse = {
        "actor": actor,
        "party_id": party_id,
        "attribute": attribute,
        "purpose": purpose,
        "purpose_reference": purpose_reference,
    }
    if not _actor_may_change(actor, party_id):
        _refuse(**refuse, error=AccessDenied(_("U mag basisgegevens van deze persoon niet wijzigen.")))
    if channel not in Channel.values:
        raise ValidationFailed(_("Onbekend kanaal."), field_errors={"channel": [_("Onbekend kanaal.")]})
    if assurance not in AssuranceLevel.values:
        raise ValidationFailed(
            _("Onbekend betrouwbaarheidsniveau."), field_errors={"assurance": [_("Kies low, substantial of high.")]}
        )

    rule = DataSourceRule.objects.select_related("source_organisation").filter(attribute=attribute).first()
    if rule is None:
        _refuse(
            **refuse,
            error=RuleViolation(
                _("Voor dit gegeven is geen bronafspraak vastgelegd; de eerste lijn kan het niet wijzigen."),
                code="no_source_rule",
            ),
        )
    if not rule.first_line_may_change:
        _refuse(
            **refuse,
            error=RuleViolation(
                _("{attribute} wordt beheerd door {organisation}{register}. {instruction}")
                .format(
                    attribute=rule.get_attribute_display(),
                    organisation=rule.source_organisation.name,
                    register=f" ({rule.source_register})" if rule.source_register else "",
                    instruction=rule.citizen_instruction,
                )
                .strip(),
                code="source_elsewhere",
            ),
        )
    if not assurance_at_least(assurance, rule.minimum_assurance):
        _refuse(
            **refuse,
            error=RuleViolation(
                _(
                    "Voor het wijzigen van {attribute} is betrouwbaarheidsniveau '{minimum}' nodig; dit contact "
                    "heeft '{level}'. {instruction}"
                )
                .format(
                    attribute=rule.get_attribute_display().lower(),
                    minimum=AssuranceLevel(rule.minimum_assurance).label,
                    level=AssuranceLevel(assurance).label,
                    instruction=rule.citizen_instruction,
                )
                .strip(),
                code="assurance_too_low",
            ),
        )
    new_value = _normalise_value(attribute, value)
    if rule.verification_required and _codes_sent_last_hour(party_id) >= verification.settings_max_per_hour():
        # Bounds the messages one person can be sent, whoever asks (no SMS bombing via many callers).
        _refuse(
            **refuse,
            error=RateLimited(
                _("Er zijn het afgelopen uur al te veel codes verstuurd. Probeer het later opnieuw."),
                code="too_many_codes",
            ),
        )

    record = {
        "party_id": party_id,
        "attribute": attribute,
        "new_value": new_value,
        "rule": rule,
        "actor": actor,
        "assurance": assurance,
        "channel": channel,
        "reason": reason,
        "contact_reference": contact_reference,
        "purpose": purpose,
        "purpose_reference": purpose_reference,
    }
    try:
        return _change_record(**record)
    except DomainError:
        raise
    except Exception:
        # The change rolled back; the attempt is still on the log, as an error, outside that transaction.
        with contextlib.suppress(Exception):
            processing_log_record(
                actor=actor,
                action=ProcessingRecord.Action.UPDATE,
                object_type=object_type,
                party_ids=[party_id],
                purpose=purpose,
                purpose_reference=purpose_reference,
                outcome=ProcessingRecord.Outcome.ERROR,
            )
        raise


@transaction.atomic
def _change_record(
    *,
    party_id: int,
    attribute: str,
    new_value,
    rule: DataSourceRule,
    actor: Principal,
    assurance: str,
    channel: str,
    reason: str,
    contact_reference: str,
    purpose: str,
    purpose_reference: str,
) -> BaseDataChange:
    """Record (and apply, or start verifying) one change; all or nothing."""
    object_type = f"base_data:{attribute}"[:64]
    party = Party.objects.select_for_update().get(pk=party_id)
    old_value = _current_value(party, attribute)
    if old_value == new_value and not (rule.verification_required and not _is_verified(party, attribute, new_value)):
        raise ValidationFailed(
            _("Dit is al het huidige gegeven."), field_errors={"value": [_("Dit is al het huidige gegeven.")]}
        )
    who = actor_fields(actor)
    change = BaseDataChange.objects.create(
        party=party,
        attribute=attribute,
        old_value=masked_value(attribute, old_value),
        new_value=masked_value(attribute, new_value),
        status=BaseDataChange.Status.VERIFICATION_PENDING
        if rule.verification_required
        else BaseDataChange.Status.APPLIED,
        actor_type=who["actor_type"],
        actor_id=who["actor_id"],
        actor_label=who["actor_label"],
        channel=channel,
        assurance=assurance,
        reason=reason[:300],
        contact_reference=str(contact_reference)[:64],
        applied_at=None if rule.verification_required else timezone.now(),
    )
    if rule.verification_required:
        _challenge_start(change=change, party=party, kind=attribute, value=new_value)
    else:
        _apply(party, attribute, new_value, verified=False)
    processing_log_record(
        actor=actor,
        action=ProcessingRecord.Action.UPDATE,
        object_type=object_type,
        object_id=str(change.pk),
        party_ids=[party.pk],
        purpose=purpose,
        purpose_reference=purpose_reference,
    )
    return change


def _codes_sent_last_hour(party_id: int) -> int:
    since = timezone.now() - timedelta(hours=1)
    return VerificationChallenge.objects.filter(party_id=party_id, created_at__gte=since).count()


def _is_verified(party: Party, attribute: str, value) -> bool:
    if attribute not in (Attribute.EMAIL, Attribute.PHONE):
        return True
    return DigitalAddress.objects.filter(party=party, kind=attribute, value=value, verified_at__isnull=False).exists()


def _challenge_start(*, change: BaseDataChange, party: Party, kind: str, value: str) -> VerificationChallenge:
    # One open challenge per party and kind: a new request closes the previous one.
    VerificationChallenge.objects.filter(party=party, kind=kind, status=VerificationChallenge.Status.PENDING).update(
        status=VerificationChallenge.Status.EXPIRED, pending_value="", closed_at=timezone.now()
    )
    seed = verification.code_seed_new()
    challenge = VerificationChallenge.objects.create(
        change=change,
        party=party,
        kind=kind,
        pending_value=value,
        code_hash=verification.code_hash(verification.code_from_seed(seed)),
        expires_at=timezone.now() + timedelta(minutes=verification.settings_ttl_minutes()),
    )
    verification.verification_send(challenge=challenge, recipient=value, code_seed=seed)
    return challenge


def verification_start(
    *,
    party_id: int,
    attribute: str,
    value: str,
    actor: Principal,
    assurance: str,
    channel: str,
    contact_reference: str = "",
    purpose: str = "",
    purpose_reference: str = "",
) -> VerificationChallenge:
    """Send a code to a new (or not yet verified) e-mail address or phone number; applied on confirmation."""
    if attribute not in (Attribute.EMAIL, Attribute.PHONE):
        raise ValidationFailed(
            _("Alleen een e-mailadres of telefoonnummer kan worden geverifieerd."),
            field_errors={"attribute": [_("Kies email of phone.")]},
        )
    change = base_data_change(
        party_id=party_id,
        attribute=attribute,
        value=value,
        actor=actor,
        assurance=assurance,
        channel=channel,
        contact_reference=contact_reference,
        purpose=purpose,
        purpose_reference=purpose_reference,
        reason="verificatie",
    )
    if change.status != BaseDataChange.Status.VERIFICATION_PENDING:
        raise Conflict(_("Voor dit gegeven is geen verificatie nodig; de wijziging is doorgevoerd."))
    return change.verification


def verification_confirm(
    *, challenge_id: int, code: str, actor: Principal, purpose: str = "", purpose_reference: str = ""
) -> BaseDataChange:
    """Check a code: right -> the change is applied; wrong -> attempts counted; too many or expired -> closed.

    Each outcome is committed before an error is raised, so a failed attempt always counts.
    """
    challenge = VerificationChallenge.objects.select_related("change").filter(pk=challenge_id).first()
    if challenge is None:
        raise NotFound(_("Deze verificatie bestaat niet."))
    if not purpose and not actor.is_citizen:
        # Confirming continues the change: by default under the contact it came from.
        purpose, purpose_reference = Purpose.CONTACT, purpose_reference or challenge.change.contact_reference
    purpose = purpose_grant(
        principal=actor,
        purpose=purpose,
        reference=purpose_reference,
        action=ProcessingRecord.Action.UPDATE,
        object_type="verification",
        party_ids=[challenge.party_id],
        object_id=str(challenge.pk),
    ).purpose
    if not _actor_may_change(actor, challenge.party_id):
        _refuse(
            actor=actor,
            party_id=challenge.party_id,
            attribute=challenge.kind,
            purpose=purpose,
            purpose_reference=purpose_reference,
            error=AccessDenied(_("U mag deze verificatie niet afronden.")),
        )

    error = None
    with transaction.atomic():
        challenge = VerificationChallenge.objects.select_for_update().select_related("change").get(pk=challenge_id)
        change = challenge.change
        now = timezone.now()
        if challenge.status != VerificationChallenge.Status.PENDING:
            error = Conflict(_("Deze verificatie is niet meer open. Vraag een nieuwe code aan."), code="not_open")
        elif challenge.expires_at <= now:
            _challenge_close(challenge, VerificationChallenge.Status.EXPIRED, now)
            error = RuleViolation(_("De code is verlopen. Vraag een nieuwe code aan."), code="code_expired")
        elif not verification.code_matches(challenge.code_hash, code):
            challenge.attempts += 1
            left = verification.settings_max_attempts() - challenge.attempts
            if left <= 0:
                _challenge_close(challenge, VerificationChallenge.Status.FAILED, now)
                error = RateLimited(
                    _("Te veel onjuiste pogingen. Vraag een nieuwe code aan."), code="too_many_attempts"
                )
            else:
                challenge.save(update_fields=["attempts"])
                error = ValidationFailed(
                    _("De code klopt niet. U kunt het nog {left} keer proberen.").format(left=left),
                    code="wrong_code",
                    field_errors={"code": [_("De code klopt niet.")]},
                )
        else:
            party = Party.objects.select_for_update().get(pk=challenge.party_id)
            _apply(party, challenge.kind, challenge.pending_value, verified=True)
            _challenge_close(challenge, VerificationChallenge.Status.CONFIRMED, now)
            change.status = BaseDataChange.Status.APPLIED
            change.applied_at = now
            change.save(update_fields=["status", "applied_at"])
        processing_log_record(
            actor=actor,
            action=ProcessingRecord.Action.UPDATE,
            object_type="verification",
            object_id=str(challenge.pk),
            party_ids=[challenge.party_id],
            purpose=purpose,
            purpose_reference=purpose_reference,
            outcome=ProcessingRecord.Outcome.SUCCESS if error is None else ProcessingRecord.Outcome.DENIED,
        )
    if error is not None:
        raise error
    return change


def _challenge_close(challenge: VerificationChallenge, status: str, now) -> None:
    challenge.status = status
    challenge.pending_value = ""  # the unverified value is not kept once the challenge ends
    challenge.closed_at = now
    challenge.save(update_fields=["status", "pending_value", "closed_at", "attempts"])
    # An unsent message could still give the code; once the challenge ends it is worthless, so drop it.
    VerificationMessage.objects.filter(challenge=challenge).update(body="", code_seed="")
    if status != VerificationChallenge.Status.CONFIRMED:
        BaseDataChange.objects.filter(pk=challenge.change_id).update(status=BaseDataChange.Status.VERIFICATION_FAILED)


def verification_messages_purge() -> int:
    """Blank verification messages (text and code seed) whose challenge has expired, sent or not.
    Periodic; safe to run again (a second run changes nothing)."""
    expired = VerificationMessage.objects.filter(challenge__expires_at__lt=timezone.now())
    return expired.exclude(body="", code_seed="").update(body="", code_seed="")


@transaction.atomic
def verification_message_take(*, message_id: int) -> verification.OutgoingMessage | None:
    """For the transport: the text of an unsent verification message, with its code, exactly once. Marks it
    sent and wipes the seed, so the code is in no table afterwards. None when it was taken already, or its
    challenge has ended or expired (a code that could no longer be used is not sent)."""
    message = (
        VerificationMessage.objects.select_for_update()
        .select_related("challenge")
        .filter(pk=message_id, sent_at__isnull=True)
        .exclude(code_seed="")
        .first()
    )
    if message is None:
        return None
    now = timezone.now()
    challenge = message.challenge
    usable = challenge.status == VerificationChallenge.Status.PENDING and challenge.expires_at > now
    text = verification.message_render(message.body, message.code_seed) if usable else ""
    message.code_seed = ""
    if usable:
        message.sent_at = now
    else:
        message.body = ""
    message.save(update_fields=["code_seed", "sent_at", "body"])
    if not usable:
        return None
    return verification.OutgoingMessage(
        message_id=message.pk, channel=message.channel, recipient=message.recipient, text=text
    )


# --- consents ------------------------------------------------------------------------------------


def _actor_may_record_consent(actor: Principal, party_id: int) -> bool:
    if actor.is_citizen:
        return actor.party_id == party_id
    if actor.is_organisation:
        return actor.has_scope("consents:write")
    return actor.has_perm(CONSENT_PERMISSION)


def consent_record(
    *,
    party_id: int,
    purpose: str,
    granted: bool,
    channel: str,
    actor: Principal,
    organisation_code: str | None = None,
    processing_purpose: str = "",
    purpose_reference: str = "",
) -> Consent:
    """Grant or withdraw a consent. A withdrawal takes effect at once: every use asks `consent_is_granted`.

    `purpose` is the consent's purpose (Consent.Purpose); `processing_purpose` + `purpose_reference`
    is why this actor is processing the person's data now (the contact, or self-service).
    """
    exists = Party.objects.filter(pk=party_id).exists()
    processing_purpose = purpose_grant(
        principal=actor,
        purpose=processing_purpose,
        reference=purpose_reference,
        action=ProcessingRecord.Action.UPDATE,
        object_type="consent",
        party_ids=[party_id] if exists else [],
    ).purpose
    if not exists:
        raise party_not_found()
    if not _actor_may_record_consent(actor, party_id):
        _refuse(
            actor=actor,
            party_id=party_id,
            attribute="consent",
            purpose=processing_purpose,
            purpose_reference=purpose_reference,
            error=AccessDenied(_("U mag toestemmingen van deze persoon niet vastleggen.")),
        )
    errors = {}
    if purpose not in Consent.Purpose.values:
        errors["purpose"] = [_("Onbekend doel.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Onbekend kanaal.")]
    organisation = None
    if organisation_code:
        organisation = Organisation.objects.filter(code=organisation_code).first()
        if organisation is None:
            errors["organisation"] = [_("Onbekende organisatie.")]
    if errors:
        raise ValidationFailed(_("De invoer is niet geldig."), field_errors=errors)

    now = timezone.now()
    with transaction.atomic():
        Party.objects.select_for_update().filter(pk=party_id).first()  # serialise changes per person
        consent = Consent.objects.filter(party_id=party_id, purpose=purpose, organisation=organisation).first()
        if consent is None:
            consent = Consent(party_id=party_id, purpose=purpose, organisation=organisation)
        consent.granted = bool(granted)
        consent.channel = channel
        consent.changed_at = now
        if granted:
            consent.granted_at, consent.withdrawn_at = now, None
        else:
            consent.withdrawn_at = now
        consent.recorded_by = actor_fields(actor)["actor_label"][:100]
        consent.save()
        processing_log_record(
            actor=actor,
            action=ProcessingRecord.Action.UPDATE,
            object_type="consent",
            object_id=str(consent.pk),
            party_ids=[party_id],
            purpose=processing_purpose,
            purpose_reference=purpose_reference,
        )
    return consent


__all__ = [
    "assurance_rank",
    "base_data_change",
    "consent_record",
    "data_source_rules_seed",
    "organisations_import",
    "party_create",
    "residential_address_register",
    "verification_confirm",
    "verification_message_take",
    "verification_messages_purge",
    "verification_start",
]
