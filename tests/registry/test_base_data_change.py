"""base_data_change: the single-source rules matrix, atomicity, audit trail and the processing log."""

import pytest

from contactcentre.errors import AccessDenied, NotFound, RuleViolation, ValidationFailed
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.registry.models import Address, BankAccount, BaseDataChange, DigitalAddress, Party
from contactcentre.registry.services import base_data_change
from tests.factories import UserFactory, organisation, staff
from tests.registry.conftest import EMAIL, IBAN

pytestmark = pytest.mark.django_db

NEW_VALUES = {
    "residential_address": {"street": "Nieuwstraat", "house_number": 3, "postcode": "3512 CD", "city": "Voorbeeldstad"},
    "correspondence_address": {
        "street": "Postbus",
        "house_number": 1234,
        "postcode": "3500 AA",
        "city": "Voorbeeldstad",
    },
    "email": "nieuw@voorbeeld.nl",
    "phone": "0687654321",
    "iban": "NL02ABNA0123456789",
    "preferred_channel": "sms",
    "preferred_language": "en",
}
APPLIED, VERIFY = "applied", "verification"
REFUSED_SOURCE, REFUSED_ASSURANCE, DENIED = "source_elsewhere", "assurance_too_low", "denied"

# What the rules seeded from the life events say, per attribute and assurance, for a role that may change.
EXPECTED = {
    "residential_address": {"low": REFUSED_SOURCE, "substantial": REFUSED_SOURCE, "high": REFUSED_SOURCE},
    "correspondence_address": {"low": REFUSED_ASSURANCE, "substantial": APPLIED, "high": APPLIED},
    "email": {"low": VERIFY, "substantial": VERIFY, "high": VERIFY},
    "phone": {"low": VERIFY, "substantial": VERIFY, "high": VERIFY},
    "iban": {"low": REFUSED_ASSURANCE, "substantial": APPLIED, "high": APPLIED},
    "preferred_channel": {"low": APPLIED, "substantial": APPLIED, "high": APPLIED},
    "preferred_language": {"low": APPLIED, "substantial": APPLIED, "high": APPLIED},
}
ROLES_THAT_MAY_CHANGE = {"agent": True, "counter_clerk": True, "supervisor": False, "functional_admin": False}


def _stored(party: Party, attribute: str):
    party.refresh_from_db()
    if attribute.endswith("_address"):
        kind = "residential" if attribute.startswith("residential") else "correspondence"
        row = Address.objects.filter(party=party, kind=kind).first()
        return row and row.street
    if attribute in ("email", "phone"):
        return DigitalAddress.objects.get(party=party, kind=attribute, is_default=True).value
    if attribute == "iban":
        return BankAccount.objects.get(party=party, is_default=True).iban
    return getattr(party, attribute)


@pytest.mark.parametrize("role", sorted(ROLES_THAT_MAY_CHANGE))
@pytest.mark.parametrize("assurance", ["low", "substantial", "high"])
@pytest.mark.parametrize("attribute", sorted(EXPECTED))
def test_rules_matrix(rules, person, sent_codes, role, assurance, attribute):
    actor = staff(UserFactory(role=role))
    expected = EXPECTED[attribute][assurance] if ROLES_THAT_MAY_CHANGE[role] else DENIED
    before = _stored(person, attribute)
    call = {
        "party_id": person.pk,
        "attribute": attribute,
        "value": NEW_VALUES[attribute],
        "actor": actor,
        "assurance": assurance,
        "channel": "phone",
        "contact_reference": "cm-1",
    }

    if expected in (REFUSED_SOURCE, REFUSED_ASSURANCE, DENIED):
        error_class = AccessDenied if expected == DENIED else RuleViolation
        with pytest.raises(error_class) as error:
            base_data_change(**call)
        if expected != DENIED:
            assert error.value.code == expected
        assert _stored(person, attribute) == before
        assert not BaseDataChange.objects.exists()
        assert sent_codes == []
        assert list(ProcessingRecord.objects.values_list("outcome", "purpose", "purpose_reference")) == [
            ("denied", "contact", "cm-1")
        ]
        return

    change = base_data_change(**call)
    record = ProcessingRecord.objects.get()
    assert (record.outcome, record.action, record.subject) == ("success", "update", subject_pseudonym(person.pk))
    assert record.object_id == str(change.pk)
    if expected == VERIFY:
        assert change.status == BaseDataChange.Status.VERIFICATION_PENDING
        assert _stored(person, attribute) == before
        assert len(sent_codes) == 1
        assert sent_codes[0]["recipient"] in ("nieuw@voorbeeld.nl", "+31687654321")
    else:
        assert change.status == BaseDataChange.Status.APPLIED
        assert change.applied_at is not None
        after = _stored(person, attribute)
        value = NEW_VALUES[attribute]
        assert after == (value["street"] if isinstance(value, dict) else value)
        assert sent_codes == []


