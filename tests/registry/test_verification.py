"""Verification codes: applied on the right code; wrong codes counted and limited; expiry; stored hashed."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from contactcentre.errors import AccessDenied, Conflict, RateLimited, RuleViolation, ValidationFailed
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.registry import verification
from contactcentre.registry.models import (
    BaseDataChange,
    DigitalAddress,
    VerificationChallenge,
    VerificationMessage,
)
from contactcentre.registry.services import (
    base_data_change,
    verification_confirm,
    verification_message_take,
    verification_messages_purge,
    verification_start,
)
from tests.factories import UserFactory, staff
from tests.registry.conftest import EMAIL

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(db):
    return UserFactory(role="agent")


def _start(person, agent, value="nieuw@voorbeeld.nl", attribute="email"):
    return base_data_change(
        party_id=person.pk,
        attribute=attribute,
        value=value,
        actor=staff(agent),
        assurance="low",
        channel="phone",
        contact_reference="cm-10",
    )


def test_right_code_applies_the_new_address_as_verified_default(rules, person, agent, sent_codes):
    change = _start(person, agent)
    applied = verification_confirm(challenge_id=change.verification.pk, code=sent_codes[0]["code"], actor=staff(agent))
    assert applied.status == BaseDataChange.Status.APPLIED
    emails = DigitalAddress.objects.filter(party=person, kind="email").order_by("value")
    assert [(row.value, row.is_default, row.verified_at is not None) for row in emails] == [
        (EMAIL, False, True),
        ("nieuw@voorbeeld.nl", True, True),
    ]
    challenge = VerificationChallenge.objects.get()
    assert (challenge.status, challenge.pending_value) == ("confirmed", "")


def test_code_is_stored_only_as_a_keyed_hash(rules, person, agent, sent_codes):
    change = _start(person, agent)
    code = sent_codes[0]["code"]
    challenge = VerificationChallenge.objects.get(pk=change.verification.pk)
    assert len(code) == 6 and code.isdigit()
    assert code not in challenge.code_hash
    assert len(challenge.code_hash.split("$")[1]) == 64


def test_wrong_code_counts_and_changes_nothing(rules, person, agent, sent_codes):
    change = _start(person, agent)
    wrong = "000000" if sent_codes[0]["code"] != "000000" else "111111"
    with pytest.raises(ValidationFailed) as error:
        verification_confirm(challenge_id=change.verification.pk, code=wrong, actor=staff(agent))
    assert error.value.code == "wrong_code"
    assert error.value.message == "De code klopt niet. U kunt het nog 4 keer proberen."
    assert VerificationChallenge.objects.get().attempts == 1
    assert not DigitalAddress.objects.filter(value="nieuw@voorbeeld.nl").exists()
    assert ProcessingRecord.objects.filter(object_type="verification", outcome="denied").count() == 1


def test_attempts_are_limited_and_then_even_the_right_code_fails(rules, person, agent, sent_codes):
    change = _start(person, agent)
    code = sent_codes[0]["code"]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(ValidationFailed):
            verification_confirm(challenge_id=change.verification.pk, code=wrong, actor=staff(agent))
    with pytest.raises(RateLimited) as error:
        verification_confirm(challenge_id=change.verification.pk, code=wrong, actor=staff(agent))
    assert error.value.code == "too_many_attempts"
    with pytest.raises(Conflict):
        verification_confirm(challenge_id=change.verification.pk, code=code, actor=staff(agent))
    challenge = VerificationChallenge.objects.get()
    assert (challenge.status, challenge.attempts, challenge.pending_value) == ("failed", 5, "")
    assert BaseDataChange.objects.get().status == "verification_failed"
    assert not DigitalAddress.objects.filter(value="nieuw@voorbeeld.nl").exists()


def test_expired_code_is_refused(rules, person, agent, sent_codes):
    change = _start(person, agent)
    VerificationChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(RuleViolation) as error:
        verification_confirm(challenge_id=change.verification.pk, code=sent_codes[0]["code"], actor=staff(agent))
    assert error.value.code == "code_expired"
    assert VerificationChallenge.objects.get().status == "expired"
    assert not DigitalAddress.objects.filter(value="nieuw@voorbeeld.nl").exists()


def test_a_new_request_closes_the_previous_challenge(rules, person, agent, sent_codes):
    first = _start(person, agent)
    _start(person, agent, value="ander@voorbeeld.nl")
    with pytest.raises(Conflict):
        verification_confirm(challenge_id=first.verification.pk, code=sent_codes[0]["code"], actor=staff(agent))


def test_phone_verification_sends_to_the_new_number_in_e164(rules, person, agent, sent_codes):
    _start(person, agent, value="06 8765 4321", attribute="phone")
    assert [(m["channel"], m["recipient"]) for m in sent_codes] == [("phone", "+31687654321")]


def test_default_sender_writes_an_outbound_verification_message(rules, person, agent):
    change = _start(person, agent)
    message = VerificationMessage.objects.get()
    assert (message.challenge_id, message.channel, message.recipient) == (
        change.verification.pk,
        "email",
        "nieuw@voorbeeld.nl",
    )
    assert message.sent_at is None


def test_verification_start_refuses_attributes_without_codes(rules, person, agent):
    with pytest.raises(ValidationFailed):
        verification_start(
            party_id=person.pk,
            attribute="iban",
            value="NL02ABNA0123456789",
            actor=staff(agent),
            assurance="high",
            channel="counter",
            contact_reference="cm-11",
        )


def test_re_verifying_an_unverified_existing_address_is_allowed(rules, person, agent, sent_codes):
    DigitalAddress.objects.filter(party=person, kind="email").update(verified_at=None)
    challenge = verification_start(
        party_id=person.pk,
        attribute="email",
        value=EMAIL,
        actor=staff(agent),
        assurance="low",
        channel="phone",
        contact_reference="cm-12",
    )
    verification_confirm(challenge_id=challenge.pk, code=sent_codes[0]["code"], actor=staff(agent))
    assert DigitalAddress.objects.get(party=person, kind="email").verified_at is not None


def test_someone_without_change_rights_cannot_confirm(rules, person, agent, sent_codes):
    change = _start(person, agent)
    with pytest.raises(AccessDenied):
        verification_confirm(
            challenge_id=change.verification.pk, code=sent_codes[0]["code"], actor=staff(UserFactory(role="supervisor"))
        )
    assert VerificationChallenge.objects.get().status == "pending"


def test_one_person_is_sent_at_most_five_codes_an_hour_whoever_asks(rules, person, sent_codes):
    for n in range(5):
        _start(person, UserFactory(role="agent"), value=f"adres{n}@voorbeeld.nl")
    with pytest.raises(RateLimited) as error:
        _start(person, UserFactory(role="counter_clerk"), value="nog-een@voorbeeld.nl")
    assert error.value.code == "too_many_codes"
    assert len(sent_codes) == 5
    assert VerificationChallenge.objects.count() == 5
    VerificationChallenge.objects.update(created_at=timezone.now() - timedelta(hours=1, seconds=1))
    _start(person, UserFactory(role="agent"), value="later@voorbeeld.nl")
    assert len(sent_codes) == 6


def test_the_code_leaves_the_outbox_once_the_challenge_ends(rules, person, agent):
    change = _start(person, agent)
    message = VerificationMessage.objects.get()
    code = verification.code_from_seed(message.code_seed)
    verification_confirm(challenge_id=change.verification.pk, code=code, actor=staff(agent))
    message.refresh_from_db()
    assert (message.body, message.code_seed) == ("", "")
    assert verification_message_take(message_id=message.pk) is None


def _text_columns(model, pk) -> list[str]:
    """Every column of the row as the database holds it (read with SQL, past any model code)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608 - a model's own table
        return [str(value) for value in cursor.fetchone()]


