"""The purpose "working on a case": a case of this person that the actor may see."""

import pytest

from casemanagement.models import Confidentiality
from casemanagement.purposes import case_reference_check
from tests.casemanagement.factories import PersonFactory, make_case
from tests.factories import OrganisationFactory, UserFactory, organisation, staff

pytestmark = pytest.mark.django_db


def test_a_case_of_this_person_holds_by_reference_or_id():
    agent, person = UserFactory(role="agent"), PersonFactory()
    case = make_case(party=person)
    assert case_reference_check(principal=staff(agent), reference=case.reference.lower(), party_ids=[person.pk])
    assert case_reference_check(principal=staff(agent), reference=str(case.pk), party_ids=[person.pk])


def test_a_case_of_someone_else_or_made_up_does_not_hold():
    agent, person = UserFactory(role="agent"), PersonFactory()
    case = make_case(party=PersonFactory())
    assert not case_reference_check(principal=staff(agent), reference=case.reference, party_ids=[person.pk])
    assert not case_reference_check(principal=staff(agent), reference="Z-DOES-NOT-EXIST", party_ids=[person.pk])
    assert not case_reference_check(principal=staff(agent), reference="", party_ids=[person.pk])


def test_an_organisation_states_only_its_own_cases(client_with_scopes):
    person = PersonFactory()
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    _, client = client_with_scopes(["parties:read"], organisation=mine)
    own, foreign = make_case(party=person, organisation=mine), make_case(party=person, organisation=theirs)
    assert case_reference_check(principal=organisation(client), reference=own.reference, party_ids=[person.pk])
    assert not case_reference_check(principal=organisation(client), reference=foreign.reference, party_ids=[person.pk])


def test_a_secret_case_is_no_purpose_for_the_first_line():
    agent, person = UserFactory(role="agent"), PersonFactory()
    case = make_case(party=person, confidentiality=Confidentiality.SECRET)
    assert not case_reference_check(principal=staff(agent), reference=case.reference, party_ids=[person.pk])
