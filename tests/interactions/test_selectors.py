"""interactions' selectors that other apps read through: the contact history a person consented to
share with a second-line organisation (casemanagement's escalations call it)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contactcentre.errors import AccessDenied
from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.selectors import contact_history_shared
from contactcentre.interactions.services import contact_moment_record
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.services import Grant
from lifeevents.models import LifeEvent
from tests.casemanagement.factories import PersonFactory
from tests.factories import OrganisationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


def _grant(party_ids, purpose="second_line"):
    return Grant(SYSTEM, tuple(party_ids), purpose, "D2600000001", "low")


def _contacts(person, count, *, start):
    agent = UserFactory(role="counter_clerk")
    return [
        contact_moment_record(
            channel="counter",
            actor=staff(agent),
            agent=agent,
            desk="Balie 3",
            party=person,
            question=f"Vraag {number}",
            started_at=start + timedelta(minutes=number),
        )[0]
        for number in range(count)
    ]


def test_without_a_second_line_grant_for_that_person_nothing_opens():
    person, other = PersonFactory(), PersonFactory()
    _contacts(person, 1, start=timezone.now() - timedelta(hours=1))
    for grant in (_grant([person.pk], purpose="contact"), _grant([other.pk]), _grant([])):
        with pytest.raises(AccessDenied):
            contact_history_shared(grant=grant, party_id=person.pk)


def test_every_contact_of_the_person_newest_first_without_the_desk(django_assert_num_queries):
    person = PersonFactory()
    start = timezone.now() - timedelta(days=1)
    first_line = _contacts(person, 2, start=start)
    event = LifeEvent.objects.create(slug="verhuizen-x", name="Verhuizen", ordering=1)
    recorded_by_an_organisation, _ = contact_moment_record(
        channel="phone",
        actor=staff(UserFactory(role="agent")),
        party=person,
        question="Via de organisatie",
        started_at=start + timedelta(hours=1),
        life_event=event,
    )
    ContactMoment.objects.filter(pk=recorded_by_an_organisation.pk).update(organisation=OrganisationFactory())
    _contacts(PersonFactory(), 1, start=start)  # someone else's

    with django_assert_num_queries(1):
        rows = contact_history_shared(grant=_grant([person.pk]), party_id=person.pk)

    assert [row["id"] for row in rows] == [recorded_by_an_organisation.pk, first_line[1].pk, first_line[0].pk]
    assert rows[0]["life_event_name"] == "Verhuizen" and rows[1]["life_event_name"] is None
    assert set(rows[0]) == {
        "id",
        "channel",
        "direction",
        "identified_by",
        "assurance",
        "topic",
        "question",
        "answer",
        "outcome",
        "started_at",
        "ended_at",
        "life_event_name",
    }
    assert (rows[1]["channel"], rows[1]["question"]) == ("counter", "Vraag 1")


def test_the_history_is_one_query_and_at_most_the_limit_however_long_it_is(django_assert_num_queries):
    person = PersonFactory()
    _contacts(person, 25, start=timezone.now() - timedelta(days=1))
    with django_assert_num_queries(1):
        rows = contact_history_shared(grant=_grant([person.pk]), party_id=person.pk)
    assert [row["question"] for row in rows] == [f"Vraag {number}" for number in range(24, 4, -1)]
