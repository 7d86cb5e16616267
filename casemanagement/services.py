"""Writes for cases: case types from the shared files, opening cases, recording status, suspension
and extension. Every write of a person's case writes a processing-log record."""

import secrets
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casemanagement.models import Case, CaseStatus, CaseType, Confidentiality, StatusType
from contactcentre.errors import Conflict, NotFound, RuleViolation, ValidationFailed
from contactcentre.interactions.services import citizen_language, notification_enqueue
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record
from contactcentre.registry.models import Organisation, Party
from lifeevents.models import Article, LifeEvent

EARLIEST_OPENED = datetime(1990, 1, 1, tzinfo=UTC)


def normalise_reference(reference: str) -> str:
    """References are spoken and typed: case and spacing do not matter."""
    return "".join(reference.split()).upper()


@transaction.atomic
def case_types_import(*, rows: list[dict], article_rows: list[dict] | None = None) -> int:
    """Create or update case types and their ordered statuses by code (idempotent).

    Also declares which life events (the case type's `life_events`) and knowledge articles (the
    articles whose `case_types` name it) the case type belongs to, as far as they are loaded.
    """
    organisations = {org.code: org for org in Organisation.objects.filter(code__in={r["organisation"] for r in rows})}
    for row in rows:
        organisation = organisations.get(row["organisation"])
        if organisation is None:
            raise ValidationFailed(_("Onbekende organisatie: %(code)s") % {"code": row["organisation"]})
        case_type, _created = CaseType.objects.update_or_create(
            code=row["code"],
            defaults={
                "organisation": organisation,
                "name": row["name"],
                "description": row.get("description", ""),
                "legal_term_days": row["legal_term_days"],
                "extension_days": row.get("extension_days", 0),
                "first_line_capable": row.get("first_line_capable", False),
            },
        )
        codes = [status["code"] for status in row["statuses"]]
        # Free the order slots first so re-ordered statuses do not collide on the unique order.
        existing = {st.code: st for st in StatusType.objects.filter(case_type=case_type)}
        for index, st in enumerate(existing.values()):
            st.order = 1000 + index
            st.save(update_fields=["order"])
        for order, status in enumerate(row["statuses"], start=1):
            StatusType.objects.update_or_create(
                case_type=case_type,
                code=status["code"],
                defaults={
                    "order": order,
                    "name": status["name"],
                    "citizen_text": status["citizen_text"],
                    "notify_citizen": status.get("notify", False),
                    "is_final": status.get("final", False),
                },
            )
        stale = [existing[code] for code in existing if code not in codes]
        # A status some case has (had) stays, after the current ones; history must keep its meaning.
        in_use = set(
            CaseStatus.objects.filter(status_type__in=stale).values_list("status_type_id", flat=True).distinct()
        )
        for order, st in enumerate((st for st in stale if st.pk in in_use), start=len(codes) + 1):
            st.order = order
            st.save(update_fields=["order"])
        StatusType.objects.filter(pk__in=[st.pk for st in stale if st.pk not in in_use]).delete()
        case_type.life_events.set(LifeEvent.objects.filter(slug__in=row.get("life_events", [])))
        if article_rows is not None:
            ids = [a["id"] for a in article_rows if row["code"] in a.get("case_types", [])]
            case_type.articles.set(Article.objects.filter(external_id__in=ids))
    return len(rows)


def _new_reference(organisation: Organisation) -> str:
    # Digits only after the prefix: references are read out over the phone and typed on keypads.
    return f"Z{timezone.localdate():%y}{secrets.randbelow(10**8):08d}"


@transaction.atomic
def case_open(
    *,
    case_type: CaseType,
    party: Party,
    actor: Principal,
    reference: str = "",
    opened_at: datetime | None = None,
    confidentiality: str = Confidentiality.NORMAL,
    explanation: str = "",
) -> Case:
    """Open a case in its type's first status with the deadline from the legal term."""
    first_status = case_type.status_types.order_by("order").first()
    if first_status is None:
        raise RuleViolation(_("Dit zaaktype heeft geen statussen."))
    if confidentiality not in Confidentiality.values:
        raise ValidationFailed(field_errors={"confidentiality": [_("Onbekende vertrouwelijkheid.")]})
    opened_at = opened_at or timezone.now()
    if not (EARLIEST_OPENED <= opened_at <= timezone.now() + timedelta(minutes=5)):
        raise ValidationFailed(field_errors={"opened_at": [_("Dit tijdstip is niet mogelijk.")]})
    case = Case(
        organisation_id=case_type.organisation_id,
        case_type=case_type,
        party=party,
        status=first_status,
        status_set_at=opened_at,
        opened_at=opened_at,
        confidentiality=confidentiality,
        closed_at=opened_at if first_status.is_final else None,
    )
    case.deadline = case.computed_deadline()
    for _attempt in range(5):
        case.reference = normalise_reference(reference) if reference else _new_reference(case_type.organisation)
        try:
            with transaction.atomic():
                case.save()
            break
        except IntegrityError as exc:
            if reference:
                raise Conflict(_("Dit zaaknummer bestaat al bij deze organisatie.")) from exc
    else:  # pragma: no cover - 5 collisions in 10^8 numbers
        raise Conflict(_("Kon geen uniek zaaknummer maken."))
    entry = CaseStatus.objects.create(
        case=case,
        status_type=first_status,
        set_at=opened_at,
        explanation=explanation,
        **_recorded_by(actor),
    )
    _log(actor=actor, action=ProcessingRecord.Action.CREATE, case=case)
    _notify(case=case, entry=entry, status_type=first_status)
    return case


