"""Mijn zaken, "Mijn vragen aan organisaties": the citizen's own questions that went to a second-line
organisation, with where each stands in plain Dutch, its deadline and, once resolved, the outcome;
never another's, never the first line's context nor the timeline's notes; a constant number of queries;
the read logged as self service."""

import pytest
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from casemanagement.escalations import escalation_create, escalation_transition
from casemanagement.models import Escalation, RoutingRule
from casemanagement.selectors import CASE_WORKER_SCOPES, escalations_of_citizen
from contactcentre.interactions.services import contact_moment_record
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from lifeevents.models import LifeEvent
from tests.casemanagement.factories import PersonFactory
from tests.factories import OrganisationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db
CONTEXT = "Intern: beller klonk geïrriteerd, artikel 12 hielp niet."


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True


@pytest.fixture
def permits():
    organisation = OrganisationFactory(code="omgevingsdienst", name="Omgevingsdienst Regio Voorbeeldstad")
    RoutingRule.objects.create(name="Alles", is_default=True, organisation=organisation, order=999)
    return organisation


def _escalation(person, question, *, life_event=None) -> Escalation:
    agent = UserFactory(role="agent")
    contact, _created = contact_moment_record(
        channel="phone", actor=staff(agent), agent=agent, party=person, life_event=life_event
    )
    return escalation_create(contact=contact, actor=staff(agent), question=question, context=CONTEXT)


def _case_worker(organisation) -> Principal:
    return Principal.case_worker(UserFactory(), organisation=organisation, scopes=CASE_WORKER_SCOPES)


def _citizen(person) -> Principal:
    return Principal.citizen(party_id=person.pk, assurance="substantial")


def _sign_in(client, person):
    assert client.post("/mijn/inloggen/", {"person": person.pk}).status_code == 302


def test_my_questions_as_i_may_read_them_newest_first(permits):
    me, other = PersonFactory(), PersonFactory()
    renovating = LifeEvent.objects.create(slug="verbouwen", name="Verbouwen")
    handled = _escalation(me, "Mag ik een dakkapel plaatsen?", life_event=renovating)
    worker = _case_worker(permits)
    escalation_transition(escalation=handled, to_state="accepted", actor=worker, note="Intern: makkelijk")
    escalation_transition(escalation=handled, to_state="resolved", actor=worker, resolution_text="Ja, dat mag.")
    waiting = _escalation(me, "Waar blijft mijn vergunning?")
    _escalation(other, "De vraag van een ander")
    handled.refresh_from_db()
    waiting.refresh_from_db()
    rows = escalations_of_citizen(principal=_citizen(me))
    assert rows == [
        {
            "reference": waiting.reference,
            "organisation": "Omgevingsdienst Regio Voorbeeldstad",
            "question": "Waar blijft mijn vergunning?",
            "life_event": "",
            "state": "delivered",
            "is_open": True,
            "resolution_due": waiting.resolution_due,
            "resolution_text": "",
            "created_at": waiting.created_at,
        },
        {
            "reference": handled.reference,
            "organisation": "Omgevingsdienst Regio Voorbeeldstad",
            "question": "Mag ik een dakkapel plaatsen?",
            "life_event": "Verbouwen",
            "state": "resolved",
            "is_open": False,
            "resolution_due": handled.resolution_due,
            "resolution_text": "Ja, dat mag.",
            "created_at": handled.created_at,
        },
    ]
    read = ProcessingRecord.objects.get(object_type="escalation", action="read", purpose="self_service")
    assert (read.actor_type, read.subject) == ("citizen", subject_pseudonym(me.pk))


def test_nobody_but_a_citizen_reads_them_here(permits):
    me = PersonFactory()
    _escalation(me, "Vraag")
    supervisor = staff(UserFactory(role="supervisor"))
    assert escalations_of_citizen(principal=supervisor) == []
    assert escalations_of_citizen(principal=_case_worker(permits)) == []
    assert not ProcessingRecord.objects.filter(object_type="escalation", purpose="self_service").exists()


def test_mijn_zaken_shows_my_questions_in_plain_dutch_and_never_another_s_or_internal_notes(client, demo, permits):
    me, other = PersonFactory(), PersonFactory()
    handled = _escalation(me, "Mag ik een dakkapel plaatsen?")
    worker = _case_worker(permits)
    escalation_transition(escalation=handled, to_state="accepted", actor=worker, note="Intern: makkelijk")
    escalation_transition(escalation=handled, to_state="resolved", actor=worker, resolution_text="Ja, dat mag.")
    waiting = _escalation(me, "Waar blijft mijn vergunning?")
    theirs = _escalation(other, "De vraag van een ander")
    _sign_in(client, me)
    html = client.get("/mijn/").content.decode()
    assert "<h2>Mijn vragen aan organisaties</h2>" in html
    assert html.index(waiting.reference) < html.index(handled.reference)
    assert "Ontvangen door de organisatie" in html and "Afgehandeld" in html
    assert "Uitkomst: Ja, dat mag." in html
    waiting.refresh_from_db()
    with translation.override("nl"):
        deadline = date_filter(timezone.localtime(waiting.resolution_due), "j F Y")
    assert f"<td>{deadline}</td>" in html  # the open one's deadline; the resolved one has none
    assert html.count("<td>—</td>") == 1
    assert "De vraag van een ander" not in html and theirs.reference not in html
    assert "Intern:" not in html and "Alles" not in html


def test_without_questions_the_section_says_so(client, demo):
    _sign_in(client, PersonFactory())
    assert "U heeft geen vragen aan andere organisaties." in client.get("/mijn/").content.decode()


def test_the_number_of_queries_does_not_grow_with_my_questions(client, demo, permits):
    me = PersonFactory()
    _escalation(me, "Vraag 0")
    _sign_in(client, me)
    with CaptureQueriesContext(connection) as few:
        client.get("/mijn/")
    for n in range(1, 6):
        _escalation(me, f"Vraag {n}", life_event=LifeEvent.objects.create(slug=f"le-{n}", name=f"Gebeurtenis {n}"))
    with CaptureQueriesContext(connection) as many:
        html = client.get("/mijn/").content.decode()
    assert all(f"Vraag {n}" in html and f"Gebeurtenis {n}" in html for n in range(1, 6))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len([q for q in many.captured_queries if 'FROM "casemanagement_escalation"' in q["sql"]]) == 1