def test_refusal_names_the_source_organisation_and_what_to_do(rules, person):
    with pytest.raises(RuleViolation) as error:
        base_data_change(
            party_id=person.pk,
            attribute="residential_address",
            value=NEW_VALUES["residential_address"],
            actor=staff(UserFactory(role="counter_clerk")),
            assurance="high",
            channel="counter",
            contact_reference="cm-2",
        )
    assert error.value.message.startswith("Woonadres wordt beheerd door Gemeente Voorbeeldstad (BRP).")
    assert "Geef een verhuizing door aan de gemeente" in error.value.message


def test_change_is_recorded_with_masked_values_actor_channel_assurance_reason_and_contact(rules, person):
    agent = UserFactory(role="agent", username="anna")
    change = base_data_change(
        party_id=person.pk,
        attribute="iban",
        value="nl02 abna 0123 4567 89",
        actor=staff(agent),
        assurance="substantial",
        channel="portal",
        reason="nieuwe bank",
        contact_reference="cm-77",
    )
    change.refresh_from_db()
    assert (change.old_value, change.new_value) == ("NL" + "*" * 12 + "4300", "NL" + "*" * 12 + "6789")
    assert IBAN not in change.old_value
    assert (change.actor_type, change.actor_id, change.actor_label) == ("user", f"user:{agent.pk}", "anna")
    assert (change.channel, change.assurance, change.reason, change.contact_reference) == (
        "portal",
        "substantial",
        "nieuwe bank",
        "cm-77",
    )
    # The old account stays, no longer the default.
    assert list(BankAccount.objects.filter(party=person).values_list("iban", "is_default").order_by("iban")) == [
        ("NL02ABNA0123456789", True),
        (IBAN, False),
    ]


def test_a_failing_change_leaves_nothing_behind(rules, person, monkeypatch):
    """The log write fails after the address was written: the address, the change row and the log roll back."""
    import contactcentre.registry.services as services

    def broken_log(**kwargs):
        raise RuntimeError("log store unavailable")

    monkeypatch.setattr(services, "processing_log_record", broken_log)
    with pytest.raises(RuntimeError):
        base_data_change(
            party_id=person.pk,
            attribute="correspondence_address",
            value=NEW_VALUES["correspondence_address"],
            actor=staff(UserFactory(role="agent")),
            assurance="high",
            channel="phone",
            contact_reference="cm-3",
        )
    assert not Address.objects.filter(party=person, kind="correspondence").exists()
    assert not BaseDataChange.objects.exists()
    assert not ProcessingRecord.objects.exists()


def test_a_failing_send_leaves_no_challenge_and_no_change(rules, person, settings):
    settings.REGISTRY_VERIFICATION_SENDER = "tests.registry.test_base_data_change.broken_sender"
    with pytest.raises(ConnectionError):
        base_data_change(
            party_id=person.pk,
            attribute="email",
            value="nieuw@voorbeeld.nl",
            actor=staff(UserFactory(role="agent")),
            assurance="low",
            channel="phone",
            contact_reference="cm-4",
        )
    assert not BaseDataChange.objects.exists()
    assert DigitalAddress.objects.get(party=person, kind="email", is_default=True).value == EMAIL
    # The attempt stays on the processing log, as an error.
    assert list(ProcessingRecord.objects.values_list("action", "object_type", "outcome")) == [
        ("update", "base_data:email", "error")
    ]


def broken_sender(**kwargs):
    raise ConnectionError("sms gateway down")


