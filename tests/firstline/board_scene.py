"""A contact centre at one moment, for the supervisors' board: calls waiting and not, work queues,
escalations due, overdue, far off and closed (board_scene); a day of contacts and escalations for its
figures of the day (day_scene). Every time is a whole second before or after `now`."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from casemanagement.models import Escalation, SecondLineEndpoint
from contactcentre.firstline.board import start_of_day
from contactcentre.interactions.models import ContactMoment, WorkItem, WorkQueue
from lifeevents.models import Article
from tests.casemanagement.second_line import second_line_setup
from tests.factories import OrganisationFactory, UserFactory

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
    for status, created in (("open", 90), ("open", 30), ("claimed", 600), ("claimed", 700), ("done", 900)):
        holder = line.agent if status == "claimed" else None  # one agent holds both claimed items
        WorkItem.objects.create(
            queue=post, kind="scan", title="Brief", status=status, created_at=ago(created), claimed_by=holder
        )
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


@dataclass
class Day:
    since: datetime
    organisation: object
    renewal: Article  # tried before two escalations today
    passport: Article  # tried before one today
    forgotten: Article  # tried only before yesterday's


def day_scene(now: datetime) -> Day:
    """Today up to `now` (which must lie at least half an hour after midnight in Europe/Amsterdam):

    - three incoming phone calls: one answered by an agent in 4 minutes, one given a status by the phone
      menu in 2, one escalated by an agent after 6;
    - an e-mail still open, an SMS at the stroke of midnight (both without an agent);
    - a web question an organisation's system recorded and answered in 1 minute;
    - and what does not count: a call one second before midnight, a call out today.

    Two escalations today tried the renewal article, one of them the passport article too; one made
    yesterday tried the forgotten article."""
    now = now.replace(microsecond=0)
    since = start_of_day(now)
    ago = lambda minutes: now - timedelta(minutes=minutes)  # noqa: E731
    agent = UserFactory(role="agent")
    organisation = OrganisationFactory()

    def contact(channel, started, ended=None, outcome="", **fields):
        return ContactMoment.objects.create(
            channel=channel, started_at=started, ended_at=ended, outcome=outcome, **fields
        )

    contact("phone", ago(10), ago(6), "answered", agent=agent)
    contact("phone", ago(20), ago(18), "status_given")
    escalated = contact("phone", ago(30), ago(24), "escalated", agent=agent)
    contact("email", ago(5))
    contact("sms", since)
    contact("web", ago(3), ago(2), "answered", organisation=organisation)
    yesterday = contact("phone", since - timedelta(seconds=1), since, "escalated", agent=agent)
    contact("phone", ago(15), ago(14), "answered", direction="outbound", agent=agent)

    def article(external_id, question):
        return Article.objects.get_or_create(
            external_id=external_id,
            defaults={"question": question, "answer": "-", "short_answer": "-", "organisation": organisation},
        )[0]

    renewal = article("kb-9001", "Hoe verleng ik mijn rijbewijs?")
    passport = article("kb-9002", "Wat kost een paspoort?")
    forgotten = article("kb-9003", "Waar vind ik mijn aanslag?")

    def escalation(of, created, *tried):
        made = Escalation.objects.create(
            reference=f"DAY-{uuid.uuid4().hex[:12]}",
            contact_moment=of,
            organisation=organisation,
            question="Vraag",
            first_response_due=now + timedelta(days=1),
            resolution_due=now + timedelta(days=5),
        )
        made.articles_tried.set(tried)
        Escalation.objects.filter(pk=made.pk).update(created_at=created)

    escalation(escalated, ago(24), renewal, passport)
    escalation(escalated, ago(23), renewal)
    escalation(yesterday, since - timedelta(seconds=1), forgotten)
    return Day(since=since, organisation=organisation, renewal=renewal, passport=passport, forgotten=forgotten)
