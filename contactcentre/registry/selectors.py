"""Reads of the registry: finding parties, their base data as a viewer may see it, consents.

Contract used by the layers above (interactions, firstline, the integrated customer view):
- `party_queryset_for_view()`: parties with everything `party_base_data_view` needs prefetched.
- `party_base_data_view(party=, viewer=, assurance=)`: a dict of what that viewer may see. It does no
  queries on a party from `party_queryset_for_view()` (the viewer's roles are read once per viewer
  object) and does not log: the caller logs the read with its own purpose, or uses `party_base_data_read`.
- `party_find(...)`: purpose-bound search that logs; `party_lookup(...)`: the same match without
  logging or purpose check, for callers that log themselves (firstline identity resolution).
- `consents_for_party(party=)`, `consent_is_granted(party=, purpose=, organisation=None)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from contactcentre.errors import AccessDenied, NotFound, ValidationFailed
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.services import processing_log_record, purpose_grant
from contactcentre.registry import visibility
from contactcentre.registry.assurance import AssuranceLevel, assurance_at_least, assurance_capped
from contactcentre.registry.masking import mask_address, mask_email, mask_iban, mask_phone
from contactcentre.registry.models import (
    Address,
    BankAccount,
    BaseDataChange,
    Consent,
    DataSourceRule,
    DigitalAddress,
    Organisation,
    Party,
)
from contactcentre.registry.validators import normalise_bsn, normalise_email, normalise_kvk_number, normalise_phone

PARTY_FIND_LIMIT = 20

# --- viewers -------------------------------------------------------------------------------------


def viewer_roles(viewer: Principal) -> frozenset[str]:
    """The visibility roles of a staff member (their groups), an organisation's system, or a citizen."""
    if viewer.is_organisation:
        return frozenset({visibility.API_CLIENT})
    if viewer.is_citizen:
        return frozenset({visibility.CITIZEN})
    return viewer.roles


def _level(roles: frozenset[str], attribute: str, assurance: str) -> str | None:
    """'full', 'masked' or None for this attribute, the most permissive over the viewer's roles."""
    best = None
    for role in roles:
        full_at, masked_at = visibility.VISIBILITY.get(attribute, {}).get(role, (None, None))
        if full_at and assurance_at_least(assurance, full_at):
            return "full"
        if masked_at and assurance_at_least(assurance, masked_at):
            best = "masked"
    return best


def _secret_address_visible(roles: frozenset[str], assurance: str) -> bool:
    return any(
        assurance_at_least(assurance, minimum)
        for role, minimum in visibility.SECRET_ADDRESS_VISIBLE_AT.items()
        if role in roles
    )


# --- parties -------------------------------------------------------------------------------------


def party_queryset_for_view() -> QuerySet[Party]:
    """Parties with addresses, digital addresses and bank accounts prefetched (4 queries for any list)."""
    return Party.objects.prefetch_related(
        Prefetch("addresses", queryset=Address.objects.order_by("kind")),
        Prefetch("digital_addresses", queryset=DigitalAddress.objects.order_by("kind", "-is_default", "id")),
        Prefetch("bank_accounts", queryset=BankAccount.objects.order_by("-is_default", "id")),
    )


@dataclass(frozen=True)
class PartyRelated:
    """A party's addresses, digital addresses and bank accounts, in party_queryset_for_view()'s order."""

    addresses: list[Address]
    digital_addresses: list[DigitalAddress]
    bank_accounts: list[BankAccount]

    @classmethod
    def prefetched(cls, party: Party) -> PartyRelated:
        return cls(list(party.addresses.all()), list(party.digital_addresses.all()), list(party.bank_accounts.all()))


def party_for_view(*, party_id: int) -> Party | None:
    """One party with what `party_base_data_view` needs (four queries), or None."""
    return party_queryset_for_view().filter(pk=party_id).first()


def party_not_found() -> NotFound:
    return NotFound(_("Deze persoon of organisatie is niet gevonden."))


