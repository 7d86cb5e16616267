"""Identifiers and contact data: every valid number accepted, every single-digit change rejected."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from contactcentre.registry.validators import (
    normalise_bsn,
    normalise_email,
    normalise_iban,
    normalise_kvk_number,
    normalise_phone,
    normalise_postcode,
)


def _bsn_from(prefix: int) -> str:
    """Complete 8 digits to a valid BSN by choosing the check digit (weights 9..2, -1)."""
    digits = f"{prefix:08d}"
    total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
    check = total % 11
    return digits + str(check)


valid_bsns = (
    st.integers(min_value=10_000_000, max_value=99_999_999)
    .map(_bsn_from)
    .filter(lambda number: number[-1].isdigit() and stdnum_bsn.is_valid(number))
)


@given(valid_bsns)
@settings(max_examples=200, deadline=None)
def test_every_valid_bsn_is_accepted(number):
    assert normalise_bsn(number) == number


@given(valid_bsns, st.integers(min_value=0, max_value=8), st.integers(min_value=1, max_value=9))
@settings(max_examples=300, deadline=None)
def test_every_single_digit_change_of_a_valid_bsn_is_rejected(number, position, delta):
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    with pytest.raises(ValidationError) as error:
        normalise_bsn(changed)
    assert error.value.code == "invalid_bsn"


BANKS = ["ABNA", "INGB", "RABO", "TRIO", "SNSB"]
valid_ibans = st.builds(
    lambda bank, account: (lambda bban: f"NL{stdnum_iban.calc_check_digits('NL00' + bban)}{bban}")(
        f"{bank}{account:010d}"
    ),
    st.sampled_from(BANKS),
    st.integers(min_value=0, max_value=9_999_999_999),
)


@given(valid_ibans)
@settings(max_examples=200, deadline=None)
def test_every_valid_iban_is_accepted(number):
    assert normalise_iban(number) == number


@given(valid_ibans, st.integers(min_value=2, max_value=17), st.integers(min_value=1, max_value=9))
@settings(max_examples=300, deadline=None)
def test_every_single_digit_change_of_a_valid_iban_is_rejected(number, position, delta):
    # Positions 2-3 are the check digits, 8-17 the account number: every digit position of an NL IBAN.
    if not number[position].isdigit():
        return
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    with pytest.raises(ValidationError) as error:
        normalise_iban(changed)
    assert error.value.code == "invalid_iban"


def test_iban_with_spaces_and_lower_case_is_normalised():
    assert normalise_iban("nl91 abna 0417 1643 00") == "NL91ABNA0417164300"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("06 12345678", "+31612345678"),
        ("+31 6 1234 5678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("020-5551234", "+31205551234"),
    ],
)
def test_phone_numbers_are_normalised_to_e164(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "+31 6 1234", "bel me", "+999123456789"])
def test_invalid_phone_numbers_are_rejected(raw):
    with pytest.raises(ValidationError) as error:
        normalise_phone(raw)
    assert error.value.code == "invalid_phone"


def test_email_is_lower_cased_and_checked():
    assert normalise_email("  Jan.Jansen@Voorbeeld.NL ") == "jan.jansen@voorbeeld.nl"
    with pytest.raises(ValidationError):
        normalise_email("jan@@voorbeeld")


def test_kvk_number_must_be_eight_digits():
    assert normalise_kvk_number("9000 0001") == "90000001"
    with pytest.raises(ValidationError):
        normalise_kvk_number("1234567")


def test_dutch_postcode_is_checked():
    assert normalise_postcode("3511ab") == "3511 AB"
    with pytest.raises(ValidationError):
        normalise_postcode("0123 AB")
