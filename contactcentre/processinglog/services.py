"""The one helper every selector and service calls when it reads or writes a person's data."""

from collections.abc import Iterable

from contactcentre.api.logging import current_trace_id
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym


def _actor_fields(actor) -> dict:
    if actor is None:
        return {"actor_type": ProcessingRecord.ActorType.SYSTEM, "actor_id": "system", "actor_label": "systeem"}
    if getattr(actor, "is_api_client", False):
        return {
            "actor_type": ProcessingRecord.ActorType.API_CLIENT,
            "actor_id": f"client:{actor.pk}",
            "actor_label": actor.name,
            "organisation_code": actor.organisation.code,
        }
    if getattr(actor, "is_citizen", False):
        return {"actor_type": ProcessingRecord.ActorType.CITIZEN, "actor_id": f"citizen:{actor.pk}", "actor_label": ""}
    return {
        "actor_type": ProcessingRecord.ActorType.USER,
        "actor_id": f"user:{actor.pk}",
        "actor_label": actor.get_username(),
    }


def processing_log_record(
    *,
    actor,
    action: str,
    object_type: str,
    party_ids: Iterable[int],
    purpose: str,
    purpose_reference: str = "",
    object_id: str = "",
    outcome: str = ProcessingRecord.Outcome.SUCCESS,
) -> list[ProcessingRecord]:
    """Write one record per person whose data was processed (a list of N people writes N records).

    `actor` is a user, an ApiClient, a citizen principal or None for the system itself.
    """
    base = _actor_fields(actor) | {
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "purpose": purpose,
        "purpose_reference": str(purpose_reference),
        "outcome": outcome,
        "trace_id": current_trace_id.get(),
    }
    records = [ProcessingRecord(subject=subject_pseudonym(pid), **base) for pid in dict.fromkeys(party_ids)]
    return ProcessingRecord.objects.bulk_create(records)
