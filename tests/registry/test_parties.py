"""Registering parties: identifiers validated and unique per type, clear field errors."""

import pytest

from contactcentre.errors import ValidationFailed
from contactcentre.registry.models import Address, Party
from contactcentre.registry.services import party_create, residential_address_register

pytestmark = pytest.mark.django_db


def test_person_with_a_valid_bsn_is_registered():
    party = party_create(bsn="999000007", given_names="Anna", surname="Jansen")
    assert (party.kind, party.bsn, party.display_name) == ("person", "999000007", "Anna Jansen")


def test_business_with_kvk_and_rsin():
    party = party_create(kind="business", business_name="Bakkerij", kvk_number="9000 0001", rsin="999000019")
    assert (party.kvk_number, party.rsin, str(party)) == ("90000001", "999000019", "Bakkerij")


def test_bad_identifiers_give_one_field_error_each_and_nothing_is_stored():
    with pytest.raises(ValidationFailed) as error:
        party_create(bsn="999000008", kvk_number="123", rsin="12345678X", surname="Jansen")
    assert sorted(error.value.field_errors) == ["bsn", "kvk_number", "rsin"]
    assert error.value.field_errors["bsn"] == ["Dit is geen geldig BSN (elfproef)."]
    assert not Party.objects.exists()


def test_identifiers_are_unique_per_type():
    party_create(bsn="999000007", surname="Jansen")
    with pytest.raises(ValidationFailed) as error:
        party_create(bsn="999000007", surname="Pietersen")
    assert error.value.field_errors == {"bsn": ["Er is al een partij met dit nummer."]}


def test_names_are_required_per_kind():
    with pytest.raises(ValidationFailed) as error:
        party_create(kind="business")
    assert list(error.value.field_errors) == ["business_name"]
    with pytest.raises(ValidationFailed) as error:
        party_create(bsn="999000007")
    assert list(error.value.field_errors) == ["surname"]


def test_the_population_register_sets_the_residential_address():
    party = party_create(bsn="999000007", surname="Jansen")
    residential_address_register(
        party=party, address={"street": "Kerkweg", "house_number": "4", "postcode": "3511ab", "city": "Voorbeeldstad"}
    )
    residential_address_register(
        party=party, address={"street": "Molenlaan", "house_number": 9, "postcode": "3512 AC", "city": "Voorbeeldstad"}
    )
    row = Address.objects.get(party=party)
    assert (row.kind, row.street, row.house_number, row.postcode) == ("residential", "Molenlaan", 9, "3512 AC")
