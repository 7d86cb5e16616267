import pytest
from django.utils import timezone

from contactcentre.registry.models import Address, BankAccount, DigitalAddress
from contactcentre.registry.services import data_source_rules_seed
from tests.factories import PersonFactory

IBAN = "NL91ABNA0417164300"
PHONE = "+31612345678"
EMAIL = "jan.jansen@voorbeeld.nl"
HOME = {"street": "Dorpsstraat", "house_number": 12, "postcode": "3511 AB", "city": "Voorbeeldstad"}


@pytest.fixture
def rules(db):
    return {rule.attribute: rule for rule in data_source_rules_seed()}


@pytest.fixture
def make_person(db):
    """A person with a home address, a verified phone and e-mail, and a bank account."""

    def make(**kwargs):
        person = PersonFactory(**kwargs)
        Address.objects.create(party=person, kind=Address.Kind.RESIDENTIAL, **HOME)
        now = timezone.now()
        DigitalAddress.objects.create(party=person, kind="phone", value=PHONE, is_default=True, verified_at=now)
        DigitalAddress.objects.create(party=person, kind="email", value=EMAIL, is_default=True, verified_at=now)
        BankAccount.objects.create(party=person, iban=IBAN, is_default=True)
        return person

    return make


@pytest.fixture
def person(make_person):
    return make_person()


@pytest.fixture
def sent_codes(settings):
    """Verification messages go to this list instead of the outbox; tests read the code from it."""
    outbox: list[dict] = []
    settings.REGISTRY_VERIFICATION_SENDER = "tests.registry.conftest.fake_sender"
    _FAKE_OUTBOX.clear()
    yield _FAKE_OUTBOX
    _FAKE_OUTBOX.clear()
    del outbox


_FAKE_OUTBOX: list[dict] = []


def fake_sender(*, challenge, channel, recipient, body):
    _FAKE_OUTBOX.append(
        {
            "challenge": challenge.pk,
            "channel": channel,
            "recipient": recipient,
            "body": body,
            "code": body.split("code is ")[1].split(".")[0],
        }
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Users are made in almost every test here; the production hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _reference_checkers_of_this_layer_only(monkeypatch):
    """These tests are about this layer's own rules. Whether a stated contact or case is real is decided
    by the checkers interactions and casemanagement register; those are tested in their own layers and
    end to end (tests/firstline/test_purpose_binding.py)."""

    def any_reference_holds(*, principal, reference, party_ids):
        return "high"  # no cap: the registry's own rules decide at the stated assurance

    checkers = {"contact": any_reference_holds, "case": any_reference_holds}
    monkeypatch.setattr("contactcentre.processinglog.services._reference_checkers", lambda: checkers)
