"""The routing configuration held per process (casemanagement/routing_configuration.py): read once,
read again after any change to a rule, an endpoint or what their explanations name - in this process
at once, in other processes through the cache's version token - and read from the database every
time when the cache is down."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casemanagement.models import RoutingRule, SecondLineEndpoint
from casemanagement.routing import RoutingContext, route_find
from casemanagement.routing_configuration import VERSION_KEY, routing_configuration
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
MONDAY_EIGHT = datetime(2026, 12, 7, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))  # a working Monday


@pytest.fixture
def tax():
    organisation = OrganisationFactory(code="belastingdienst", name="Belastingdienst")
    RoutingRule.objects.create(name="Standaard", is_default=True, order=999, organisation=organisation)
    return organisation


def _reads() -> int:
    with CaptureQueriesContext(connection) as captured:
        route_find(RoutingContext(question="Vraag"))
    return len(captured)


def test_the_configuration_is_read_once_and_then_held(tax):
    assert _reads() == 2  # the rules, the endpoints
    assert _reads() == 0
    assert routing_configuration() is routing_configuration()


def test_a_rule_saved_or_deleted_routes_the_next_escalation_at_once(tax):
    assert route_find(RoutingContext(question="huurtoeslag")).organisation == tax
    benefits = OrganisationFactory(code="toeslagen")
    rule = RoutingRule.objects.create(name="Toeslagen", order=1, topic="huurtoeslag", organisation=benefits)
    assert route_find(RoutingContext(question="huurtoeslag")).organisation == benefits
    rule.is_active = False
    rule.save()
    assert route_find(RoutingContext(question="huurtoeslag")).organisation == tax
    rule.is_active = True
    rule.save()
    rule.delete()
    assert route_find(RoutingContext(question="huurtoeslag")).organisation == tax


def test_an_organisation_renamed_or_an_endpoint_changed_is_seen_at_once(tax):
    route = route_find(RoutingContext(question="x"), now=MONDAY_EIGHT)
    assert route.organisation.name == "Belastingdienst"
    assert route.first_response_due.isoformat() == "2026-12-07T17:00:00+01:00"  # 8 h from 09:00 (standard)
    tax.name = "Belastingdienst Nederland"
    tax.save()
    SecondLineEndpoint.objects.create(organisation=tax, working_hours={"0": [["08:00", "20:00"]]})
    route = route_find(RoutingContext(question="x"), now=MONDAY_EIGHT)
    assert route.organisation.name == "Belastingdienst Nederland"
    assert route.first_response_due.isoformat() == "2026-12-07T16:00:00+01:00"  # 8 h from 08:00 (its own)
    SecondLineEndpoint.objects.filter(organisation=tax).delete()  # a queryset delete sends post_delete too
    route = route_find(RoutingContext(question="x"), now=MONDAY_EIGHT)
    assert route.first_response_due.isoformat() == "2026-12-07T17:00:00+01:00"


def test_a_change_made_by_another_process_is_seen_through_the_version_token(tax):
    """A queryset update sends no signal, as a change in another process sends none here: only the
    new token in the shared cache (set there by the other process's signal) makes this one re-read."""
    benefits = OrganisationFactory(code="toeslagen")
    assert route_find(RoutingContext(question="x")).organisation == tax
    RoutingRule.objects.filter(organisation=tax).update(organisation=benefits)
    assert route_find(RoutingContext(question="x")).organisation == tax  # held: nothing said it changed
    cache.set(VERSION_KEY, "set-by-another-process")
    assert route_find(RoutingContext(question="x")).organisation == benefits


def test_without_the_cache_every_routing_reads_the_database(tax, monkeypatch):
    _reads()

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    assert _reads() == 2
    assert _reads() == 2
