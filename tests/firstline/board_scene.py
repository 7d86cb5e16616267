"""A contact centre at one moment, for the supervisors' board: calls waiting and not, work queues,
escalations due, overdue, far off and closed. Every time is a whole second before or after `now`."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from casemanagement.models import Escalation, SecondLineEndpoint
from contactcentre.interactions.models import ContactMoment, WorkItem, WorkQueue
from tests.casemanagement.second_line import second_line_setup

NEAR_BREACH_HOURS = 8


@dataclass
class Scene:
    now: datetime
    post: WorkQueue
    overdue: Escalation
    near: Escalation
    organisation_code: str


def board_scene(now: datetime) -> Scene:
    """Needs settings.ESCALATION_NEAR_BREACH_HOURS == NEAR_BREACH_HOURS."""
    now = now.replace(microsecond=0)
    ago = lambda seconds: now - timedelta(seconds=seconds)  # noqa: E731
    line = second_line_setup(delivery=SecondLineEndpoint.Delivery.WORKLIST)

    mine = {"post": ("Post", True), "sms": ("Sms", True), "oud": ("Oud", False)}
    WorkQueue.objects.exclude(code__in=mine).delete()  # the door queues the schema brings
    post, sms, _old = (
        WorkQueue.objects.get_or_create(code=code, defaults={"name": name, "is_active": active})[0]
        for code, (name, active) in mine.items()
    )
    for status, created in (("open", 90), ("open", 30), ("claimed", 600), ("done", 900)):
        WorkItem.objects.create(queue=post, kind="scan", title="Brief", status=status, created_at=ago(created))
    WorkItem.objects.create(queue=sms, kind="sms", title="Sms", status="cancelled", created_at=ago(50))

    for started in (120, 45):  # waiting in the phone queue
        ContactMoment.objects.create(channel="phone", started_at=ago(started))
    ContactMoment.objects.create(channel="phone", started_at=ago(300), agent=line.agent)  # put through
    ContactMoment.objects.create(channel="phone", started_at=ago(400), ended_at=ago(350))  # hung up
    ContactMoment.objects.create(channel="email", started_at=ago(500))  # not a call
    ContactMoment.objects.create(channel="phone", direction="outbound", started_at=ago(200))  # we call out

    def escalation(due: timedelta, state: str) -> Escalation:
        escalation = line.escalate()
        Escalation.objects.filter(pk=escalation.pk).update(resolution_due=now + due, state=state)
        escalation.refresh_from_db()
        return escalation

    overdue = escalation(timedelta(hours=-1), "new")
    near = escalation(timedelta(hours=2), "in_progress")
    escalation(timedelta(hours=NEAR_BREACH_HOURS + 1), "delivered")  # not near yet
    escalation(timedelta(hours=-5), "resolved")  # closed: no longer due
    return Scene(now=now, post=post, overdue=overdue, near=near, organisation_code=line.organisation.code)
