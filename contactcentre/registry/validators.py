"""Validation and normalisation of identifiers and contact data (python-stdnum, phonenumbers).

Each `normalise_*` returns the canonical form or raises django's ValidationError with a Dutch message.
Messages never repeat the value: they may end up in logs or error bodies.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

_KVK = re.compile(r"^\d{8}$")
_email = EmailValidator()


def normalise_bsn(value: str) -> str:
    try:
        return stdnum_bsn.validate(str(value))
    except StdnumError:
        raise ValidationError(_("Dit is geen geldig BSN (elfproef)."), code="invalid_bsn") from None


def validate_bsn(value: str) -> None:
    normalise_bsn(value)


def normalise_rsin(value: str) -> str:
    try:
        # An RSIN is checked with the same elfproef as a BSN (stdnum has no separate module).
        return stdnum_bsn.validate(str(value))
    except StdnumError:
        raise ValidationError(_("Dit is geen geldig RSIN."), code="invalid_rsin") from None


def validate_rsin(value: str) -> None:
    normalise_rsin(value)


def normalise_kvk_number(value: str) -> str:
    compact = re.sub(r"[\s.]", "", str(value))
    if not _KVK.match(compact):
        raise ValidationError(_("Een KvK-nummer bestaat uit 8 cijfers."), code="invalid_kvk_number")
    return compact


def validate_kvk_number(value: str) -> None:
    normalise_kvk_number(value)


def normalise_iban(value: str) -> str:
    try:
        return stdnum_iban.validate(str(value))
    except StdnumError:
        raise ValidationError(_("Dit is geen geldig IBAN (controlegetal klopt niet)."), code="invalid_iban") from None


def validate_iban(value: str) -> None:
    normalise_iban(value)


def normalise_phone(value: str, region: str = "NL") -> str:
    """E.164, e.g. +31612345678. Numbers without a country code are read as Dutch."""
    try:
        number = phonenumbers.parse(str(value), region)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Dit is geen geldig telefoonnummer."), code="invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Dit is geen geldig telefoonnummer."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone_e164(value: str) -> None:
    if normalise_phone(value) != value:
        raise ValidationError(_("Telefoonnummer moet in E.164-notatie staan (bijv. +31612345678)."), code="not_e164")


def normalise_email(value: str) -> str:
    value = str(value).strip()
    try:
        _email(value)
    except ValidationError:
        raise ValidationError(_("Dit is geen geldig e-mailadres."), code="invalid_email") from None
    # Lower-cased whole: mailbox names are case-insensitive in practice, and search must match.
    return value.lower()


def normalise_postcode(value: str, country: str = "NL") -> str:
    if country != "NL":
        return str(value).strip()
    try:
        return stdnum_postcode.validate(str(value))
    except StdnumError:
        raise ValidationError(_("Dit is geen geldige Nederlandse postcode."), code="invalid_postcode") from None
