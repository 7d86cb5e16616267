"""Reads for cases: the cases of a party (open first), one case by reference with a second factor for
the doors without a log-in, and status history. Querysets are scoped to the principal; what is shown
of each case follows casemanagement.policy; every hand-out of a person's cases is logged."""

import hashlib
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from casemanagement.attachments import attachment_summary
from casemanagement.models import (
    Case,
    CaseStatus,
    CaseType,
    CaseWorker,
    Confidentiality,
    Escalation,
    EscalationAttachment,
    EscalationDelivery,
    EscalationEvent,
)
from casemanagement.policy import Clearance, Detail, case_detail, clearance_of
from casemanagement.services import normalise_reference
from contactcentre.api.attempt_limits import counter_add, slot_release, slot_reserve
from contactcentre.errors import NotFound, RateLimited, ValidationFailed
from contactcentre.interactions.selectors import contact_history_shared
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record, purpose_grant
from contactcentre.registry.models import Address

PURPOSE_STATUS = Purpose.CONTACT
RECENT_CLOSED_DAYS = 365
LOOKUP_MAX_ATTEMPTS = settings.CASE_LOOKUP_MAX_ATTEMPTS
LOOKUP_CALLER_MAX_WRONG = settings.CASE_LOOKUP_CALLER_MAX_WRONG
LOOKUP_LOCKOUT_SECONDS = settings.CASE_LOOKUP_LOCKOUT_SECONDS


def case_types_queryset() -> QuerySet[CaseType]:
    return CaseType.objects.select_related("organisation").prefetch_related("status_types")


def cases_visible(*, principal: Principal, clearance: Clearance | None = None) -> QuerySet[Case]:
    """The cases a principal may know exist; one indexed query with joins to small tables."""
    clearance = clearance_of(principal) if clearance is None else clearance
    qs = Case.objects.select_related("organisation", "case_type", "status")
    if clearance == Clearance.OWNER_CLIENT:
        return qs.filter(organisation_id=principal.organisation_id)
    if clearance == Clearance.SUPERVISOR:
        return qs
    if clearance == Clearance.FIRST_LINE:
        return qs.exclude(confidentiality=Confidentiality.SECRET)
    if clearance == Clearance.CITIZEN:
        return qs.filter(party_id=principal.party_id).exclude(confidentiality=Confidentiality.SECRET)
    return qs.none()


