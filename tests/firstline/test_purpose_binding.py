"""Purpose binding end to end: the registry's reads accept only a real purpose, as the layers above
decide it (the contact at hand, a case the caller may see), and a contact caps what is shown."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contactcentre.interactions.models import ContactMoment
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.registry.models import BankAccount
from tests.casemanagement.factories import PersonFactory, make_case
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
IBAN = "NL91ABNA0417164300"


def base_data(http, party, purpose, reference, assurance="high"):
    return http.get(
        f"/api/v1/parties/{party.pk}",
        {"purpose": purpose, "purpose_reference": reference, "assurance": assurance},
    )


def open_contact(party, agent, *, assurance="low", hours_ago=0):
    return ContactMoment.objects.create(
        channel="phone",
        party=party,
        agent=agent,
        assurance=assurance,
        started_at=timezone.now() - timedelta(hours=hours_ago),
    )


def test_a_made_up_contact_reference_is_refused_and_logged(user_with_role):
    http, agent = user_with_role("agent")
    person = PersonFactory()
    response = base_data(http, person, "contact", "cm-1")
    assert response.status_code == 403
    assert response.json()["code"] == "purpose_reference_invalid"
    record = ProcessingRecord.objects.get(subject=subject_pseudonym(person.pk))
    assert (record.outcome, record.purpose, record.purpose_reference) == ("denied", "contact", "cm-1")


def test_another_persons_contact_is_no_purpose(user_with_role):
    http, agent = user_with_role("agent")
    person, other = PersonFactory(), PersonFactory()
    contact = open_contact(other, agent)
    assert base_data(http, person, "contact", str(contact.pk)).status_code == 403


def test_a_forgotten_open_contact_is_no_purpose(user_with_role):
    http, agent = user_with_role("agent")
    person = PersonFactory()
    contact = open_contact(person, agent, hours_ago=30)
    assert base_data(http, person, "contact", str(contact.pk)).status_code == 403


def test_the_contact_at_hand_opens_the_data_at_the_contacts_assurance(user_with_role):
    http, agent = user_with_role("agent")
    person = PersonFactory()
    BankAccount.objects.create(party=person, iban=IBAN, is_default=True)
    low = open_contact(person, agent, assurance="low")
    high = open_contact(person, agent, assurance="high")

    # Asking for "high" on a phone contact recognised by number gives what "low" may see.
    at_low = base_data(http, person, "contact", str(low.pk), assurance="high")
    at_high = base_data(http, person, "contact", str(high.pk), assurance="high")
    assert at_low.status_code == at_high.status_code == 200
    assert at_low.json() == base_data(http, person, "contact", str(low.pk), assurance="low").json()
    assert at_low.json() != at_high.json()


def test_an_organisation_reads_a_person_only_for_its_own_case(client_with_scopes):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    http, _ = client_with_scopes(["parties:read"], organisation=mine)
    person = PersonFactory()
    own = make_case(party=person, organisation=mine)
    foreign = make_case(party=person, organisation=theirs)
    assert base_data(http, person, "case", own.reference).status_code == 200
    assert base_data(http, person, "case", foreign.reference).status_code == 403
    assert base_data(http, person, "contact", "1").status_code == 403  # systems never state a contact
