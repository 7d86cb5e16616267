"""The customer view's fenced fast path (explicit SQL, PostgreSQL only) returns exactly what the plain
ORM selectors return, on generated people of many shapes, for each clearance that takes it."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casemanagement.models import Case, Confidentiality
from casemanagement.policy import Clearance, clearance_of
from contactcentre.firstline import selectors
from contactcentre.interactions.models import CallbackRequest, ContactMoment
from contactcentre.interactions.services import work_queue_ensure
from contactcentre.registry.models import Address, BankAccount, Consent, DigitalAddress, Party
from lifeevents.models import LifeEvent
from tests.casemanagement.factories import CaseTypeFactory, PersonFactory, make_case
from tests.factories import OrganisationFactory, UserFactory, staff

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast path runs on PostgreSQL only"),
]


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def _case(case: Case) -> tuple:
    status = _fields(case.status) if case.status_id is not None else None
    return (_fields(case), _fields(case.organisation), _fields(case.case_type), status)


def _comparable(reads: selectors.Reads) -> dict:
    related = reads.related
    return {
        "party": _fields(reads.party),
        "addresses": [_fields(row) for row in related.addresses],
        "digital": [_fields(row) for row in related.digital_addresses],
        "accounts": [_fields(row) for row in related.bank_accounts],
        "cases": [_case(case) for case in reads.cases],
        "contacts": reads.contacts,
        # the ORM gives the through rows in no order; the ranking does not depend on it
        "case_life_events": sorted(reads.case_life_events, key=lambda row: sorted(row.items())),
        "consents": reads.consents,
        "callbacks": reads.callbacks,
    }


def _person_of_some_shape(rng: random.Random, world: dict) -> Party:
    now = timezone.now()
    if rng.random() < 0.15:
        party = Party.objects.create(
            kind="business", business_name="Bakkerij", kvk_number=f"{rng.randrange(10**8):08d}"
        )
    else:
        party = PersonFactory(secret_address=rng.random() < 0.2)
    for kind in rng.sample(["residential", "correspondence"], rng.randint(0, 2)):
        Address.objects.create(
            party=party, kind=kind, street="Dorpsstraat", house_number=rng.randint(1, 300), postcode="1234AB", city="X"
        )
    for n in range(rng.randint(0, 4)):
        DigitalAddress.objects.create(
            party=party,
            kind=rng.choice(["email", "phone"]),
            value=f"+316{rng.randrange(10**8):08d}" if n % 2 else f"p{n}.{party.pk}@voorbeeld.nl",
            is_default=n == 0,
            verified_at=now if rng.random() < 0.5 else None,
        )
    for n in range(rng.randint(0, 3)):
        BankAccount.objects.create(party=party, iban=f"NL{n}{party.pk}", is_default=n == 0)
    for _ in range(rng.choice([0, 1, 3, 8, 55])):  # 55: over the view's limit of 50
        case = make_case(
            party=party,
            case_type=rng.choice(world["case_types"]),
            days_ago=rng.randint(0, 900),
            confidentiality=rng.choice(list(Confidentiality)),
        )
        closed = rng.choice([None, None, now - timedelta(days=rng.randint(0, 700))])
        Case.objects.filter(pk=case.pk).update(
            closed_at=closed,
            status=None if rng.random() < 0.1 else case.status,
            suspended_since=now if rng.random() < 0.1 else None,
            extended_days=rng.choice([0, 0, 14]),
        )
    for n in range(rng.choice([0, 2, 25])):
        ContactMoment.objects.create(
            channel=rng.choice(["phone", "sms", "email", "counter"]),
            party=party,
            agent=rng.choice([None, world["agent"]]),
            organisation=rng.choice([None, world["organisation"]]),
            life_event=rng.choice([None, world["life_event"]]),
            started_at=now - timedelta(minutes=rng.randint(0, 10**5)),
            question=f"vraag {n}",
        )
    for purpose in rng.sample(["sms_notifications", "email_notifications", "signals"], rng.randint(0, 3)):
        Consent.objects.create(
            party=party,
            purpose=purpose,
            organisation=rng.choice([None, world["organisation"]]),
            granted=rng.random() < 0.5,
            channel="portal",
            changed_at=now,
        )
    for _ in range(rng.randint(0, 3)):
        CallbackRequest.objects.create(
            queue=world["queue"],
            party=party,
            phone_number="+31612345678",
            question="Bel mij",
            call_after=now + timedelta(hours=rng.randint(-5, 5)),
            status=rng.choice(list(CallbackRequest.Status)),
            assigned_to=rng.choice([None, world["agent"]]),
        )
    return party


@pytest.fixture
def world():
    organisation = OrganisationFactory()
    life_event = LifeEvent.objects.create(slug="verhuizen", name="Verhuizen")
    case_types = [CaseTypeFactory(organisation=organisation), CaseTypeFactory()]
    case_types[0].life_events.add(life_event)
    return {
        "organisation": organisation,
        "life_event": life_event,
        "case_types": case_types,
        "agent": UserFactory(role="agent"),
        "queue": work_queue_ensure(code="kcc", name="KCC"),
    }


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_the_fast_path_reads_exactly_what_the_plain_selectors_read(world, role):
    viewer = staff(UserFactory(role=role))
    clearance = clearance_of(viewer)
    assert clearance in (Clearance.FIRST_LINE, Clearance.SUPERVISOR)
    rng = random.Random(20261206)
    people = [_person_of_some_shape(rng, world) for _ in range(25)]
    for party in people:
        by_sql = selectors._reads_by_sql(party_id=party.pk, principal=viewer, clearance=clearance)
        by_orm = selectors._reads_by_orm(party_id=party.pk, principal=viewer, clearance=clearance)
        assert _comparable(by_sql) == _comparable(by_orm), party.pk
    missing = selectors._reads_by_sql(party_id=10**12, principal=viewer, clearance=clearance)
    assert (missing.party, missing.cases) == (None, [])


def test_the_fast_path_is_taken_and_costs_nine_statements(world):
    viewer = staff(UserFactory(role="agent"))
    party = _person_of_some_shape(random.Random(7), world)
    viewer.has_perms(["interactions.view_contactmoment"])  # permissions read once, as in a request
    with CaptureQueriesContext(connection) as queries:
        selectors._reads_by_sql(party_id=party.pk, principal=viewer, clearance=Clearance.FIRST_LINE)
    assert len(queries) == 9
