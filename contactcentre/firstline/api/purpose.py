"""Purpose binding for API views that open a person's data (shared by the case, contact and
customer-view endpoints)."""

from dataclasses import dataclass

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from contactcentre.errors import ValidationFailed
from contactcentre.firstline.selectors import purpose_check
from contactcentre.processinglog.purposes import Purpose


@dataclass(frozen=True)
class PurposeContext:
    purpose: str
    purpose_reference: str
    assurance: str


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


def request_purpose(request, *, party_id: int, object_type: str, source=None) -> PurposeContext:
    """People name a contact moment or case of this party (else 403 + a denied log record); an
    organisation's system acts on its own organisation's cases and needs no reference."""
    principal = request.user
    if getattr(principal, "is_api_client", False):
        return PurposeContext(purpose=Purpose.CASE, purpose_reference=f"api:{principal.pk}", assurance="")
    params = request.query_params if source is None else source
    purpose, assurance = purpose_check(
        party_id=party_id,
        viewer=principal,
        purpose=str(params.get("purpose", "") or ""),
        purpose_reference=str(params.get("purpose_reference", "") or ""),
        object_type=object_type,
    )
    return PurposeContext(
        purpose=purpose, purpose_reference=str(params.get("purpose_reference", "")), assurance=assurance
    )


def list_purpose(request, *, object_type: str, missing_party: str) -> PurposeContext:
    """For lists of a person's rows (`?party=`): people name the person and a purpose for them; an
    organisation's system lists its own organisation's rows and names no one."""
    party = request.query_params.get("party")
    if not party and not getattr(request.user, "is_api_client", False):
        raise ValidationFailed(field_errors={"party": [missing_party]})
    return request_purpose(request, party_id=int(party or 0), object_type=object_type)
