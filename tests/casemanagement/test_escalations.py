"""Routing rules and escalations to the second line (issue 16): the rule that matches and why, the
deadlines on the receiving organisation's calendar, the outbox row written with the escalation, the
states and their timeline, the citizen told, forwarding, base-data requests and first-line completion."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from casemanagement.escalations import (
    base_data_request_escalate,
    case_complete_at_first_line,
    escalation_create,
    escalation_transition,
)
from casemanagement.models import Escalation, EscalationDelivery, RoutingRule, SecondLineEndpoint
from casemanagement.routing import RoutingContext, route_find
from contactcentre.errors import AccessDenied, NotFound, RuleViolation, ValidationFailed
from contactcentre.interactions.models import Notification
from contactcentre.interactions.services import contact_moment_record
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.registry.models import Address, DataSourceRule
from contactcentre.registry.services import data_source_rules_seed
from lifeevents.models import LifeEvent
from tests.casemanagement.factories import CaseTypeFactory, PersonFactory
from tests.factories import OrganisationFactory, UserFactory, organisation, staff

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def agent():
    return UserFactory(role="agent")


@pytest.fixture
def tax():
    return OrganisationFactory(code="belastingdienst", name="Belastingdienst")


@pytest.fixture
def default_rule(tax):
    return RoutingRule.objects.create(
        name="Alles naar de Belastingdienst", is_default=True, order=999, organisation=tax
    )


def _contact(agent, party=None, channel="phone"):
    contact, _ = contact_moment_record(channel=channel, actor=staff(agent), agent=agent, party=party or PersonFactory())
    return contact


def test_the_first_matching_rule_in_order_wins_and_says_why(default_rule):
    moving = LifeEvent.objects.create(slug="verhuizen", name="Verhuizen")
    benefits = OrganisationFactory(code="toeslagen", name="Dienst Toeslagen")
    municipality = OrganisationFactory(code="gemeente", name="Gemeente Voorbeeldstad")
    RoutingRule.objects.create(name="Huurtoeslag", order=10, topic="huurtoeslag", organisation=benefits, queue="ht")
    RoutingRule.objects.create(
        name="Verhuizen in Voorbeeldstad",
        order=20,
        life_event=moving,
        municipality="Voorbeeldstad",
        organisation=municipality,
    )
    RoutingRule.objects.create(
        name="Uitgezet", order=5, topic="huurtoeslag", organisation=municipality, is_active=False
    )

    route = route_find(RoutingContext(question="Waar blijft mijn HUURTOESLAG?"))
    assert (route.organisation, route.queue, route.rule.name) == (benefits, "ht", "Huurtoeslag")
    assert route.explanation == "Regel 'Huurtoeslag': vraag noemt 'huurtoeslag'."

    route = route_find(RoutingContext(life_event_id=moving.pk, municipality="voorbeeldstad"))
    assert route.organisation == municipality
    assert "levensgebeurtenis: Verhuizen" in route.explanation and "gemeente: Voorbeeldstad" in route.explanation
    # one condition of two is not enough
    assert route_find(RoutingContext(life_event_id=moving.pk, municipality="Elders")).rule == default_rule
    assert route_find(RoutingContext(question="iets anders")).explanation.startswith("Standaardregel")


def test_without_a_matching_rule_nothing_is_routed():
    RoutingRule.objects.create(name="Alleen toeslagen", topic="toeslag", organisation=OrganisationFactory())
    with pytest.raises(RuleViolation) as error:
        route_find(RoutingContext(question="paspoort"))
    assert error.value.code == "no_routing_rule"


def test_deadlines_are_counted_on_the_organisations_calendar(tax, default_rule):
    SecondLineEndpoint.objects.create(
        organisation=tax, working_hours={"0": [["09:00", "12:00"]], "4": [["09:00", "17:00"]]}, closing_days=[]
    )
    friday_four = datetime(2026, 12, 4, 16, 0, tzinfo=AMSTERDAM)
    route = route_find(RoutingContext(question="x"), now=friday_four)
    # 8 working hours: one on Friday, three on Monday morning, then Friday again (09:00 + 4 h)
    assert route.first_response_due == datetime(2026, 12, 11, 13, 0, tzinfo=AMSTERDAM)
    assert route.resolution_due.date() > route.first_response_due.date()


def test_an_escalation_is_written_with_its_timeline_and_its_delivery(agent, tax, default_rule):
    contact = _contact(agent)
    escalation = escalation_create(
        contact=contact, actor=staff(agent), question="Bezwaar tegen aanslag", share_history=True
    )
    assert (escalation.organisation, escalation.reference[:1], escalation.rule) == (tax, "D", default_rule)
    # no endpoint configured: the built-in worklist has it at once
    assert escalation.deliveries.get().status == EscalationDelivery.Status.DELIVERED
    escalation.refresh_from_db()
    assert escalation.state == "delivered"
    assert list(escalation.events.values_list("state", flat=True)) == ["new", "delivered"]
    assert ProcessingRecord.objects.filter(object_type="escalation", action="create").count() == 1


def test_a_webhook_organisation_waits_for_the_relay_and_a_pull_one_for_its_fetch(agent, tax, default_rule):
    SecondLineEndpoint.objects.create(
        organisation=tax, delivery="webhook", url="https://tax.example/hook", secrets=["x"]
    )
    escalation = escalation_create(contact=_contact(agent), actor=staff(agent), question="Vraag")
    assert (escalation.state, escalation.deliveries.get().status) == ("new", "pending")


def test_only_who_handles_the_contact_sends_it_on(agent, default_rule):
    contact = _contact(agent)
    colleague = UserFactory(role="agent")
    with pytest.raises(AccessDenied):
        escalation_create(contact=contact, actor=staff(colleague), question="Vraag")
    assert not Escalation.objects.exists()
    assert ProcessingRecord.objects.filter(object_type="escalation", outcome="denied").count() == 1


def test_states_move_on_once_and_the_citizen_hears_the_outcome(agent, tax, default_rule, client_with_scopes):
    escalation = escalation_create(contact=_contact(agent), actor=staff(agent), question="Vraag")
    _http, client = client_with_scopes(["escalations:write"], organisation=tax)
    system = organisation(client)
    escalation_transition(escalation=escalation, to_state="accepted", actor=system)
    assert escalation_transition(escalation=escalation, to_state="accepted", actor=system).state == "accepted"
    with pytest.raises(ValidationFailed):
        escalation_transition(escalation=escalation, to_state="resolved", actor=system)
    escalation_transition(escalation=escalation, to_state="resolved", actor=system, resolution_text="Toegekend.")
    escalation_transition(escalation=escalation, to_state="resolved", actor=system, resolution_text="Toegekend.")
    message = Notification.objects.get()
    assert "Toegekend." in message.body and escalation.reference in message.body
    states = list(escalation.events.values_list("state", flat=True))
    assert states == ["new", "delivered", "accepted", "resolved"]
    with pytest.raises(RuleViolation):
        escalation_transition(escalation=escalation, to_state="in_progress", actor=system)


def test_another_organisation_cannot_touch_it(agent, default_rule, client_with_scopes):
    escalation = escalation_create(contact=_contact(agent), actor=staff(agent), question="Vraag")
    _http, stranger = client_with_scopes(["escalations:write"])
    with pytest.raises(NotFound):
        escalation_transition(escalation=escalation, to_state="accepted", actor=organisation(stranger))


def test_a_forward_moves_it_with_new_deadlines_and_tells_the_citizen(agent, tax, default_rule, client_with_scopes):
    escalation = escalation_create(contact=_contact(agent), actor=staff(agent), question="Vraag over uitkering")
    uwv = OrganisationFactory(code="uwv", name="UWV")
    _http, client = client_with_scopes(["escalations:write"], organisation=tax)
    escalation_transition(escalation=escalation, to_state="forwarded", actor=organisation(client), forward_to=uwv)
    escalation.refresh_from_db()
    assert (escalation.organisation, escalation.forwarded_to, escalation.state) == (uwv, uwv, "delivered")
    assert set(escalation.deliveries.values_list("organisation__code", flat=True)) == {"belastingdienst", "uwv"}
    told = Notification.objects.get()
    assert "Belastingdienst" in told.body and "UWV" in told.body
    with pytest.raises(NotFound):  # it is no longer the tax office's
        escalation_transition(escalation=escalation, to_state="accepted", actor=organisation(client))


def test_a_refused_base_data_change_goes_to_its_source_with_the_value(agent):
    rules = {rule.attribute: rule for rule in data_source_rules_seed()}
    source = OrganisationFactory(code="brp", name="Basisregistratie Personen")
    DataSourceRule.objects.filter(pk=rules["residential_address"].pk).update(source_organisation=source)
    contact = _contact(agent)
    Address.objects.create(
        party=contact.party, kind="residential", street="A", house_number=1, postcode="1234AB", city="X"
    )
    value = {"street": "Nieuwe Weg", "house_number": 2, "postcode": "1234AC", "city": "X"}
    escalation = base_data_request_escalate(
        contact=contact, actor=staff(agent), attribute="residential_address", value=value
    )
    assert (escalation.organisation, escalation.requested_attribute, escalation.requested_value) == (
        source,
        "residential_address",
        value,
    )
    assert "Bronorganisatie" in escalation.routing_explanation


def test_first_line_capable_work_is_completed_without_an_escalation(agent):
    contact = _contact(agent)
    capable = CaseTypeFactory(first_line_capable=True)
    case = case_complete_at_first_line(case_type=capable, contact=contact, actor=staff(agent))
    assert (case.status.is_final, case.closed_at is not None, Escalation.objects.exists()) == (True, True, False)
    with pytest.raises(RuleViolation):
        case_complete_at_first_line(case_type=CaseTypeFactory(), contact=contact, actor=staff(agent))


def test_an_organisation_opens_a_person_only_for_an_escalation_routed_to_it(
    agent, tax, default_rule, client_with_scopes
):
    from contactcentre.processinglog.services import purpose_grant

    escalation = escalation_create(contact=_contact(agent), actor=staff(agent), question="Vraag")
    _http, own = client_with_scopes(["parties:read"], organisation=tax)
    grant = purpose_grant(
        principal=organisation(own),
        purpose="second_line",
        reference=escalation.reference,
        action="read",
        object_type="party_base_data",
        party_ids=[escalation.party_id],
    )
    assert (grant.purpose, grant.assurance_cap) == ("second_line", "low")
    _http, stranger = client_with_scopes(["parties:read"])
    with pytest.raises(AccessDenied):
        purpose_grant(
            principal=organisation(stranger),
            purpose="second_line",
            reference=escalation.reference,
            action="read",
            object_type="party_base_data",
            party_ids=[escalation.party_id],
        )


def test_escalation_create_takes_a_fixed_number_of_queries(agent, tax, default_rule, django_assert_num_queries):
    """The purpose check's read of the contact, then the escalation, its first timeline entry, its
    delivery row and its processing-log record, inside one savepoint (the test's transaction is the
    outer one; alone it is BEGIN/COMMIT): no routing rule, endpoint or address read once the routing
    configuration is held, no get_or_create or savepoint per insert."""
    SecondLineEndpoint.objects.create(
        organisation=tax, delivery=SecondLineEndpoint.Delivery.WEBHOOK, url="https://x.test/"
    )
    escalation_create(contact=_contact(agent), actor=staff(agent), question="Vraag")  # reads the configuration
    contact, actor = _contact(agent), staff(agent)
    with django_assert_num_queries(7):
        escalation = escalation_create(contact=contact, actor=actor, question="Vraag")
    assert escalation.organisation == tax and escalation.deliveries.get().status == EscalationDelivery.Status.PENDING


def test_a_reference_already_taken_is_drawn_again_with_nothing_left_behind(agent, tax, default_rule, monkeypatch):
    taken = escalation_create(contact=_contact(agent), actor=staff(agent), question="Vraag")
    drawn = iter([taken.reference, "D2612345678"])
    monkeypatch.setattr("casemanagement.escalations._new_reference", lambda: next(drawn))
    escalation = escalation_create(contact=_contact(agent), actor=staff(agent), question="Vraag")
    assert escalation.reference == "D2612345678"
    assert Escalation.objects.count() == 2 and EscalationDelivery.objects.count() == 2
    assert list(escalation.events.values_list("state", flat=True)) == ["new", "delivered"]  # the worklist's
    assert list(taken.events.values_list("state", flat=True)) == ["new", "delivered"]