def _notify(*, case: Case, entry: CaseStatus, status_type: StatusType) -> None:
    """A status the citizen is told about goes to the outbox in this same transaction. Secret cases
    (e.g. an investigation) are never announced."""
    if not status_type.notify_citizen or case.confidentiality == Confidentiality.SECRET:
        return
    with citizen_language(case.party):
        notification_enqueue(
            party=case.party,
            subject=_("Nieuws over uw zaak %(reference)s") % {"reference": case.reference},
            body=f"{case.case_type.name} ({case.reference}): {status_type.citizen_text}",
            dedupe_key=f"case-status:{entry.pk}",
            purpose=Purpose.CASE,
            purpose_reference=case.reference,
        )


def _recorded_by(actor: Principal) -> dict:
    if actor.is_organisation:  # its system or one of its case workers
        return {"recorded_by": f"{actor.name} ({actor.organisation_code})"}
    if actor.is_staff:
        return {"recorded_by": actor.user.get_username(), "recorded_by_user": actor.user}
    return {"recorded_by": "systeem"}


def _log(*, actor, action: str, case: Case) -> None:
    processing_log_record(
        actor=actor,
        action=action,
        object_type="case",
        object_id=str(case.pk),
        party_ids=[case.party_id],
        purpose=Purpose.CASE,
        purpose_reference=case.reference,
    )


def _locked(case: Case, actor: Principal) -> Case:
    """The case row locked for this transaction; a client may only touch its own organisation's cases."""
    if actor.is_organisation and actor.organisation_id != case.organisation_id:
        raise NotFound(_("Zaak niet gevonden."))
    return Case.objects.select_for_update(of=("self",)).select_related("case_type", "status").get(pk=case.pk)


@transaction.atomic
def case_status_record(
    *, case: Case, status_code: str, actor: Principal, set_at: datetime | None = None, explanation: str = ""
) -> CaseStatus:
    """Give a case its next status; a final status closes it. Statuses never go back in time."""
    case = _locked(case, actor)
    if case.closed_at is not None:
        raise RuleViolation(_("Deze zaak is al afgesloten."), code="case_closed")
    status_type = StatusType.objects.filter(case_type_id=case.case_type_id, code=status_code).first()
    if status_type is None:
        raise ValidationFailed(field_errors={"status": [_("Deze status hoort niet bij het zaaktype.")]})
    set_at = set_at or timezone.now()
    if set_at > timezone.now() + timedelta(minutes=5):
        raise ValidationFailed(field_errors={"set_at": [_("Het tijdstip ligt in de toekomst.")]})
    if case.status_set_at and set_at < case.status_set_at:
        raise ValidationFailed(field_errors={"set_at": [_("Het tijdstip ligt voor de huidige status.")]})
    entry = CaseStatus.objects.create(
        case=case, status_type=status_type, set_at=set_at, explanation=explanation, **_recorded_by(actor)
    )
    case.status = status_type
    case.status_set_at = set_at
    fields = ["status", "status_set_at"]
    if status_type.is_final:
        if case.suspended_since is not None:
            _resume(case, at=set_at)
            fields += ["suspended_since", "suspended_days", "deadline"]
        case.closed_at = set_at
        fields.append("closed_at")
    case.save(update_fields=fields)
    _log(actor=actor, action=ProcessingRecord.Action.UPDATE, case=case)
    _notify(case=case, entry=entry, status_type=status_type)
    return entry


def _resume(case: Case, *, at: datetime) -> None:
    case.suspended_days += max(
        0, (timezone.localtime(at).date() - timezone.localtime(case.suspended_since).date()).days
    )
    case.suspended_since = None
    case.deadline = case.computed_deadline()


@transaction.atomic
def case_suspend(*, case: Case, reason: str, actor: Principal) -> Case:
    """Stop the clock (e.g. waiting for the citizen to supply documents)."""
    case = _locked(case, actor)
    if case.closed_at is not None or case.suspended_since is not None:
        raise RuleViolation(_("Alleen een lopende, niet opgeschorte zaak kan worden opgeschort."))
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("Geef een reden op.")]})
    case.suspended_since = timezone.now()
    case.suspension_reason = reason.strip()
    case.save(update_fields=["suspended_since", "suspension_reason"])
    _log(actor=actor, action=ProcessingRecord.Action.UPDATE, case=case)
    return case


@transaction.atomic
def case_resume(*, case: Case, actor: Principal) -> Case:
    """Restart the clock; the deadline moves by the days the case was suspended."""
    case = _locked(case, actor)
    if case.suspended_since is None:
        raise RuleViolation(_("Deze zaak is niet opgeschort."))
    _resume(case, at=timezone.now())
    case.save(update_fields=["suspended_since", "suspended_days", "deadline"])
    _log(actor=actor, action=ProcessingRecord.Action.UPDATE, case=case)
    return case


@transaction.atomic
def case_extend(*, case: Case, days: int, reason: str, actor: Principal) -> Case:
    """Extend the term once, within the extension the case type allows."""
    case = _locked(case, actor)
    if case.closed_at is not None:
        raise RuleViolation(_("Deze zaak is al afgesloten."), code="case_closed")
    if case.extended_days:
        raise RuleViolation(_("Deze zaak is al verlengd."), code="already_extended")
    if days < 1 or days > case.case_type.extension_days:
        raise ValidationFailed(
            field_errors={
                "days": [_("Verlengen kan met 1 tot %(max)s dagen.") % {"max": case.case_type.extension_days}]
            }
        )
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("Geef een reden op.")]})
    case.extended_days = days
    case.extension_reason = reason.strip()
    case.deadline = case.computed_deadline()
    case.save(update_fields=["extended_days", "extension_reason", "deadline"])
    _log(actor=actor, action=ProcessingRecord.Action.UPDATE, case=case)
    return case