def test_no_table_keeps_the_code_in_clear(rules, person, agent):
    change = _start(person, agent)
    message = VerificationMessage.objects.get()
    code = verification.code_from_seed(message.code_seed)
    assert verification.code_matches(change.verification.code_hash, code)
    for model, pk in ((VerificationMessage, message.pk), (VerificationChallenge, change.verification.pk)):
        for value in _text_columns(model, pk):
            assert code not in value, f"{model.__name__} keeps the code in clear"
    assert "{code}" in message.body


def test_the_transport_takes_the_text_with_the_code_once(rules, person, agent):
    change = _start(person, agent)
    message = VerificationMessage.objects.get()
    outgoing = verification_message_take(message_id=message.pk)
    assert (outgoing.channel, outgoing.recipient) == ("email", "nieuw@voorbeeld.nl")
    assert re.fullmatch(r"Uw verificatiecode is \d{6}\. De code is 15 minuten geldig\.", outgoing.text)
    code = re.search(r"\d{6}", outgoing.text).group()
    # Sent: the seed is gone, the row holds no code and cannot give it again.
    message.refresh_from_db()
    assert message.sent_at is not None and message.code_seed == ""
    assert all(code not in value for value in _text_columns(VerificationMessage, message.pk))
    assert verification_message_take(message_id=message.pk) is None
    # And the code it sent is the one the challenge expects.
    applied = verification_confirm(challenge_id=change.verification.pk, code=code, actor=staff(agent))
    assert applied.status == BaseDataChange.Status.APPLIED


def test_the_transport_does_not_send_a_code_that_can_no_longer_be_used(rules, person, agent):
    _start(person, agent)
    expired = VerificationMessage.objects.get()
    VerificationChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert verification_message_take(message_id=expired.pk) is None
    expired.refresh_from_db()
    assert (expired.body, expired.code_seed, expired.sent_at) == ("", "", None)

    _start(person, agent, value="ander@voorbeeld.nl")
    _start(person, agent, value="derde@voorbeeld.nl")  # closes the previous challenge
    superseded = VerificationMessage.objects.get(recipient="ander@voorbeeld.nl")
    assert verification_message_take(message_id=superseded.pk) is None
    assert verification_message_take(message_id=VerificationMessage.objects.get(recipient="derde@voorbeeld.nl").pk)


def test_codes_are_six_ascii_digits_and_differ_per_seed():
    codes = {verification.code_from_seed(verification.code_seed_new()) for _ in range(200)}
    assert all(len(code) == 6 and code.isascii() and code.isdigit() for code in codes)
    assert len(codes) > 190


def test_purge_blanks_codes_of_expired_challenges_once(rules, person, make_person, agent):
    _start(person, agent)
    _start(make_person(), agent)
    VerificationChallenge.objects.filter(party=person).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert verification_messages_purge() == 1
    assert verification_messages_purge() == 0
    assert sorted(m.body == "" for m in VerificationMessage.objects.all()) == [False, True]