def party_get(*, party_id: int) -> Party:
    party = party_for_view(party_id=party_id)
    if party is None:
        raise party_not_found()
    return party


def party_base_data_view(
    *, party: Party, viewer: Principal, assurance: str, related: PartyRelated | None = None
) -> dict:
    """The party's base data as `viewer` may see it at `assurance` ("low" | "substantial" | "high").

    Attributes the viewer may not see are left out and listed in `restrictions` as "hidden"; attributes
    shown masked are listed as "masked". A citizen sees everything of their own party, nothing of others.
    `related` defaults to the party's prefetched rows (party_queryset_for_view()).
    """
    related = PartyRelated.prefetched(party) if related is None else related
    roles = viewer_roles(viewer)
    if visibility.CITIZEN in roles:
        if viewer.party_id != party.pk:
            raise AccessDenied(_("U kunt alleen uw eigen gegevens inzien."))
        return _shape(party, related, lambda attribute: "full", restrictions={})

    restrictions: dict[str, str] = {}

    def level_of(attribute: str) -> str | None:
        level = _level(roles, attribute, assurance)
        if (
            level
            and party.secret_address
            and attribute in visibility.ADDRESS_ATTRIBUTES
            and not _secret_address_visible(roles, assurance)
        ):
            level = None
        restrictions_value = {None: "hidden", "masked": "masked"}.get(level)
        if restrictions_value:
            restrictions[attribute] = restrictions_value
        return level

    return _shape(party, related, level_of, restrictions=restrictions)


def _shape(party: Party, related: PartyRelated, level_of, *, restrictions: dict) -> dict:
    addresses = {address.kind: address.as_dict() for address in related.addresses}
    digital = related.digital_addresses
    data: dict = {"id": party.pk, "kind": party.kind, "secret_address": party.secret_address}
    if party.kind == Party.Kind.BUSINESS:
        data["kvk_number"] = party.kvk_number or ""

    values = {
        "name": (party.display_name, None),
        "date_of_birth": (party.date_of_birth, None),
        "residential_address": (addresses.get(Address.Kind.RESIDENTIAL), mask_address),
        "correspondence_address": (addresses.get(Address.Kind.CORRESPONDENCE), mask_address),
        "emails": (_digital(digital, DigitalAddress.Kind.EMAIL), mask_email),
        "phones": (_digital(digital, DigitalAddress.Kind.PHONE), mask_phone),
        "bank_accounts": (
            [
                {"iban": account.iban, "is_default": account.is_default, "verified": account.verified_at is not None}
                for account in related.bank_accounts
            ],
            mask_iban,
        ),
        "preferred_channel": (party.preferred_channel, None),
        "preferred_language": (party.preferred_language, None),
    }
    for attribute in visibility.VIEW_ATTRIBUTES:
        level = level_of(attribute)
        if level is None:
            continue
        value, mask = values[attribute]
        if level == "masked" and value is not None:
            value = _masked(value, mask)
        data[attribute] = value
    data["restrictions"] = restrictions
    return data


def _digital(rows: list[DigitalAddress], kind: str) -> list[dict]:
    return [
        {"value": row.value, "is_default": row.is_default, "verified": row.verified_at is not None}
        for row in rows
        if row.kind == kind
    ]


def _masked(value, mask):
    if isinstance(value, list):
        key = "iban" if value and "iban" in value[0] else "value"
        return [{**item, key: mask(item[key])} for item in value]
    return mask(value)