def open_first(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Open cases first, most urgent deadline first; then closed ones, most recently closed first."""
    return qs.order_by(F("closed_at").desc(nulls_first=True), "deadline", "-id")


def cases_of_party(
    *, party_id: int, principal, clearance: Clearance | None = None, recent_only: bool = False
) -> QuerySet[Case]:
    qs = cases_visible(principal=principal, clearance=clearance).filter(party_id=party_id)
    if recent_only:
        cutoff = timezone.now() - timedelta(days=RECENT_CLOSED_DAYS)
        qs = qs.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff))
    return open_first(qs)


def recent_cases(*, party_id: int, principal: Principal, clearance: Clearance | None = None, limit: int) -> list[Case]:
    """Open and recently closed cases of a party, open first, at most `limit`."""
    return list(cases_of_party(party_id=party_id, principal=principal, clearance=clearance, recent_only=True)[:limit])


EMPTY_SUMMARY = {
    "reference": None,
    "case_type": None,
    "status_text": None,
    "opened_at": None,
    "deadline": None,
    "is_overdue": None,
    "is_suspended": None,
    "is_extended": None,
    "case_type_code": None,
    "status": None,
    "status_set_at": None,
    "closed_at": None,
    "confidentiality": None,
    "extension_reason": None,
    "suspension_reason": None,
    "first_line_capable": None,
}


def case_summary(case: Case, detail: Detail, today: date | None = None) -> dict:
    """A case as a viewer with `detail` may see it; hidden fields are None (a stable shape)."""
    today = today or timezone.localdate()
    data = {
        "id": case.pk,
        "organisation": {"code": case.organisation.code, "name": case.organisation.name},
        "is_open": case.is_open,
        "detail": detail.name.lower(),
        **EMPTY_SUMMARY,
    }
    if detail >= Detail.CITIZEN:
        data.update(
            reference=case.reference,
            case_type=case.case_type.name,
            status_text=case.status.citizen_text if case.status_id else "",
            opened_at=case.opened_at,
            deadline=case.deadline,
            is_overdue=case.is_overdue(today),
            is_suspended=case.is_suspended,
            is_extended=case.extended_days > 0,
        )
    if detail >= Detail.FULL:
        data.update(
            case_type_code=case.case_type.code,
            status=(
                {"code": case.status.code, "name": case.status.name, "is_final": case.status.is_final}
                if case.status_id
                else None
            ),
            status_set_at=case.status_set_at,
            closed_at=case.closed_at,
            confidentiality=case.confidentiality,
            extension_reason=case.extension_reason,
            suspension_reason=case.suspension_reason,
            first_line_capable=case.case_type.first_line_capable,
        )
    return data


def cases_present(
    *,
    cases: Iterable[Case],
    principal,
    assurance: str = "",
    purpose: str = PURPOSE_STATUS,
    purpose_reference: str = "",
    clearance: Clearance | None = None,
    log: bool = True,
) -> list[dict]:
    """Summaries of the cases the principal may see (others dropped), with one log record per person."""
    clearance = clearance_of(principal) if clearance is None else clearance
    org_id = getattr(principal, "organisation_id", None) if clearance == Clearance.OWNER_CLIENT else None
    today = timezone.localdate()
    shown, party_ids = [], []
    for case in cases:
        detail = case_detail(
            confidentiality=case.confidentiality,
            clearance=clearance,
            assurance=assurance,
            same_organisation=org_id is not None and case.organisation_id == org_id,
        )
        if detail == Detail.NONE:
            continue
        shown.append(case_summary(case, detail, today))
        party_ids.append(case.party_id)
    if log and party_ids:
        processing_log_record(
            actor=principal,
            action=ProcessingRecord.Action.READ,
            object_type="case",
            party_ids=party_ids,
            purpose=purpose,
            purpose_reference=purpose_reference,
        )
    return shown


def case_detail_for(*, case: Case, principal, assurance: str = "", clearance: Clearance | None = None) -> Detail:
    clearance = clearance_of(principal) if clearance is None else clearance
    return case_detail(
        confidentiality=case.confidentiality,
        clearance=clearance,
        assurance=assurance,
        same_organisation=clearance == Clearance.OWNER_CLIENT and case.organisation_id == principal.organisation_id,
    )


def case_get(*, case_id: int, principal) -> Case:
    """One case the principal may know of, or NotFound (never 'exists but forbidden')."""
    case = cases_visible(principal=principal).filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("Zaak niet gevonden."))
    return case


def case_status_history(
    *, case: Case, principal, assurance: str = "", purpose: str = PURPOSE_STATUS, purpose_reference: str = ""
) -> list[dict]:
    """The statuses a case went through: full detail shows internal names and explanations; the
    citizen level shows the citizen texts; less shows nothing."""
    detail = case_detail_for(case=case, principal=principal, assurance=assurance)
    if detail < Detail.CITIZEN:
        raise NotFound(_("Zaak niet gevonden."))
    rows = CaseStatus.objects.filter(case=case).select_related("status_type").order_by("set_at", "id")
    history = []
    for row in rows:
        entry = {"set_at": row.set_at, "status_text": row.status_type.citizen_text, "status": None, "explanation": None}
        if detail >= Detail.FULL:
            entry["status"] = {"code": row.status_type.code, "name": row.status_type.name}
            entry["explanation"] = row.explanation
        history.append(entry)
    processing_log_record(
        actor=principal,
        action=ProcessingRecord.Action.READ,
        object_type="case_status_history",
        object_id=str(case.pk),
        party_ids=[case.party_id],
        purpose=purpose,
        purpose_reference=purpose_reference or f"case:{case.pk}",
    )
    return history


# --- Case by reference with a second factor (phone, SMS: doors without a log-in) -----------------


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _attempt_keys(reference: str, caller_key: str) -> tuple[str, str]:
    return f"caselookup:ref:{_digest(reference)}", f"caselookup:caller:{_digest(caller_key)}"


def _reserve_attempt(reference_key: str, caller_key: str) -> None:
    """Before looking: refuse a caller with too many wrong answers over all references, and reserve a
    slot on the reference atomically (one script in Redis), so parallel guesses at one reference cannot
    slip past its limit together. A right answer gives the reference's slot back; a wrong one keeps it
    and counts against the caller too. The caller's limit is its own, higher one: one locked reference
    does not lock a desk out of every other, while a guesser spreading over references is stopped."""
    if not slot_reserve(
        reference_key,
        guard_key=caller_key,
        limit=LOOKUP_MAX_ATTEMPTS,
        guard_limit=LOOKUP_CALLER_MAX_WRONG,
        timeout=LOOKUP_LOCKOUT_SECONDS,
    ):
        raise RateLimited(_("Te veel pogingen. Probeer het later opnieuw."), code="lookup_locked")


def _postcode_digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())[:4]


def _cases_with_reference(reference: str) -> list[Case]:
    """The cases with a reference (one per organisation), each with the postcode of its person's
    residential address for the second factor, in one query."""
    residential_postcode = Address.objects.filter(party_id=OuterRef("party_id"), kind=Address.Kind.RESIDENTIAL)
    return list(
        Case.objects.select_related("organisation", "case_type", "status", "party")
        .filter(reference=reference)
        .annotate(residential_postcode=Subquery(residential_postcode.values("postcode")[:1]))[:5]
    )


def case_by_reference(
    *,
    reference: str,
    caller_key: str,
    principal,
    postcode_digits: str = "",
    date_of_birth: date | None = None,
    as_citizen: bool = False,
) -> dict:
    """The status of one case for someone who knows its reference and a second factor (the four
    postcode digits of the residential address, or the date of birth).

    Wrong attempts are counted per reference and per caller in the cache (Redis in production), in
    a window of LOOKUP_LOCKOUT_SECONDS from the first attempt; after LOOKUP_MAX_ATTEMPTS wrong ones
    the lookup is refused until the window expires, also with the right factor. An unknown reference
    and a wrong factor give the same answer. `as_citizen` shows what the citizen may see (the doors);
    otherwise what the principal may see at low assurance.
    """
    reference = normalise_reference(reference or "")
    digits = _postcode_digits(postcode_digits or "")
    if not reference:
        raise ValidationFailed(field_errors={"reference": [_("Geef het zaaknummer op.")]})
    if not digits and date_of_birth is None:
        raise ValidationFailed(
            field_errors={"postcode_digits": [_("Geef de cijfers van uw postcode of uw geboortedatum op.")]}
        )
    if postcode_digits and date_of_birth is not None:  # one factor per attempt: two would be two guesses
        raise ValidationFailed(
            field_errors={"date_of_birth": [_("Geef de cijfers van de postcode óf de geboortedatum, niet allebei.")]}
        )
    if postcode_digits and len(digits) != 4:
        raise ValidationFailed(field_errors={"postcode_digits": [_("Geef de vier cijfers van de postcode.")]})

    reference_key, caller_counter = _attempt_keys(reference, caller_key)
    _reserve_attempt(reference_key, caller_counter)

    candidates = _cases_with_reference(reference)
    match = next(
        (
            case
            for case in candidates
            if (digits and digits == _postcode_digits(case.residential_postcode or ""))
            or (date_of_birth is not None and case.party.date_of_birth == date_of_birth)
        ),
        None,
    )
    not_found = NotFound(_("Geen zaak gevonden met deze gegevens."), code="case_not_found")
    if match is None:  # a wrong attempt: it keeps its slot on the reference and counts for the caller
        counter_add(caller_counter, 1, timeout=LOOKUP_LOCKOUT_SECONDS)
        if candidates:
            processing_log_record(
                actor=principal,
                action=ProcessingRecord.Action.READ,
                object_type="case",
                party_ids=[c.party_id for c in candidates],
                purpose=PURPOSE_STATUS,
                purpose_reference="reference_lookup",
                outcome=ProcessingRecord.Outcome.DENIED,
            )
        raise not_found

    slot_release(reference_key)  # the right factor: not a wrong attempt
    clearance = Clearance.CITIZEN if as_citizen else clearance_of(principal)
    if clearance == Clearance.CITIZEN:
        detail = Detail.NONE if match.confidentiality == Confidentiality.SECRET else Detail.CITIZEN
    else:
        detail = case_detail_for(case=match, principal=principal, assurance="low", clearance=clearance)
    if detail == Detail.NONE:
        raise not_found
    processing_log_record(
        actor=principal,
        action=ProcessingRecord.Action.READ,
        object_type="case",
        object_id=str(match.pk),
        party_ids=[match.party_id],
        purpose=PURPOSE_STATUS,
        purpose_reference="reference_lookup",
    )
    return case_summary(match, detail)


# --- Life events and articles a case type belongs to (declared here, on the higher layer) ----------


def open_case_life_events(*, party_id: int) -> list[dict]:
    """The life events of the types of a party's open cases, one row per (case type, life event), for
    life_events_ranked: the customer view and the first line's offer rank them for the cases they show."""
    open_types = Case.objects.filter(party_id=party_id, closed_at__isnull=True).values("case_type_id")
    return list(
        CaseType.life_events.through.objects.filter(casetype__in=open_types).values(
            "casetype_id", slug=F("lifeevent__slug"), name=F("lifeevent__name"), ordering=F("lifeevent__ordering")
        )
    )


def life_events_ranked(rows: Iterable[dict], *, case_type_ids: set[int]) -> list[dict]:
    """(slug, name, matching_case_types) of the life events of the given case types, from
    open_case_life_events rows: those shared by more of the case types first, then in the life
    events' own order."""
    events: dict[str, dict] = {}
    for row in rows:
        if row["casetype_id"] in case_type_ids:
            event = events.setdefault(
                row["slug"], {"slug": row["slug"], "name": row["name"], "ordering": row["ordering"], "matching": 0}
            )
            event["matching"] += 1
    ranked = sorted(events.values(), key=lambda event: (-event["matching"], event["ordering"], event["name"]))
    return [{"slug": e["slug"], "name": e["name"], "matching_case_types": e["matching"]} for e in ranked]


# --- escalations: what the second line and the first line read of them ------------------------------

VIEW_ESCALATION = "casemanagement.view_escalation"
VIEW_ESCALATION_DELIVERY = "casemanagement.view_escalationdelivery"


def escalations_visible(*, principal: Principal) -> QuerySet[Escalation]:
    """An organisation's system: only escalations routed to its organisation (now); staff with
    view_escalation: all; anybody else: none."""
    qs = Escalation.objects.select_related("organisation", "forwarded_to")
    if principal.is_organisation:
        return qs.filter(organisation_id=principal.organisation_id)
    if principal.has_perm(VIEW_ESCALATION):
        return qs
    return qs.none()


ESCALATIONS_DUE_LIMIT = 5


def escalations_due_overview(*, now=None, limit: int = ESCALATIONS_DUE_LIMIT) -> dict:
    """Open escalations past their resolution deadline or within ESCALATION_NEAR_BREACH_HOURS of it
    (the supervisors' board): both counts, and the `limit` nearest deadlines, overdue first, as
    references and organisation codes only (no personal data, so nothing to log). Two queries on
    the partial index of open escalations by deadline."""
    now = now or timezone.now()
    due = Escalation.objects.filter(
        state__in=Escalation.OPEN_STATES,
        resolution_due__lte=now + timedelta(hours=settings.ESCALATION_NEAR_BREACH_HOURS),
    )
    counts = due.aggregate(
        past_deadline=Count("id", filter=Q(resolution_due__lte=now)),
        near_deadline=Count("id", filter=Q(resolution_due__gt=now)),
    )
    nearest = due.order_by("resolution_due", "id").values(
        "id", "reference", "state", "resolution_due", organisation_code=F("organisation__code")
    )
    return {**counts, "nearest": list(nearest[:limit])}


FAILED_ARTICLES_LIMIT = 10


def articles_tried_before_escalation(*, since, limit: int = FAILED_ARTICLES_LIMIT) -> list[dict]:
    """The knowledge articles the first line tried before escalating, in escalations made since
    `since`, most often first (the supervisors' board: what the knowledge base does not answer yet, a
    signal for product development). Article ids, questions and counts only; one query on the index of
    escalations by creation."""
    tried = Escalation.articles_tried.through.objects.filter(escalation__created_at__gte=since)
    rows = (
        tried.values("article_id", title=F("article__question"))
        .annotate(times=Count("escalation_id"))
        .order_by("-times", "title", "article_id")
    )
    return list(rows[:limit])


def escalations_list(*, principal: Principal, state: str = "", party_id: int | None = None) -> QuerySet[Escalation]:
    """Newest first, optionally one state or one person's; the page is handed out with
    escalations_hand_out (which logs it)."""
    qs = escalations_visible(principal=principal).order_by("-created_at", "-id")
    if state:
        qs = qs.filter(state=state)
    if party_id is not None:
        qs = qs.filter(party_id=party_id)
    return qs


def escalations_worklist(*, principal: Principal, state: str = "") -> QuerySet[Escalation]:
    """The worklist: the open escalations the principal may see (or those in `state`), the nearest
    deadline first, with the life event their contact was about (one query)."""
    qs = escalations_visible(principal=principal).select_related("contact_moment__life_event")
    qs = qs.filter(state=state) if state else qs.filter(state__in=Escalation.OPEN_STATES)
    return qs.order_by("resolution_due", "id")


def escalations_hand_out(
    *, escalations: Iterable[Escalation], principal: Principal, purpose: str, purpose_reference: str
) -> list[Escalation]:
    """A page of escalations leaves the system: one processing-log write for all people on it."""
    escalations = list(escalations)
    party_ids = [escalation.party_id for escalation in escalations if escalation.party_id]
    if party_ids:
        processing_log_record(
            actor=principal,
            action=ProcessingRecord.Action.READ,
            object_type="escalation",
            party_ids=party_ids,
            purpose=purpose,
            purpose_reference=purpose_reference,
        )
    return escalations


CITIZEN_ESCALATIONS_LIMIT = 50


def escalations_of_citizen(*, principal: Principal, limit: int = CITIZEN_ESCALATIONS_LIMIT) -> list[dict]:
    """The signed-in citizen's own questions to second-line organisations, newest first, as what they
    may read of them: never the first line's context, the routing, the queue nor the timeline's notes.
    One query; the read logged as self service. Nobody but a citizen reads them here."""
    if not principal.is_citizen:
        return []
    escalations = (
        Escalation.objects.filter(party_id=principal.party_id)
        .select_related("organisation", "contact_moment__life_event")
        .only(
            "reference",
            "party_id",
            "question",
            "state",
            "resolution_due",
            "resolution_text",
            "created_at",
            "organisation__name",
            "contact_moment__life_event__name",
        )
        .order_by("-created_at", "-id")[:limit]
    )
    shown = escalations_hand_out(
        escalations=escalations, principal=principal, purpose=Purpose.SELF_SERVICE, purpose_reference=""
    )
    return [
        {
            "reference": escalation.reference,
            "organisation": escalation.organisation.name,
            "question": escalation.question,
            "life_event": escalation.contact_moment.life_event.name if escalation.contact_moment.life_event else "",
            "state": escalation.state,
            "is_open": escalation.is_open,
            "resolution_due": escalation.resolution_due,
            "resolution_text": escalation.resolution_text if escalation.state == Escalation.State.RESOLVED else "",
            "created_at": escalation.created_at,
        }
        for escalation in shown
    ]


def escalation_get(*, reference: str, principal: Principal) -> Escalation:
    """One escalation the principal may see, with its timeline, deliveries and the articles tried
    (prefetched); NotFound for anything else, also another organisation's (it does not exist for them)."""
    deliveries = EscalationDelivery.objects.select_related("organisation")
    if principal.is_organisation:
        deliveries = deliveries.filter(organisation_id=principal.organisation_id)
    qs = escalations_visible(principal=principal).prefetch_related(
        Prefetch("events", queryset=EscalationEvent.objects.order_by("at", "id")),
        Prefetch("deliveries", queryset=deliveries),
        "articles_tried",
        "attachments",
    )
    escalation = qs.filter(reference=normalise_reference(str(reference or ""))).first()
    if escalation is None:
        raise NotFound(_("Doorverwijzing niet gevonden."))
    return escalation


def escalation_contact_history(*, escalation: Escalation, principal: Principal) -> list[dict] | None:
    """The person's contact history as the organisation handling the escalation may see it: only
    when the citizen consented to sharing it (`share_history`), else None. Opened with the purpose
    second_line for this escalation, read through interactions' selector, logged."""
    if not (principal.is_organisation and escalation.share_history and escalation.party_id):
        return None
    if escalation.organisation_id != principal.organisation_id:
        return None
    grant = purpose_grant(
        principal=principal,
        purpose=Purpose.SECOND_LINE,
        reference=escalation.reference,
        action=ProcessingRecord.Action.READ,
        object_type="contact_history",
        object_id=str(escalation.pk),
        party_ids=[escalation.party_id],
    )
    rows = contact_history_shared(grant=grant, party_id=escalation.party_id)
    processing_log_record(
        actor=principal,
        action=ProcessingRecord.Action.READ,
        object_type="contact_history",
        object_id=str(escalation.pk),
        party_ids=[escalation.party_id],
        purpose=Purpose.SECOND_LINE,
        purpose_reference=escalation.reference,
    )
    return rows


def escalation_detail(
    *, escalation: Escalation, principal: Principal, purpose: str, purpose_reference: str
) -> Escalation:
    """One escalation with its timeline, its attachments (metadata), its deliveries (to the
    organisation itself, or all for staff who may see them) and, for the organisation, the consented
    contact history (None: not shared), set on it as shown_events, shown_attachments,
    shown_deliveries and shown_contact_history. Logged."""
    escalations_hand_out(
        escalations=[escalation], principal=principal, purpose=purpose, purpose_reference=purpose_reference
    )
    show_deliveries = principal.is_organisation or principal.has_perm(VIEW_ESCALATION_DELIVERY)
    escalation.shown_events = list(escalation.events.all())
    escalation.shown_attachments = [
        attachment_summary(attachment, escalation.reference) for attachment in escalation.attachments.all()
    ]
    escalation.shown_deliveries = list(escalation.deliveries.all()) if show_deliveries else []
    escalation.shown_contact_history = escalation_contact_history(escalation=escalation, principal=principal)
    return escalation


def escalation_attachment_get(*, reference: str, key, principal: Principal) -> EscalationAttachment:
    """An attachment for the system of the organisation the escalation is routed to, to download;
    NotFound for anybody else (another organisation's token included: it does not exist for them).
    Opened with the purpose second_line for that escalation and logged."""
    if not principal.is_organisation:
        raise NotFound(_("Bijlage niet gevonden."))
    attachment = (
        EscalationAttachment.objects.select_related("escalation")
        .filter(
            key=key,
            escalation__reference=normalise_reference(str(reference or "")),
            escalation__organisation_id=principal.organisation_id,
        )
        .first()
    )
    if attachment is None:
        raise NotFound(_("Bijlage niet gevonden."))
    escalation = attachment.escalation
    if escalation.party_id:
        opened = {
            "action": ProcessingRecord.Action.READ,
            "object_type": "escalation_attachment",
            "object_id": str(attachment.pk),
            "party_ids": [escalation.party_id],
        }
        purpose_grant(principal=principal, purpose=Purpose.SECOND_LINE, reference=escalation.reference, **opened)
        processing_log_record(
            actor=principal, purpose=Purpose.SECOND_LINE, purpose_reference=escalation.reference, **opened
        )
    return attachment


# --- case workers: an organisation's people working its escalations in the built-in worklist -------

# What a case worker may do for their organisation: what its API client does with escalations.
CASE_WORKER_SCOPES = frozenset({"escalations:read", "escalations:write"})


def case_worker_principal(*, user) -> Principal | None:
    """The staff member as a case worker acting for their organisation, or None without a membership."""
    membership = CaseWorker.objects.select_related("organisation").filter(user=user).first()
    if membership is None:
        return None
    return Principal.case_worker(user, organisation=membership.organisation, scopes=CASE_WORKER_SCOPES)
