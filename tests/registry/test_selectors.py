"""Selectors: base data per role and assurance, no per-row queries, purpose-bound search, consents."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contactcentre.errors import AccessDenied, ValidationFailed
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.registry.models import Address, BankAccount, DigitalAddress, Party
from contactcentre.registry.selectors import (
    consent_is_granted,
    consents_for_party,
    party_base_data_read,
    party_base_data_view,
    party_find,
    party_lookup,
    party_queryset_for_view,
)
from contactcentre.registry.services import consent_record
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, organisation, staff
from tests.registry.conftest import EMAIL, IBAN, PHONE

pytestmark = pytest.mark.django_db

FULL_HOME = {
    "street": "Dorpsstraat",
    "house_number": 12,
    "house_number_addition": "",
    "postcode": "3511 AB",
    "city": "Voorbeeldstad",
    "country": "NL",
}


def _view(person, viewer, assurance):
    party = party_queryset_for_view().get(pk=person.pk)
    viewer = viewer if isinstance(viewer, Principal) else staff(viewer)
    return party_base_data_view(party=party, viewer=viewer, assurance=assurance)


def test_agent_at_substantial_sees_everything_in_full(person):
    data = _view(person, UserFactory(role="agent"), "substantial")
    assert data["residential_address"] == FULL_HOME
    assert data["emails"] == [{"value": EMAIL, "is_default": True, "verified": True}]
    assert data["phones"] == [{"value": PHONE, "is_default": True, "verified": True}]
    assert data["bank_accounts"] == [{"iban": IBAN, "is_default": True, "verified": False}]
    assert data["restrictions"] == {}
    assert "bsn" not in data


def test_agent_at_low_sees_contact_data_and_bank_account_masked(person):
    data = _view(person, UserFactory(role="agent"), "low")
    assert data["residential_address"] == {"city": "Voorbeeldstad"}
    assert data["emails"] == [{"value": "j***@voorbeeld.nl", "is_default": True, "verified": True}]
    assert data["phones"][0]["value"] == "+316******78"
    assert data["bank_accounts"][0]["iban"] == "NL" + "*" * 12 + "4300"
    assert data["restrictions"] == {
        "residential_address": "masked",
        "correspondence_address": "masked",
        "emails": "masked",
        "phones": "masked",
        "bank_accounts": "masked",
    }
    assert data["name"] == person.display_name


def test_api_client_never_sees_a_full_bank_account(person, client_with_scopes):
    _http, client = client_with_scopes(["parties:read"])
    data = _view(person, organisation(client), "high")
    assert data["bank_accounts"][0]["iban"] == "NL" + "*" * 12 + "4300"
    assert data["residential_address"] == FULL_HOME


def test_a_user_without_a_first_line_role_sees_only_the_identifiers_of_the_party(person):
    data = _view(person, UserFactory(role="functional_admin"), "high")
    assert set(data) == {"id", "kind", "secret_address", "restrictions"}
    assert set(data["restrictions"].values()) == {"hidden"}


@pytest.mark.parametrize(
    ("role", "assurance", "sees_address"),
    [
        ("agent", "low", False),
        ("agent", "substantial", False),
        ("agent", "high", False),
        ("supervisor", "high", False),
        ("counter_clerk", "low", False),
        ("counter_clerk", "substantial", False),
        ("counter_clerk", "high", True),
    ],
)
def test_secret_address_only_for_the_counter_clerk_at_high(make_person, role, assurance, sees_address):
    person = make_person(secret_address=True)
    data = _view(person, UserFactory(role=role), assurance)
    assert data["secret_address"] is True
    if sees_address:
        assert data["residential_address"] == FULL_HOME
        assert "residential_address" not in data["restrictions"]
    else:
        assert "residential_address" not in data
        assert data["restrictions"]["residential_address"] == "hidden"


def test_citizen_sees_own_data_in_full_and_never_another(make_person):
    me, other = make_person(secret_address=True), make_person()
    citizen = Principal.citizen(party_id=me.pk, assurance="substantial")
    assert _view(me, citizen, "substantial")["residential_address"] == FULL_HOME
    with pytest.raises(AccessDenied):
        _view(other, citizen, "substantial")


def test_view_does_no_queries_on_a_prefetched_party_however_many_rows(person):
    for n in range(5):
        DigitalAddress.objects.create(party=person, kind="email", value=f"extra{n}@voorbeeld.nl")
        BankAccount.objects.create(party=person, iban=f"NL{n}", is_default=False)
    Address.objects.create(party=person, kind="correspondence", **{k: v for k, v in FULL_HOME.items()})
    viewer = staff(UserFactory(role="agent"))  # roles read once, by the authentication
    party = party_queryset_for_view().get(pk=person.pk)
    with CaptureQueriesContext(connection) as queries:
        data = party_base_data_view(party=party, viewer=viewer, assurance="substantial")
    assert len(queries) == 0
    assert len(data["emails"]) == 6


def test_a_list_of_parties_costs_the_same_number_of_queries_for_1_or_10(make_person):
    viewer = staff(UserFactory(role="agent"))
    counts = []
    for size in (1, 10):
        Party.objects.all().delete()
        for _ in range(size):
            make_person()
        with CaptureQueriesContext(connection) as queries:
            views = [party_base_data_view(party=p, viewer=viewer, assurance="high") for p in party_queryset_for_view()]
        assert len(views) == size
        counts.append(len(queries))
    assert counts == [4, 4]


def test_read_is_purpose_bound_and_logged(person):
    agent = UserFactory(role="agent")
    data = party_base_data_read(
        party_id=person.pk, viewer=staff(agent), assurance="low", purpose="contact", purpose_reference="cm-1"
    )
    assert data["id"] == person.pk
    record = ProcessingRecord.objects.get()
    assert (record.action, record.object_type, record.purpose, record.purpose_reference, record.outcome) == (
        "read",
        "party_base_data",
        "contact",
        "cm-1",
        "success",
    )
    assert record.subject == subject_pseudonym(person.pk)
    assert person.bsn not in record.subject


@pytest.mark.parametrize(("purpose", "reference"), [("", ""), ("contact", ""), ("marketing", "x"), ("", "cm-1")])
def test_read_without_a_valid_purpose_is_refused_and_logged_as_denied(person, purpose, reference):
    with pytest.raises(AccessDenied) as error:
        party_base_data_read(
            party_id=person.pk,
            viewer=staff(UserFactory(role="agent")),
            assurance="low",
            purpose=purpose,
            purpose_reference=reference,
        )
    assert error.value.code == "purpose_required"
    record = ProcessingRecord.objects.get()
    assert (record.outcome, record.subject) == ("denied", subject_pseudonym(person.pk))


def test_find_by_each_criterion(person):
    agent = UserFactory(role="agent")
    business = Party.objects.create(kind="business", business_name="Bakkerij", kvk_number="90000001")
    find = {"actor": staff(agent), "purpose": "contact", "purpose_reference": "cm-1"}
    assert party_find(**find, bsn=person.bsn) == [person]
    assert party_find(**find, phone="06 12345678") == [person]
    assert party_find(**find, email="JAN.JANSEN@voorbeeld.nl") == [person]
    assert party_find(**find, surname=person.surname.upper(), date_of_birth=person.date_of_birth) == [person]
    assert party_find(**find, kvk_number="9000 0001") == [business]
    assert party_find(**find, phone="0687654321") == []


@pytest.mark.parametrize(
    ("criteria", "field"),
    [({"bsn": "123456789"}, "bsn"), ({"phone": "12"}, "phone"), ({"email": "x@"}, "email"), ({"surname": "X"}, None)],
)
def test_find_rejects_bad_criteria_with_field_errors(person, criteria, field):
    with pytest.raises(ValidationFailed) as error:
        party_lookup(**criteria)
    if field:
        assert list(error.value.field_errors) == [field]


def test_find_needs_exactly_one_criterion(person):
    with pytest.raises(ValidationFailed):
        party_lookup(bsn=person.bsn, phone=PHONE)
    with pytest.raises(ValidationFailed):
        party_lookup()


def test_a_search_finding_n_people_writes_n_records(make_person):
    people = [make_person(surname="Smit", date_of_birth="1980-01-01") for _ in range(3)]
    make_person(surname="Smit", date_of_birth="1990-01-01")
    found = party_find(
        actor=staff(UserFactory(role="agent")),
        purpose="contact",
        purpose_reference="cm-9",
        surname="Smit",
        date_of_birth="1980-01-01",
    )
    assert found == people
    assert sorted(ProcessingRecord.objects.values_list("subject", flat=True)) == sorted(
        subject_pseudonym(p.pk) for p in people
    )
    assert set(ProcessingRecord.objects.values_list("action", "outcome")) == {("search", "success")}


def test_search_without_purpose_is_denied_and_logged_without_a_subject(person):
    with pytest.raises(AccessDenied):
        party_find(actor=staff(UserFactory(role="agent")), purpose="", purpose_reference="", bsn=person.bsn)
    record = ProcessingRecord.objects.get()
    assert (record.action, record.outcome, record.subject) == ("search", "denied", "-")


def test_a_citizen_cannot_search(person):
    citizen = Principal.citizen(party_id=person.pk, assurance="substantial")
    with pytest.raises(AccessDenied):
        party_find(actor=citizen, purpose="", purpose_reference="", bsn=person.bsn)


# --- consents ---------------------------------------------------------------------------------------


def _consent(person, granted, organisation_code=None, purpose="share_contact_history"):
    return consent_record(
        party_id=person.pk,
        purpose=purpose,
        granted=granted,
        channel="phone",
        actor=staff(UserFactory(role="agent")),
        organisation_code=organisation_code,
        processing_purpose="contact",
        purpose_reference="cm-1",
    )


def test_no_registration_means_no_consent(person):
    assert consent_is_granted(party=person, purpose="proactive_signals") is False


def test_withdrawal_takes_effect_at_once(person):
    _consent(person, True)
    assert consent_is_granted(party=person, purpose="share_contact_history") is True
    consent = _consent(person, False)
    assert consent_is_granted(party=person, purpose="share_contact_history") is False
    assert consent.withdrawn_at is not None and consent.granted_at is not None
    assert [(c.purpose, c.granted, c.channel) for c in consents_for_party(party=person)] == [
        ("share_contact_history", False, "phone")
    ]
    assert ProcessingRecord.objects.filter(object_type="consent", action="update").count() == 2


def test_an_organisation_specific_consent_overrides_the_general_one(person):
    tax = OrganisationFactory(code="belastingdienst-test")
    uwv = OrganisationFactory(code="uwv-test")
    _consent(person, True)
    _consent(person, False, organisation_code=tax.code)
    assert consent_is_granted(party=person, purpose="share_contact_history", organisation=tax) is False
    assert consent_is_granted(party=person, purpose="share_contact_history", organisation="uwv-test") is True
    assert consent_is_granted(party=person, purpose="share_contact_history", organisation=uwv) is True


def test_consent_needs_a_purpose_and_rights(person):
    with pytest.raises(AccessDenied):
        consent_record(
            party_id=person.pk,
            purpose="sms_notifications",
            granted=True,
            channel="phone",
            actor=staff(UserFactory(role="agent")),
        )
    with pytest.raises(AccessDenied):
        consent_record(
            party_id=person.pk,
            purpose="sms_notifications",
            granted=True,
            channel="phone",
            actor=staff(UserFactory(role="supervisor")),
            processing_purpose="contact",
            purpose_reference="cm-1",
        )
    assert consent_is_granted(party=person, purpose="sms_notifications") is False


def test_consent_of_another_person_is_not_granted_by_mine(make_person):
    me, other = make_person(), PersonFactory()
    _consent(me, True, purpose="proactive_signals")
    assert consent_is_granted(party=other, purpose="proactive_signals") is False
