"""What a letter's text names: valid BSNs, case references, Dutch postcodes and dates.

Pure functions over text (OCR output included); nothing is stored or logged here. A BSN counts only
with its elfproef (python-stdnum), so a bank or phone number that happens to have nine digits is not
taken for one.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from stdnum.nl import bsn as stdnum_bsn

from casemanagement.services import normalise_reference

# Nine digits, grouped with spaces or dots at most one apart ("111222333", "111 222 333",
# "1112.22.333"), not part of a longer run of digits.
_BSN = re.compile(r"(?<!\d)(?<!\d[ .])(\d(?:[ .]?\d){8})(?![ .]?\d)")
# The first line's own case references: Z, the year's two digits and eight more ("Z2612345678").
_GENERATED_REFERENCE = re.compile(r"\bZ\s?\d{2}\s?\d{8}\b")
# Any other organisation's reference, as letters label it: "Zaaknummer: ABC-2026-0001".
_LABELLED_REFERENCE = re.compile(
    r"\b(?:zaaknummer|zaaknr\.?|zaak|kenmerk|uw kenmerk|ons kenmerk|referentie|dossiernummer)\s*[:.]?\s*"
    r"([A-Z0-9][A-Z0-9/-]{2,38}[A-Z0-9])\b",
    re.IGNORECASE,
)
# 1234 AB: no leading zero; SA, SD and SS are never issued.
_POSTCODE = re.compile(r"\b([1-9]\d{3})\s?(?!SA|SD|SS)([A-Z]{2})\b")
MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8, "september": 9, "sep": 9,
    "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_NUMERIC_DATE = re.compile(r"(?<![\d.-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?![\d])")
_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d])")
_WRITTEN_DATE = re.compile(
    r"\b(\d{1,2})\s+(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{4})\b", re.IGNORECASE
)

_SUBJECT = re.compile(r"(?:betreft|onderwerp)\b", re.IGNORECASE)


@dataclass
class Findings:
    bsns: list[str] = field(default_factory=list)
    case_references: list[str] = field(default_factory=list)
    postcodes: list[str] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)


def find_all(text: str) -> Findings:
    return Findings(
        bsns=find_bsns(text),
        case_references=find_case_references(text),
        postcodes=find_postcodes(text),
        dates=find_dates(text),
    )


def find_bsns(text: str) -> list[str]:
    """The valid BSNs in the text, nine digits each, in order of appearance, each once."""
    found = (re.sub(r"[ .]", "", match.group(1)) for match in _BSN.finditer(text))
    return list(dict.fromkeys(number for number in found if stdnum_bsn.is_valid(number)))


def find_case_references(text: str) -> list[str]:
    """Case references, normalised as the case register keeps them (upper case, no spaces). A labelled
    reference must hold a letter and at least three digits (not a word, not a BSN or a date)."""
    found = [normalise_reference(m.group(0)) for m in _GENERATED_REFERENCE.finditer(text)]
    for match in _LABELLED_REFERENCE.finditer(text):
        candidate = normalise_reference(match.group(1))
        if any(c.isalpha() for c in candidate) and sum(c.isdigit() for c in candidate) >= 3:
            found.append(candidate)
    return list(dict.fromkeys(found))


def find_postcodes(text: str) -> list[str]:
    """Dutch postcodes as "1234 AB"."""
    return list(dict.fromkeys(f"{digits} {letters}" for digits, letters in _POSTCODE.findall(text)))


def find_dates(text: str) -> list[date]:
    """Dates written the Dutch way (day first: 5-3-2026, 05/03/2026, 5.3.2026, 5 maart 2026, 5 mrt. 2026)
    or as ISO 8601 (2026-03-05), in order of appearance; impossible dates (31-2-2026) are skipped."""
    candidates: list[tuple[int, int, int, int]] = []  # (position, year, month, day)
    for match in _NUMERIC_DATE.finditer(text):
        day, _separator, month, year = match.groups()
        candidates.append((match.start(), int(year), int(month), int(day)))
    for match in _ISO_DATE.finditer(text):
        year, month, day = match.groups()
        candidates.append((match.start(), int(year), int(month), int(day)))
    for match in _WRITTEN_DATE.finditer(text):
        day, month, year = match.groups()
        candidates.append((match.start(), int(year), MONTHS[month.lower()], int(day)))
    found = []
    for _position, year, month, day in sorted(candidates):
        try:
            found.append(date(year, month, day))
        except ValueError:
            continue
    return list(dict.fromkeys(found))


def body_text(text: str) -> str:
    """The letter without what only identifies (BSNs, postcodes, references, dates) and without the
    short lines of the address block and salutation, the subject line kept: what the knowledge search
    classifies on, as its query reads only the first few dozen words."""
    kept = []
    identifying = (_BSN, _POSTCODE, _GENERATED_REFERENCE, _LABELLED_REFERENCE, _NUMERIC_DATE, _ISO_DATE, _WRITTEN_DATE)
    for line in text.splitlines():
        for pattern in identifying:
            line = pattern.sub(" ", line)
        line = line.strip()
        if len(line.split()) >= 3 or _SUBJECT.match(line):
            kept.append(line)
    return "\n".join(kept)
