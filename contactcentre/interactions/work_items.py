"""Writes for work queues: put work in a queue (once per source), take the next item (oldest first
within priority, claimed atomically with SELECT ... FOR UPDATE SKIP LOCKED so two people never hold
the same item), give it back, finish it, and a supervisor's reassign. A claim is a reservation: when
it runs out the item is open again, to the next claim at once and to the boards after the sweep.

Every change is published to the supervisor board after commit, and to the agent it concerns."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcentre import realtime
from contactcentre.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from contactcentre.interactions.models import AgentSkill, ContactMoment, WorkItem, WorkQueue
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.selectors import purpose_lockouts_since
from contactcentre.processinglog.services import processing_log_record
from contactcentre.registry.models import Party

REASSIGN = "interactions.reassign_workitem"
WORK = "interactions.change_workitem"


def _reservation() -> timedelta:
    return timedelta(minutes=settings.WORK_ITEM_RESERVATION_MINUTES)


def _publish(item: WorkItem, event: str, *, also_to: int | None = None) -> None:
    data = {"id": item.pk, "queue": item.queue_id, "status": item.status, "kind": item.kind}
    realtime.publish(realtime.BOARD_GROUP, event, data)
    for user_id in {item.claimed_by_id, also_to} - {None}:
        realtime.publish(realtime.agent_group(user_id), event, data)


def _log_taken(item: WorkItem, actor: Principal) -> None:
    """Taking an item opens the person's contact: logged with the contact as the purpose."""
    if item.party_id is None:
        return
    processing_log_record(
        actor=actor,
        action=ProcessingRecord.Action.READ,
        object_type="work_item",
        object_id=str(item.pk),
        party_ids=[item.party_id],
        purpose=Purpose.CONTACT,
        purpose_reference=str(item.contact_moment_id or ""),
    )


# The queues the doors and sweeps put their work in (migration 0006 creates them; names editable in the
# admin). One that has gone missing is made again rather than the door or the sweep failing on it.
DOOR_QUEUES = {
    "email": "E-mail",
    "post": "Post",
    "post-triage": "Post: beoordelen",
    "sms": "Sms",
    "web": "Vragen via de website",
    "supervision": "Signalen teamleider",
}


def _queue_for(code: str) -> WorkQueue | None:
    if code in DOOR_QUEUES:
        queue, _created = WorkQueue.objects.get_or_create(code=code, defaults={"name": DOOR_QUEUES[code]})
        return queue if queue.is_active else None
    return WorkQueue.objects.filter(code=code, is_active=True).first()


def work_item_create(
    *,
    queue_code: str,
    kind: str,
    title: str,
    contact_moment: ContactMoment | None = None,
    party: Party | None = None,
    priority: int = WorkItem.Priority.NORMAL,
    source_key: str | None = None,
    due_at: datetime | None = None,
) -> WorkItem:
    """Put work in a queue. The same source_key answers the item made the first time (a webhook or
    a poll that runs twice makes one item)."""
    if kind not in WorkItem.Kind.values:
        raise ValidationFailed(field_errors={"kind": [_("Onbekende soort werk.")]})
    if priority not in WorkItem.Priority.values:
        raise ValidationFailed(field_errors={"priority": [_("Onbekende prioriteit.")]})
    queue = _queue_for(queue_code)
    if queue is None:
        raise NotFound(_("Werkbak niet gevonden."))
    if source_key is not None:
        existing = WorkItem.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing
    if party is None and contact_moment is not None:
        party = contact_moment.party
    fields = dict(
        queue=queue,
        kind=kind,
        title=title.strip()[:200] or WorkItem.Kind(kind).label,
        contact_moment=contact_moment,
        party=party,
        priority=priority,
        source_key=source_key,
        due_at=due_at,
    )
    try:
        with transaction.atomic():
            item = WorkItem.objects.create(**fields)
    except IntegrityError:  # the same source at the same moment in another transaction
        item = WorkItem.objects.filter(source_key=source_key).first()
        if item is None:
            raise
        return item
    _publish(item, "work_item.created")
    return item