def party_base_data_read(
    *, party_id: int, viewer: Principal, assurance: str, purpose: str, purpose_reference: str
) -> dict:
    """Purpose-bound read of one party's base data: checks the purpose, logs the read, shapes the view.

    The stated assurance is capped at the grant's: a caller recognised by phone number is not shown
    what a counter visit with an ID check would show.
    """
    party = party_for_view(party_id=party_id)  # once: it also tells whether they exist
    grant = purpose_grant(
        principal=viewer,
        purpose=purpose,
        reference=purpose_reference,
        action=ProcessingRecord.Action.READ,
        object_type="party_base_data",
        party_ids=[party.pk] if party else [],
        object_id=str(party_id),
    )
    if party is None:
        raise party_not_found()
    purpose = grant.purpose
    assurance = assurance_capped(assurance, grant.assurance_cap)
    data = party_base_data_view(party=party, viewer=viewer, assurance=assurance)
    processing_log_record(
        actor=viewer,
        action=ProcessingRecord.Action.READ,
        object_type="party_base_data",
        object_id=str(party.pk),
        party_ids=[party.pk],
        purpose=purpose,
        purpose_reference=purpose_reference,
    )
    return data


def party_lookup(
    *,
    bsn: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    kvk_number: str | None = None,
    surname: str | None = None,
    date_of_birth: date | None = None,
) -> QuerySet[Party]:
    """Parties matching exactly one criterion (or surname + date of birth). No logging: the caller logs.

    Raises ValidationFailed with a field error for a malformed identifier.
    """
    given = {
        key
        for key, value in {"bsn": bsn, "phone": phone, "email": email, "kvk_number": kvk_number}.items()
        if value not in (None, "")
    }
    by_name = bool(surname) or date_of_birth is not None
    if len(given) + by_name != 1:
        raise ValidationFailed(
            _("Zoek op precies één van: BSN, telefoonnummer, e-mailadres, KvK-nummer, of naam met geboortedatum."),
            code="search_criteria",
        )
    try:
        if bsn:
            return Party.objects.filter(bsn=normalise_bsn(bsn))
        if kvk_number:
            return Party.objects.filter(kvk_number=normalise_kvk_number(kvk_number))
        if phone:
            kind, value, field = DigitalAddress.Kind.PHONE, normalise_phone(phone), "phone"
        elif email:
            kind, value, field = DigitalAddress.Kind.EMAIL, normalise_email(email), "email"
        else:
            if not surname or date_of_birth is None:
                raise ValidationFailed(
                    _("Zoeken op naam kan alleen samen met de geboortedatum."),
                    field_errors={"date_of_birth" if surname else "surname": [_("Dit veld is verplicht.")]},
                )
            return Party.objects.annotate(surname_upper=Upper("surname")).filter(
                surname_upper=surname.strip().upper(), date_of_birth=date_of_birth
            )
    except ValidationError as error:
        field = next(key for key in ("bsn", "kvk_number", "phone", "email") if key in given)
        raise ValidationFailed(_("De invoer is niet geldig."), field_errors={field: error.messages}) from None
    return Party.objects.filter(pk__in=DigitalAddress.objects.filter(kind=kind, value=value).values("party_id"))


def party_find(
    *,
    actor: Principal,
    purpose: str,
    purpose_reference: str,
    bsn: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    kvk_number: str | None = None,
    surname: str | None = None,
    date_of_birth: date | None = None,
) -> list[Party]:
    """Purpose-bound search; writes one "search" record per party found. At most PARTY_FIND_LIMIT."""
    purpose = purpose_grant(
        principal=actor,
        purpose=purpose,
        reference=purpose_reference,
        action=ProcessingRecord.Action.SEARCH,
        object_type="party",
    ).purpose
    if actor.is_citizen:
        raise AccessDenied(_("Zoeken naar personen is niet beschikbaar."))
    parties = list(
        party_lookup(
            bsn=bsn,
            phone=phone,
            email=email,
            kvk_number=kvk_number,
            surname=surname,
            date_of_birth=date_of_birth,
        ).order_by("id")[:PARTY_FIND_LIMIT]
    )
    processing_log_record(
        actor=actor,
        action=ProcessingRecord.Action.SEARCH,
        object_type="party",
        party_ids=[party.pk for party in parties],
        purpose=purpose,
        purpose_reference=purpose_reference,
    )
    return parties


