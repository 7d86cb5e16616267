"""Demo data for cases: the case types of the shared kennisbank, and demo cases in various states
(open, overdue, suspended, extended, closed, confidential, secret) for the registry's demo people,
with a few contact moments and an open callback so the customer view has something to show, and
routing rules that send what the first line cannot resolve to the demo organisations, and the demo
case worker (`behandelaar`, made by contactcentre.api.demo) working the permit authority's worklist.
Idempotent: demo cases have fixed references and are skipped when they exist."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from casemanagement.escalations import escalation_create
from casemanagement.models import Case, CaseType, CaseWorker, Confidentiality, RoutingRule
from casemanagement.services import (
    case_extend,
    case_open,
    case_status_record,
    case_suspend,
    case_types_import,
)
from contactcentre import kennisbank
from contactcentre.api.screens import staff_principal
from contactcentre.interactions.models import ContactMoment, WorkQueue
from contactcentre.interactions.services import callback_request_create, contact_moment_record
from contactcentre.principal import SYSTEM
from contactcentre.registry.models import Organisation, Party
from lifeevents.models import LifeEvent

# (case type, days ago opened, statuses to walk through after the first, extra state, confidentiality)
PLANS = [
    ("huurtoeslag", 10, ["in-behandeling"], None, Confidentiality.NORMAL),
    ("verhuizing-doorgeven", 2, [], None, Confidentiality.NORMAL),
    ("omgevingsvergunning-verbouw", 70, ["in-behandeling"], "extend", Confidentiality.NORMAL),
    ("zorgtoeslag", 90, ["in-behandeling"], None, Confidentiality.NORMAL),  # overdue
    ("bijstandsuitkering", 20, [], "suspend", Confidentiality.CONFIDENTIAL),
    ("kinderbijslag", 120, ["*final"], None, Confidentiality.NORMAL),  # closed
    ("schuldhulpverlening", 15, [], None, Confidentiality.CONFIDENTIAL),
    ("wmo-maatwerkvoorziening", 30, [], None, Confidentiality.NORMAL),
    ("beroep-verkeersboete", 40, [], None, Confidentiality.SECRET),
    ("ww-uitkering", 5, [], None, Confidentiality.NORMAL),
    ("aow-aanvraag", 200, ["*final"], None, Confidentiality.NORMAL),
]
PEOPLE = 24


def seed() -> list[str]:
    case_types_import(rows=kennisbank.load("case_types"), article_rows=kennisbank.load("articles"))
    types = {ct.code: ct for ct in CaseType.objects.select_related("organisation").prefetch_related("status_types")}
    people = list(Party.objects.filter(kind=Party.Kind.PERSON).order_by("id")[:PEOPLE])
    now = timezone.now()
    made = 0
    for index, party in enumerate(people):
        for slot in range(1 + index % 3):
            code, days, walk, extra, confidentiality = PLANS[(index + slot * 4) % len(PLANS)]
            case_type = types.get(code)
            reference = f"DEMO{index:03d}{slot}"
            if case_type is None or Case.objects.filter(reference=reference).exists():
                continue
            opened = now - timedelta(days=days)
            case = case_open(
                case_type=case_type,
                party=party,
                actor=SYSTEM,
                reference=reference,
                opened_at=opened,
                confidentiality=confidentiality,
            )
            statuses = list(case_type.status_types.all())
            for step, status_code in enumerate(walk, start=1):
                if status_code == "*final":
                    status_code = next(st.code for st in statuses if st.is_final)
                case_status_record(
                    case=case, status_code=status_code, actor=SYSTEM, set_at=opened + timedelta(days=step * 3)
                )
            if extra == "extend" and case_type.extension_days:
                case_extend(case=case, days=case_type.extension_days, reason="Advies welstandscommissie", actor=SYSTEM)
            if extra == "suspend":
                case_suspend(case=case, reason="Wacht op bankafschriften van de aanvrager", actor=SYSTEM)
            made += 1
    contacts = _contacts(people[:6], now)
    rules = _routing_rules()
    return [
        f"Zaken: {len(types)} zaaktypen, {made} nieuwe demozaken, {contacts} nieuwe contactmomenten.",
        f"Tweede lijn: {rules} nieuwe routeringsregels.",
        *_case_worker(people),
    ]


# (name, condition, target organisation, queue); the last one is the default.
ROUTING = [
    ("Toeslagen", {"topic": "toeslag"}, "toeslagen", "toeslagen"),
    ("Belastingen", {"topic": "belasting"}, "belastingdienst", "particulieren"),
    ("Werkloos", {"life_event": "werkloos"}, "uwv", "ww"),
    ("Met pensioen", {"life_event": "met-pensioen"}, "svb", "aow"),
    ("Verbouwen", {"life_event": "verbouwen-bouwen"}, "omgevingsdienst", "vergunningen"),
    ("Boete", {"life_event": "boete-ontvangen"}, "cjib", "boetes"),
    ("Alles wat overblijft", {}, "gem-voorbeeldstad", "klantcontact"),
]


def _routing_rules() -> int:
    """Demo routing: a rule per common question, and the municipality as the default."""
    organisations = {org.code: org for org in Organisation.objects.all()}
    events = {event.slug: event for event in LifeEvent.objects.all()}
    made = 0
    for order, (name, condition, target, queue) in enumerate(ROUTING, start=1):
        if target not in organisations or RoutingRule.objects.filter(name=name).exists():
            continue
        life_event = events.get(condition.get("life_event", ""))
        if "life_event" in condition and life_event is None:
            continue
        RoutingRule.objects.create(
            name=name,
            order=order * 10,
            is_default=not condition,
            topic=condition.get("topic", ""),
            life_event=life_event,
            organisation=organisations[target],
            queue=queue,
        )
        made += 1
    return made


def _contacts(people: list[Party], now) -> int:
    made = 0
    queue = WorkQueue.objects.filter(code="kcc-terugbellen").first()
    for index, party in enumerate(people):
        contact, created = contact_moment_record(
            channel=["phone", "email", "counter", "web", "sms", "webchat"][index % 6],
            actor=SYSTEM,
            party=party,
            identified_by="bsn",
            assurance="substantial",
            topic="Status aanvraag",
            question="Wanneer hoor ik iets over mijn aanvraag?",
            answer="De status is doorgegeven.",
            started_at=now - timedelta(days=index + 1),
            external_id=f"demo-contact-{index}",
        )
        if not created:
            continue
        made += 1
        contact.ended_at = contact.started_at + timedelta(minutes=6)
        contact.outcome = ContactMoment.Outcome.STATUS_GIVEN
        contact.save(update_fields=["ended_at", "outcome"])
        if index == 0 and queue is not None:
            callback_request_create(
                queue=queue,
                phone_number="0612345678",
                question="Wil graag uitleg over de hoogte van de toeslag.",
                party=party,
                actor=SYSTEM,
            )
    return made


CASE_WORKER = ("behandelaar", "omgevingsdienst")  # the demo log-in, and the organisation he works for
# Permit questions the demo agent could not answer: routed to the permit authority (rule "Verbouwen").
PERMIT_QUESTIONS = [
    ("Mag ik een dakkapel plaatsen aan de voorkant van mijn woning?", True),
    ("Heb ik een vergunning nodig om een draagmuur weg te halen?", False),
]


def _case_worker(people: list[Party]) -> list[str]:
    """The demo case worker works the permit authority's escalations in the built-in worklist, where
    the demo agent sent a few permit questions."""
    username, code = CASE_WORKER
    users = {user.username: user for user in get_user_model().objects.filter(username__in=[username, "agent"])}
    organisation = Organisation.objects.filter(code=code).first()
    if username not in users or organisation is None:
        return []
    CaseWorker.objects.update_or_create(user=users[username], defaults={"organisation": organisation})
    made = _permit_escalations(users.get("agent"), people)
    return [f"Werklijst: {username} behandelt de doorverwijzingen van {organisation.name} ({made} nieuwe)."]


def _permit_escalations(agent, people: list[Party]) -> int:
    renovating = LifeEvent.objects.filter(slug="verbouwen-bouwen").first()
    if agent is None or renovating is None:
        return 0
    actor = staff_principal(agent)
    made = 0
    for index, (question, share_history) in enumerate(PERMIT_QUESTIONS[: len(people)]):
        contact, created = contact_moment_record(
            channel="phone",
            actor=actor,
            agent=agent,
            party=people[index],
            identified_by="bsn",
            assurance="low",
            life_event=renovating,
            question=question,
            external_id=f"demo-permit-question-{index}",
        )
        if created:
            escalation_create(contact=contact, actor=actor, question=question, share_history=share_history)
            made += 1
    return made
