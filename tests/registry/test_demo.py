"""The registry's demo data: valid fictitious numbers, Voorbeeldstad addresses, idempotent."""

import phonenumbers
import pytest
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from contactcentre.registry import demo
from contactcentre.registry.models import (
    Address,
    BankAccount,
    Consent,
    DataSourceRule,
    DigitalAddress,
    Organisation,
    Party,
)

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count() for m in (Organisation, DataSourceRule, Party, Address, DigitalAddress, BankAccount, Consent)
    ]


def test_seed_makes_valid_people_and_businesses_and_is_idempotent():
    lines = demo.seed()
    assert lines == ["Register: 7 bronafspraken, 32 personen en 8 bedrijven toegevoegd (totaal 40 partijen)."]
    first = _counts()
    demo.seed()
    assert _counts() == first
    people = Party.objects.filter(kind="person")
    assert people.count() == 32
    assert all(stdnum_bsn.is_valid(p.bsn) and p.bsn.startswith("999") for p in people)
    assert all(stdnum_iban.is_valid(b.iban) for b in BankAccount.objects.all())
    phones = DigitalAddress.objects.filter(kind="phone").values_list("value", flat=True)
    assert all(p.startswith("+316") and phonenumbers.is_valid_number(phonenumbers.parse(p)) for p in phones)
    assert set(Address.objects.values_list("city", flat=True)) == {"Voorbeeldstad"}
    assert Party.objects.filter(secret_address=True).count() == 2
    businesses = Party.objects.filter(kind="business")
    assert businesses.count() == 8 and all(len(b.kvk_number) == 8 and stdnum_bsn.is_valid(b.rsin) for b in businesses)


def test_seed_gives_organisations_regions_and_keeps_admin_edits_to_rules():
    demo.seed()
    assert Organisation.objects.get(code="gem-voorbeeldstad").regions == ["Voorbeeldstad"]
    assert Organisation.objects.get(code="belastingdienst").regions == ["Nederland"]
    DataSourceRule.objects.filter(attribute="phone").update(minimum_assurance="high")
    demo.seed()
    assert DataSourceRule.objects.get(attribute="phone").minimum_assurance == "high"


def test_rules_cover_the_life_event_attributes_and_the_brp_address():
    demo.seed()
    rules = {
        r.attribute: (
            r.source_organisation.code,
            r.source_register,
            r.first_line_may_change,
            r.minimum_assurance,
            r.verification_required,
        )
        for r in DataSourceRule.objects.select_related("source_organisation")
    }
    assert rules == {
        "residential_address": ("gem-voorbeeldstad", "BRP", False, "high", False),
        "correspondence_address": ("gem-voorbeeldstad", "Klantregistratie", True, "substantial", False),
        "email": ("gem-voorbeeldstad", "Klantregistratie", True, "low", True),
        "phone": ("gem-voorbeeldstad", "Klantregistratie", True, "low", True),
        "iban": ("gem-voorbeeldstad", "Klantregistratie", True, "substantial", False),
        "preferred_channel": ("gem-voorbeeldstad", "Klantregistratie", True, "low", False),
        "preferred_language": ("gem-voorbeeldstad", "Klantregistratie", True, "low", False),
    }