def party_find_by_bsn(*, actor, purpose: str, purpose_reference: str, bsn: str) -> Party | None:
    found = party_find(actor=actor, purpose=purpose, purpose_reference=purpose_reference, bsn=bsn)
    return found[0] if found else None


def party_find_by_phone(*, actor, purpose: str, purpose_reference: str, phone: str) -> list[Party]:
    return party_find(actor=actor, purpose=purpose, purpose_reference=purpose_reference, phone=phone)


def party_find_by_email(*, actor, purpose: str, purpose_reference: str, email: str) -> list[Party]:
    return party_find(actor=actor, purpose=purpose, purpose_reference=purpose_reference, email=email)


def party_find_by_name(
    *, actor, purpose: str, purpose_reference: str, surname: str, date_of_birth: date
) -> list[Party]:
    return party_find(
        actor=actor,
        purpose=purpose,
        purpose_reference=purpose_reference,
        surname=surname,
        date_of_birth=date_of_birth,
    )


# --- consents ------------------------------------------------------------------------------------


def consents_for_party(*, party: Party | int) -> list[Consent]:
    party_id = getattr(party, "pk", party)
    return list(Consent.objects.filter(party_id=party_id).select_related("organisation").order_by("purpose", "id"))


def consent_rows(*, party_id: int) -> list[dict]:
    """A party's consents as plain rows (purpose, organisation code or None, granted, channel,
    changed_at), in the order of consents_for_party."""
    rows = Consent.objects.filter(party_id=party_id).order_by("purpose", "id")
    return [
        {
            "purpose": row["purpose"],
            "organisation": row["organisation__code"],
            "granted": row["granted"],
            "channel": row["channel"],
            "changed_at": row["changed_at"],
        }
        for row in rows.values("purpose", "organisation__code", "granted", "channel", "changed_at")
    ]


def consent_is_granted(*, party: Party | int, purpose: str, organisation: Organisation | str | None = None) -> bool:
    """Ask at the moment of use: a withdrawal counts at once. A consent towards one organisation
    overrides a general one for the same purpose; no registration means no consent."""
    party_id = getattr(party, "pk", party)
    rows = Consent.objects.filter(party_id=party_id, purpose=purpose)
    if organisation is None:
        rows = rows.filter(organisation__isnull=True)
    else:
        is_code = isinstance(organisation, str)
        org_filter = Q(organisation__code=organisation) if is_code else Q(organisation=organisation)
        rows = rows.filter(org_filter | Q(organisation__isnull=True))
    states = {row["organisation_id"] is None: row["granted"] for row in rows.values("organisation_id", "granted")}
    if False in states:  # the organisation-specific registration
        return states[False]
    return states.get(True, False)


# --- rules and changes ---------------------------------------------------------------------------


def data_source_rules() -> dict[str, DataSourceRule]:
    return {rule.attribute: rule for rule in DataSourceRule.objects.select_related("source_organisation")}


def data_source_rule_get(*, attribute: str) -> DataSourceRule | None:
    return DataSourceRule.objects.select_related("source_organisation").filter(attribute=attribute).first()


def base_data_changes_for_party(*, party: Party | int) -> QuerySet[BaseDataChange]:
    return BaseDataChange.objects.filter(party_id=getattr(party, "pk", party)).order_by("-created_at", "-id")


__all__ = [
    "AssuranceLevel",
    "base_data_changes_for_party",
    "consent_is_granted",
    "consent_rows",
    "consents_for_party",
    "data_source_rule_get",
    "data_source_rules",
    "party_base_data_read",
    "party_base_data_view",
    "party_find",
    "party_find_by_bsn",
    "party_find_by_email",
    "party_find_by_name",
    "party_find_by_phone",
    "party_get",
    "party_for_view",
    "PartyRelated",
    "party_lookup",
    "party_queryset_for_view",
    "viewer_roles",
]
