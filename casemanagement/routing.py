"""Where an escalation goes, and why: routing rules as data (edited in the admin), matched in order,
explained in plain Dutch, and the deadlines counted on the receiving organisation's calendar."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from casemanagement.business_calendar import BusinessCalendar, add_working_days, add_working_time
from casemanagement.models import CaseType, RoutingRule
from casemanagement.routing_configuration import routing_configuration, routing_configuration_pinned
from contactcentre.errors import RuleViolation
from contactcentre.registry.models import Address, Organisation


@dataclass(frozen=True)
class RoutingContext:
    """What is known of the question when it is routed."""

    question: str = ""
    channel: str = ""
    life_event_id: int | None = None
    case_type_id: int | None = None
    article_ids: frozenset[int] = field(default_factory=frozenset)
    attribute: str = ""
    municipality: str = ""


@dataclass(frozen=True)
class Route:
    rule: RoutingRule | None  # None: sent to a datum's source organisation, not by a rule
    organisation: Organisation
    queue: str
    priority: str
    explanation: str
    first_response_due: datetime
    resolution_due: datetime


def municipality_of(party_id: int | None) -> str:
    """The municipality a person lives in (their residential address), for rules per municipality."""
    if party_id is None:
        return ""
    address = (
        Address.objects.filter(party_id=party_id, kind=Address.Kind.RESIDENTIAL).values_list("city", flat=True).first()
    )
    return address or ""


def _conditions(rule: RoutingRule, context: RoutingContext) -> list[tuple[bool, str]]:
    """(matches, why) per condition the rule fills in."""
    found = []
    if rule.life_event_id is not None:
        found.append((rule.life_event_id == context.life_event_id, _("levensgebeurtenis: %s") % rule.life_event))
    if rule.case_type_id is not None:
        found.append((rule.case_type_id == context.case_type_id, _("zaaktype: %s") % rule.case_type))
    if rule.article_id is not None:
        found.append((rule.article_id in context.article_ids, _("geprobeerd artikel: %s") % rule.article))
    if rule.topic:
        found.append((rule.topic.casefold() in context.question.casefold(), _("vraag noemt '%s'") % rule.topic))
    if rule.attribute:
        found.append((rule.attribute == context.attribute, _("basisgegeven: %s") % rule.attribute))
    if rule.municipality:
        matches = rule.municipality.casefold() == context.municipality.casefold()
        found.append((matches, _("gemeente: %s") % rule.municipality))
    if rule.channel:
        found.append((rule.channel == context.channel, _("kanaal: %s") % rule.channel))
    return found


def route_find(context: RoutingContext, *, now: datetime | None = None) -> Route:
    """The first active rule, in order, whose every filled-in condition holds (a default rule holds
    always), with its explanation and deadlines. RuleViolation when no rule applies."""
    with routing_configuration_pinned() as configuration:  # the rules and the calendar of one version
        for rule in configuration.rules:
            conditions = _conditions(rule, context)
            if conditions and all(matches for matches, _why in conditions):
                why = "; ".join(reason for _matches, reason in conditions)
                return _route(rule, _("Regel '%(rule)s': %(why)s.") % {"rule": rule.name, "why": why}, now)
            if not conditions and rule.is_default:
                return _route(rule, _("Standaardregel '%s': geen andere regel paste.") % rule.name, now)
    raise RuleViolation(_("Geen routeringsregel past; stel een standaardregel in."), code="no_routing_rule")


def _route(rule: RoutingRule, explanation: str, now: datetime | None) -> Route:
    first_response_due, resolution_due = deadlines_for(
        organisation=rule.organisation,
        first_response=timedelta(hours=rule.first_response_hours),
        resolution_days=rule.resolution_days,
        start=now,
    )
    return Route(
        rule=rule,
        organisation=rule.organisation,
        queue=rule.queue,
        priority=rule.priority,
        explanation=explanation,
        first_response_due=first_response_due,
        resolution_due=resolution_due,
    )


def calendar_of(organisation: Organisation) -> BusinessCalendar:
    """The organisation's working hours and closing days, or the Dutch government standard."""
    return routing_configuration().calendar(organisation.pk)


def deadlines_for(
    *, organisation: Organisation, first_response: timedelta, resolution_days: int, start: datetime | None = None
) -> tuple[datetime, datetime]:
    start = start or timezone.now()
    calendar = calendar_of(organisation)
    return add_working_time(calendar, start, first_response), add_working_days(calendar, start, resolution_days)


def routing_context_for(
    *,
    question: str,
    channel: str,
    party_id: int | None,
    life_event_id: int | None = None,
    case_type: CaseType | None = None,
    article_ids=(),
    attribute: str = "",
) -> RoutingContext:
    return RoutingContext(
        question=question,
        channel=channel,
        life_event_id=life_event_id,
        case_type_id=case_type.pk if case_type is not None else None,
        article_ids=frozenset(article_ids),
        attribute=attribute,
        # Where the person lives is looked up only when a rule asks for it.
        municipality=municipality_of(party_id) if routing_configuration().needs_municipality else "",
    )
