"""The purpose of an API request that opens a person's data: read from its `purpose` and
`purpose_reference` parameters and granted by `purpose_grant` (shared by the case, contact and
customer-view endpoints)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from contactcentre.errors import ValidationFailed
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import FIRST_LINE_PURPOSES, Purpose
from contactcentre.processinglog.services import Grant, purpose_grant

PURPOSE_PARAMETERS = [
    OpenApiParameter(
        "purpose",
        OpenApiTypes.STR,
        enum=[Purpose.CONTACT.value, Purpose.CASE.value],
        description="Doel van het inzien (verplicht voor medewerkers): het contact of de zaak.",
    ),
    OpenApiParameter(
        "purpose_reference",
        OpenApiTypes.STR,
        description="Het contactmoment (id) of de zaak (id of zaaknummer) van deze persoon.",
    ),
]


def request_grant(request, *, party_id: int, object_type: str, source=None) -> Grant:
    """People name a contact moment or case of this party (else 403 + a denied log record); an
    organisation's system reads its own organisation's records and needs no reference."""
    params = request.query_params if source is None else source
    if request.user.is_organisation:  # what it states does not matter: the views read only its own
        params = {}
    return purpose_grant(
        principal=request.user,
        purpose=str(params.get("purpose", "") or ""),
        reference=str(params.get("purpose_reference", "") or ""),
        purposes=FIRST_LINE_PURPOSES,
        organisation_scoped=True,
        action=ProcessingRecord.Action.READ,
        object_type=object_type,
        party_ids=[party_id] if party_id else [],
        object_id=str(party_id or ""),
    )


def list_grant(request, *, object_type: str, missing_party: str) -> Grant:
    """For lists of a person's rows (`?party=`): people name the person and a purpose for them; an
    organisation's system lists its own organisation's rows and names no one."""
    party = str(request.query_params.get("party", "") or "")
    if not party and request.user.is_organisation:
        return request_grant(request, party_id=0, object_type=object_type)
    if not party:
        raise ValidationFailed(field_errors={"party": [missing_party]})
    if not (party.isascii() and party.isdigit() and len(party) <= 18):
        raise ValidationFailed(field_errors={"party": [_("Geef het nummer van de persoon.")]})
    return request_grant(request, party_id=int(party), object_type=object_type)
