"""The purpose "the contact at hand": only a real, current contact of this person opens their data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contactcentre.api.models import ApiClient
from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.purposes import contact_reference_check
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, organisation, staff

pytestmark = pytest.mark.django_db


def contact(*, party, agent, started=timedelta(minutes=5), ended=None, assurance="substantial"):
    now = timezone.now()
    return ContactMoment.objects.create(
        channel="phone",
        party=party,
        agent=agent,
        assurance=assurance,
        started_at=now - started,
        ended_at=None if ended is None else now - ended,
    )


def test_an_open_contact_of_this_person_holds_and_carries_its_assurance():
    agent, person = UserFactory(role="agent"), PersonFactory()
    moment = contact(party=person, agent=agent)
    found = contact_reference_check(principal=staff(agent), reference=str(moment.pk), party_ids=[person.pk])
    assert found == "substantial"


def test_a_contact_of_someone_else_does_not_hold():
    agent, person, other = UserFactory(role="agent"), PersonFactory(), PersonFactory()
    moment = contact(party=other, agent=agent)
    assert not contact_reference_check(principal=staff(agent), reference=str(moment.pk), party_ids=[person.pk])


@pytest.mark.parametrize(
    ("started", "ended", "holds"),
    [
        (timedelta(hours=2), timedelta(hours=1), True),  # ended an hour ago: the follow-up
        (timedelta(hours=14), timedelta(hours=13), False),  # ended long ago
        (timedelta(hours=30), None, False),  # left open and forgotten
    ],
)
def test_the_contact_must_be_at_hand(started, ended, holds):
    agent, person = UserFactory(role="agent"), PersonFactory()
    moment = contact(party=person, agent=agent, started=started, ended=ended)
    assert (
        bool(contact_reference_check(principal=staff(agent), reference=str(moment.pk), party_ids=[person.pk])) is holds
    )


@pytest.mark.parametrize("reference", ["", "cm-1", "12abc", "9" * 30, "9" * 19, "²", "①", "١٢"])
def test_made_up_references_do_not_hold(reference):
    agent, person = UserFactory(role="agent"), PersonFactory()
    assert not contact_reference_check(principal=staff(agent), reference=reference, party_ids=[person.pk])


def test_a_search_before_identification_needs_the_agents_own_anonymous_contact():
    agent, colleague = UserFactory(role="agent"), UserFactory(role="agent")
    anonymous = contact(party=None, agent=agent)
    assert contact_reference_check(principal=staff(agent), reference=str(anonymous.pk), party_ids=[])
    assert not contact_reference_check(principal=staff(colleague), reference=str(anonymous.pk), party_ids=[])


def test_systems_never_state_a_first_line_contact():
    agent, person = UserFactory(role="agent"), PersonFactory()
    moment = contact(party=person, agent=agent)
    client = ApiClient(name="x", organisation=OrganisationFactory())
    assert not contact_reference_check(principal=organisation(client), reference=str(moment.pk), party_ids=[person.pk])