def _skilled_queues(principal: Principal):
    return AgentSkill.objects.filter(user_id=principal.user_id).values("queue_id")


def _claimable(now: datetime) -> Q:
    """Open, or claimed by someone whose reservation ran out."""
    return Q(status=WorkItem.Status.OPEN) | Q(status=WorkItem.Status.CLAIMED, claimed_until__lt=now)


def _require_worker(principal: Principal) -> None:
    if not principal.has_perm(WORK):
        raise AccessDenied(_("U mag geen werk uit de werkbakken nemen."))


def _take(item: WorkItem, principal: Principal, now: datetime) -> WorkItem:
    item.status = WorkItem.Status.CLAIMED
    item.claimed_by = principal.user
    item.claimed_until = now + _reservation()
    item.save(update_fields=["status", "claimed_by", "claimed_until"])
    _log_taken(item, principal)
    _publish(item, "work_item.claimed")
    return item


@transaction.atomic
def work_item_claim_next(*, principal: Principal, queue_code: str | None = None) -> WorkItem | None:
    """The next item for this person from the queues they are skilled for (or one of them): the
    most urgent, then the oldest. None when there is nothing to take."""
    _require_worker(principal)
    now = timezone.now()
    candidates = WorkItem.objects.filter(_claimable(now), queue_id__in=_skilled_queues(principal))
    if queue_code is not None:
        candidates = candidates.filter(queue__code=queue_code)
    item = candidates.order_by("priority", "created_at", "id").select_for_update(skip_locked=True, of=("self",)).first()
    return None if item is None else _take(item, principal, now)


def _locked(item_id: int) -> WorkItem:
    item = WorkItem.objects.select_for_update(of=("self",)).filter(pk=item_id).first()
    if item is None:
        raise NotFound(_("Werkitem niet gevonden."))
    return item


@transaction.atomic
def work_item_claim(*, principal: Principal, item_id: int) -> WorkItem:
    """Take this item (from the list): only while nobody else holds it."""
    _require_worker(principal)
    now = timezone.now()
    item = _locked(item_id)
    if not AgentSkill.objects.filter(user_id=principal.user_id, queue_id=item.queue_id).exists():
        raise NotFound(_("Werkitem niet gevonden."))
    held_by_other = item.status == WorkItem.Status.CLAIMED and item.claimed_by_id != principal.user_id
    if item.status not in WorkItem.CLAIMABLE or (held_by_other and item.claimed_until >= now):
        raise Conflict(_("Dit werkitem is al in behandeling of afgehandeld."), code="not_claimable")
    return _take(item, principal, now)


def _held(item_id: int, principal: Principal) -> WorkItem:
    """The item, locked, if this person holds it (a supervisor may act on anyone's)."""
    item = _locked(item_id)
    if item.status != WorkItem.Status.CLAIMED:
        raise Conflict(_("Dit werkitem is niet in behandeling."), code="not_claimed")
    if item.claimed_by_id != principal.user_id and not principal.has_perm(REASSIGN):
        raise AccessDenied(_("Dit werkitem is in behandeling bij een ander."))
    return item


def _reopen(item: WorkItem) -> WorkItem:
    """Back to its queue, unclaimed; the one who held it hears so."""
    holder = item.claimed_by_id
    item.status, item.claimed_by, item.claimed_until = WorkItem.Status.OPEN, None, None
    item.save(update_fields=["status", "claimed_by", "claimed_until"])
    _publish(item, "work_item.released", also_to=holder)
    return item


def _finish(item: WorkItem, outcome: str) -> WorkItem:
    item.status, item.claimed_until = WorkItem.Status.DONE, None
    item.outcome = outcome.strip()[:500]
    item.completed_at = timezone.now()
    item.save(update_fields=["status", "claimed_until", "outcome", "completed_at"])
    _publish(item, "work_item.completed")
    return item