@pytest.mark.parametrize(
    ("attribute", "value", "field"),
    [
        ("iban", "NL91ABNA0417164301", "value"),
        ("phone", "12345", "value"),
        ("email", "geen-adres", "value"),
        ("preferred_channel", "postduif", "value"),
        ("correspondence_address", {"street": "", "house_number": "x", "postcode": "0000", "city": "X"}, "value"),
    ],
)
def test_bad_values_give_clear_field_errors_and_change_nothing(rules, person, attribute, value, field):
    with pytest.raises(ValidationFailed) as error:
        base_data_change(
            party_id=person.pk,
            attribute=attribute,
            value=value,
            actor=staff(UserFactory(role="counter_clerk")),
            assurance="high",
            channel="counter",
            contact_reference="cm-5",
        )
    assert field in error.value.field_errors
    assert not BaseDataChange.objects.exists()


def test_address_errors_name_each_field(rules, person):
    with pytest.raises(ValidationFailed) as error:
        base_data_change(
            party_id=person.pk,
            attribute="correspondence_address",
            value={"street": "", "house_number": "x", "postcode": "0000", "city": "Voorbeeldstad"},
            actor=staff(UserFactory(role="counter_clerk")),
            assurance="high",
            channel="counter",
            contact_reference="cm-5",
        )
    assert sorted(error.value.field_errors["value"]) == ["house_number", "postcode", "street"]


def test_no_purpose_no_change_and_a_denied_record(rules, person):
    with pytest.raises(AccessDenied) as error:
        base_data_change(
            party_id=person.pk,
            attribute="preferred_channel",
            value="sms",
            actor=staff(UserFactory(role="agent")),
            assurance="high",
            channel="phone",
        )
    assert error.value.code == "purpose_required"
    person.refresh_from_db()
    assert person.preferred_channel == ""
    record = ProcessingRecord.objects.get()
    assert (record.outcome, record.purpose, record.subject) == ("denied", "none", subject_pseudonym(person.pk))


def test_unknown_party_is_not_found(rules):
    with pytest.raises(NotFound):
        base_data_change(
            party_id=999999,
            attribute="preferred_channel",
            value="sms",
            actor=staff(UserFactory(role="agent")),
            assurance="high",
            channel="phone",
            contact_reference="cm-6",
        )


def test_without_a_rule_the_first_line_cannot_change(person):
    with pytest.raises(RuleViolation) as error:
        base_data_change(
            party_id=person.pk,
            attribute="preferred_channel",
            value="sms",
            actor=staff(UserFactory(role="agent")),
            assurance="high",
            channel="phone",
            contact_reference="cm-7",
        )
    assert error.value.code == "no_source_rule"


def test_rules_edited_by_the_functional_admin_take_effect(rules, person):
    rules["preferred_channel"].minimum_assurance = "high"
    rules["preferred_channel"].save()
    with pytest.raises(RuleViolation):
        base_data_change(
            party_id=person.pk,
            attribute="preferred_channel",
            value="sms",
            actor=staff(UserFactory(role="agent")),
            assurance="substantial",
            channel="phone",
            contact_reference="cm-8",
        )


def test_api_client_needs_the_write_scope(rules, person, client_with_scopes):
    _http, reader = client_with_scopes(["parties:read"])
    _http, writer = client_with_scopes(["parties:write"])
    call = {
        "party_id": person.pk,
        "attribute": "preferred_language",
        "value": "en",
        "assurance": "substantial",
        "channel": "portal",
        "purpose": "second_line",
        "purpose_reference": "esc-1",
    }
    with pytest.raises(AccessDenied):
        base_data_change(actor=organisation(reader), **call)
    assert base_data_change(actor=organisation(writer), **call).status == "applied"


def test_citizen_changes_own_data_at_own_login_level_only(rules, person, make_person):
    from contactcentre.principal import Principal

    citizen = Principal.citizen(party_id=person.pk, assurance="substantial")
    other = make_person()
    change = base_data_change(
        party_id=person.pk,
        attribute="iban",
        value="NL02ABNA0123456789",
        actor=citizen,
        assurance="high",
        channel="portal",
    )
    assert (change.assurance, change.status) == ("substantial", "applied")
    with pytest.raises(AccessDenied):
        base_data_change(
            party_id=other.pk,
            attribute="preferred_channel",
            value="sms",
            actor=citizen,
            assurance="high",
            channel="portal",
        )
    assert ProcessingRecord.objects.filter(outcome="denied", subject=subject_pseudonym(other.pk)).count() == 1
