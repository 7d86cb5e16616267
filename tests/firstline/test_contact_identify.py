"""Identifying the person of an anonymous contact at hand: the search under the contact's purpose,
one match identifies, a choice only from what the search found; who else handles the contact, or a
contact already identified or closed, is refused (contact_identify, contact_moment_identify)."""

import datetime

import pytest
from django.utils import timezone

from contactcentre.errors import AccessDenied, Conflict, NotFound, RuleViolation, ValidationFailed
from contactcentre.firstline.services import contact_identify
from contactcentre.interactions.models import Channel, ContactMoment
from contactcentre.interactions.selectors import contact_at_hand
from contactcentre.interactions.services import contact_moment_identify, contact_moment_record
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.registry.models import DigitalAddress
from tests.casemanagement.factories import PersonFactory
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return UserFactory(role="agent")


def _anonymous(agent):
    contact, _created = contact_moment_record(channel=Channel.PHONE, actor=staff(agent), agent=agent)
    return contact


def _with_phone(**kwargs):
    person = PersonFactory(**kwargs)
    DigitalAddress.objects.create(party=person, kind="phone", value="+31612345678", is_default=True)
    return person


def test_one_match_identifies_the_contact_at_assurance_low(agent):
    person = PersonFactory(surname="Yilmaz", date_of_birth=datetime.date(1980, 5, 17))
    contact = _anonymous(agent)

    party, matches = contact_identify(
        contact=contact, actor=staff(agent), search={"surname": "Yilmaz", "date_of_birth": person.date_of_birth}
    )

    assert party == person and matches == [person]
    contact.refresh_from_db()
    assert (contact.party, contact.identified_by, contact.assurance) == (person, "agent", "low")
    records = ProcessingRecord.objects.filter(purpose="contact", purpose_reference=str(contact.pk))
    assert sorted(records.values_list("action", "object_type")) == [("search", "party"), ("update", "contact_moment")]


def test_several_matches_identify_no_one_until_one_is_chosen(agent):
    first, second = _with_phone(), _with_phone()
    contact = _anonymous(agent)

    party, matches = contact_identify(contact=contact, actor=staff(agent), search={"phone": "0612345678"})

    assert party is None and matches == [first, second]
    contact.refresh_from_db()
    assert contact.party_id is None

    party, _matches = contact_identify(
        contact=contact, actor=staff(agent), search={"phone": "0612345678"}, party_id=second.pk
    )

    contact.refresh_from_db()
    assert party == second and (contact.party, contact.identified_by) == (second, "phone")


def test_only_a_person_the_search_found_can_be_chosen(agent):
    _with_phone()
    stranger = PersonFactory()
    contact = _anonymous(agent)

    with pytest.raises(ValidationFailed) as refused:
        contact_identify(contact=contact, actor=staff(agent), search={"phone": "0612345678"}, party_id=stranger.pk)

    assert "party" in refused.value.field_errors
    contact.refresh_from_db()
    assert contact.party_id is None


def test_another_agents_contact_opens_no_search(agent):
    _with_phone()
    contact = _anonymous(agent)
    colleague = UserFactory(role="agent")

    with pytest.raises(AccessDenied):
        contact_identify(contact=contact, actor=staff(colleague), search={"phone": "0612345678"})

    assert not ProcessingRecord.objects.filter(action="search", outcome="success").exists()


def test_an_identified_or_closed_contact_is_not_identified_again(agent):
    person, other = PersonFactory(), PersonFactory()
    identified = _anonymous(agent)
    contact_moment_identify(contact=identified, party=person, identified_by="bsn", actor=staff(agent))
    closed = _anonymous(agent)
    ContactMoment.objects.filter(pk=closed.pk).update(ended_at=timezone.now(), outcome="answered")

    with pytest.raises(Conflict):
        contact_moment_identify(contact=identified, party=other, identified_by="bsn", actor=staff(agent))
    with pytest.raises(RuleViolation):
        contact_moment_identify(contact=closed, party=other, identified_by="bsn", actor=staff(agent))
    with pytest.raises(ValidationFailed):
        contact_moment_identify(contact=_anonymous(agent), party=other, identified_by="gok", actor=staff(agent))

    identified.refresh_from_db()
    closed.refresh_from_db()
    assert (identified.party, closed.party_id) == (person, None)


def test_the_contact_at_hand_is_this_agents_or_not_yet_taken(agent):
    mine = _anonymous(agent)
    waiting, _created = contact_moment_record(channel=Channel.PHONE, actor=staff(agent))
    colleague = UserFactory(role="agent")

    assert contact_at_hand(contact_id=mine.pk, principal=staff(agent)) == mine
    assert contact_at_hand(contact_id=waiting.pk, principal=staff(colleague)) == waiting
    with pytest.raises(NotFound):
        contact_at_hand(contact_id=mine.pk, principal=staff(colleague))