@transaction.atomic
def work_item_release(*, principal: Principal, item_id: int) -> WorkItem:
    """Give an item back to its queue unfinished."""
    _require_worker(principal)
    return _reopen(_held(item_id, principal))


@transaction.atomic
def work_item_complete(*, principal: Principal, item_id: int, outcome: str = "") -> WorkItem:
    """Finish an item (the answer itself is recorded on the contact moment)."""
    _require_worker(principal)
    return _finish(_held(item_id, principal), outcome)


@transaction.atomic
def work_item_complete_for_source(*, source_key: str, outcome: str = "") -> WorkItem | None:
    """The work is done elsewhere (a callback made, a breach resolved): close its item if any."""
    item = WorkItem.objects.select_for_update().filter(source_key=source_key, status__in=WorkItem.CLAIMABLE).first()
    return None if item is None else _finish(item, outcome)


@transaction.atomic
def work_item_reassign(*, principal: Principal, item_id: int, user_id: int) -> WorkItem:
    """A supervisor puts an item on someone's list (with a fresh reservation)."""
    if not principal.has_perm(REASSIGN):
        raise AccessDenied(_("Alleen een teamleider wijst werk aan een ander toe."))
    item = _locked(item_id)
    if item.status not in WorkItem.CLAIMABLE:
        raise Conflict(_("Dit werkitem is al afgehandeld."), code="not_claimable")
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_perm(WORK):
        raise ValidationFailed(field_errors={"user": [_("Deze medewerker kan geen werkitems behandelen.")]})
    previous = item.claimed_by_id
    item.status, item.claimed_by = WorkItem.Status.CLAIMED, user
    item.claimed_until = timezone.now() + _reservation()
    item.save(update_fields=["status", "claimed_by", "claimed_until"])
    _publish(item, "work_item.reassigned", also_to=previous)
    return item


def work_items_release_expired(*, now: datetime | None = None) -> int:
    """Periodic: reservations that ran out go back to their queue (claims already take them; this
    puts them back on the boards). Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = list(
            WorkItem.objects.select_for_update(skip_locked=True)
            .filter(status=WorkItem.Status.CLAIMED, claimed_until__lt=now)
            .order_by("claimed_until")[:500]
        )
        for item in expired:
            _reopen(item)
    return len(expired)


SUPERVISION_QUEUE = "supervision"
LOCKOUT_LOOKBACK = timedelta(days=1)


def supervision_lockouts_collect(*, now: datetime | None = None) -> int:
    """Periodic: each lock-out after wrong purpose references (a processing-log record, written where
    the lower layer noticed it) becomes one urgent signal on the supervisors' queue. Returns how many
    are new; a second run finds them made already."""
    now = now or timezone.now()
    records = {
        f"purpose-lockout:{record.pk}": record for record in purpose_lockouts_since(since=now - LOCKOUT_LOOKBACK)
    }
    known = set(WorkItem.objects.filter(source_key__in=records).values_list("source_key", flat=True))
    for source_key, record in records.items():
        if source_key in known:
            continue
        work_item_create(
            queue_code=SUPERVISION_QUEUE,
            kind=WorkItem.Kind.SUPERVISION,
            title=_("Geblokkeerd na onjuiste verwijzingen: %(actor)s")
            % {"actor": record.actor_label or record.actor_id},
            priority=WorkItem.Priority.URGENT,
            source_key=source_key,
        )
    return len(records) - len(known)


@transaction.atomic
def agent_skill_set(*, user, queue_codes: list[str]) -> list[str]:
    """Exactly these queues for this person (the admin and the demo use it)."""
    queues = list(WorkQueue.objects.filter(code__in=queue_codes))
    AgentSkill.objects.filter(user=user).exclude(queue__in=queues).delete()
    for queue in queues:
        AgentSkill.objects.get_or_create(user=user, queue=queue)
    return sorted(queue.code for queue in queues)
