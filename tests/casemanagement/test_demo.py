"""`seed_demo` gives the demo people cases in every state the first line must handle, a few contacts
and an open callback, and a second run adds nothing."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from casemanagement.models import Case, CaseStatus, Confidentiality
from contactcentre.interactions.models import CallbackRequest, ContactMoment

pytestmark = pytest.mark.django_db


def _seed() -> list[str]:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return [line for line in out.getvalue().splitlines() if line.startswith("Zaken:")]


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Case, CaseStatus, ContactMoment, CallbackRequest))


def test_seed_demo_makes_cases_in_every_state_once(settings):
    settings.DEMO_MODE = True
    assert _seed() == ["Zaken: 20 zaaktypen, 48 nieuwe demozaken, 6 nieuwe contactmomenten."]
    cases = list(Case.objects.select_related("case_type", "status").filter(reference__startswith="DEMO"))
    assert len(cases) == 48
    per_party = Counter(case.party_id for case in cases)  # 24 people with 1, 2 or 3 cases each
    assert len(per_party) == 24 and set(per_party.values()) == {1, 2, 3}

    open_cases = [c for c in cases if c.is_open]
    assert any(not c.is_overdue() and not c.is_suspended for c in open_cases)
    assert any(c.is_overdue() for c in open_cases)
    assert any(c.is_suspended and c.suspension_reason for c in open_cases)
    assert any(c.extended_days and c.extension_reason for c in open_cases)
    closed = [c for c in cases if not c.is_open]
    assert closed and all(c.status.is_final for c in closed)
    assert {c.confidentiality for c in cases} == set(Confidentiality.values)
    # Every case's deadline follows from its type's term, its extension and its suspension.
    assert all(c.deadline == c.computed_deadline() for c in cases)
    # Each case's history ends at its current status.
    for case in cases:
        history = list(CaseStatus.objects.filter(case=case).order_by("set_at", "id"))
        assert history[-1].status_type_id == case.status_id

    assert ContactMoment.objects.filter(external_id__startswith="demo-contact-").count() == 6
    assert CallbackRequest.objects.filter(status="open").count() == 1

    first = _counts()
    assert _seed() == ["Zaken: 20 zaaktypen, 0 nieuwe demozaken, 0 nieuwe contactmomenten."]
    assert _counts() == first


def test_seed_demo_routes_common_questions_and_has_a_default(settings):
    from casemanagement.models import RoutingRule
    from casemanagement.routing import RoutingContext, route_find
    from lifeevents.models import LifeEvent

    settings.DEMO_MODE = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Tweede lijn: 7 nieuwe routeringsregels." in out.getvalue()
    assert route_find(RoutingContext(question="Mijn huurtoeslag klopt niet")).organisation.code == "toeslagen"
    unemployed = LifeEvent.objects.get(slug="werkloos")
    assert route_find(RoutingContext(life_event_id=unemployed.pk)).organisation.code == "uwv"
    assert route_find(RoutingContext(question="paspoort verlopen")).organisation.code == "gem-voorbeeldstad"
    call_command("seed_demo", stdout=StringIO())
    assert RoutingRule.objects.count() == 7
