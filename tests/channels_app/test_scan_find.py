"""What a letter's text names: valid BSNs only, case references, postcodes, Dutch dates; pure functions."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn

from channels_app.scan.find import (
    body_text,
    find_all,
    find_bsns,
    find_case_references,
    find_dates,
    find_postcodes,
)
from tests.channels_app.scan_letters import BSN, LETTER, REFERENCE


@pytest.mark.parametrize(
    "text",
    [
        "BSN: 111222333",
        "BSN 111 222 333.",
        "burgerservicenummer 111.222.333",
        "sofinummer: 1112.22.333, graag",
    ],
)
def test_a_valid_bsn_is_found_however_it_is_grouped(text):
    assert find_bsns(text) == [BSN]


@pytest.mark.parametrize(
    "text",
    [
        "BSN: 111222334",  # one digit off: fails the elfproef
        "IBAN NL91ABNA0417164300",  # its digits are not a BSN
        "rekening 1112223330",  # ten digits: part of a longer number
        "telefoon 0 111222333",  # a digit before it, one space apart
        "nummer 111222333 4",  # a digit after it, one space apart
        "12345678",  # eight digits
    ],
)
def test_no_bsn_without_the_elfproef_or_inside_a_longer_number(text):
    assert find_bsns(text) == []


@given(st.integers(min_value=0, max_value=8), st.integers(min_value=1, max_value=9))
def test_every_single_digit_change_of_a_valid_bsn_is_refused(position, change):
    digits = list(BSN)
    digits[position] = str((int(digits[position]) + change) % 10)
    changed = "".join(digits)
    assert not stdnum_bsn.is_valid(changed)  # the elfproef catches every single-digit change
    assert find_bsns(f"BSN: {changed}") == []


def test_each_bsn_once_in_order_of_appearance():
    assert find_bsns("BSN 111222333 en partner 123456782, nogmaals 111 222 333") == ["111222333", "123456782"]


def test_case_references_the_first_lines_and_labelled_ones_normalised():
    text = f"Uw zaak {REFERENCE.lower()}; zaaknummer: abc-2026-0001. Ons kenmerk: Z 26 12345678. Kenmerk: brief"
    assert find_case_references(text) == [REFERENCE, "ABC-2026-0001"]


def test_a_labelled_number_without_a_letter_is_no_reference():
    assert find_case_references("Kenmerk: 111222333, dossiernummer 2026") == []


def test_postcodes_as_1234_ab():
    assert find_postcodes("3511AB Utrecht, 1012 JS Amsterdam, 0123 AB, 1234 SS, 1234 ab") == ["3511 AB", "1012 JS"]


def test_dates_in_dutch_formats_with_month_names():
    text = "Brief van 5 maart 2026 over 01-04-2026, 2/5/2026, 7.6.2026, 12 okt. 2025, 3 MEI 2026 en 2026-02-28."
    assert find_dates(text) == [
        date(2026, 3, 5),
        date(2026, 4, 1),
        date(2026, 5, 2),
        date(2026, 6, 7),
        date(2025, 10, 12),
        date(2026, 5, 3),
        date(2026, 2, 28),
    ]


def test_impossible_dates_are_skipped():
    assert find_dates("31-02-2026, 30 februari 2026, 2026-13-01 en 29-02-2028") == [date(2028, 2, 29)]


def test_the_letter_yields_everything_at_once():
    findings = find_all("\n".join(LETTER))
    assert findings.bsns == [BSN]
    assert findings.case_references == [REFERENCE]
    assert findings.postcodes == ["3511 AB"]
    assert findings.dates == [date(2026, 3, 5), date(2026, 4, 1)]


def test_body_text_keeps_what_the_letter_is_about_without_what_identifies():
    body = body_text("\n".join(LETTER))
    assert body.splitlines() == [
        "J. de Vries",  # three words: kept, as a sentence of three would be
        "Betreft: verhuizing",
        "Geachte heer, mevrouw,",
        "Op   verhuis ik naar een nieuw adres.",
        "Ik wil mijn verhuizing doorgeven aan de gemeente.",
        "Met vriendelijke groet,",
    ]
    assert BSN not in body.replace(" ", "") and "3511" not in body and REFERENCE not in body
