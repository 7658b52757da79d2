"""Dutch identifiers of organisations, checked with python-stdnum where it knows them."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import bsn as stdnum_bsn

from samen030.places.postcodes import normalise_postcode


def clean_kvk_number(value: str) -> str:
    digits = re.sub(r"[\s.]", "", value)
    if not re.fullmatch(r"\d{8}", digits):
        raise ValidationError(_("A KvK number has exactly 8 digits."), code="kvk")
    return digits


def clean_rsin(value: str) -> str:
    """RSIN: 9 digits passing the 11-proef, the same check as a BSN."""
    try:
        return str(stdnum_bsn.validate(value))
    except StdnumValidationError:
        raise ValidationError(
            _("This is not a valid RSIN. An RSIN has 9 digits; please check for a typing error."), code="rsin"
        ) from None


def clean_iban(value: str) -> str:
    try:
        return str(stdnum_iban.validate(value))
    except StdnumValidationError:
        raise ValidationError(
            _("This is not a valid IBAN. Check the number on your bank card, for example NL91 ABNA 0417 1643 00."),
            code="iban",
        ) from None


def clean_postcode(value: str) -> str:
    pc6 = normalise_postcode(value)
    if pc6 is None:
        raise ValidationError(_("Enter a Dutch postcode, for example 3511 AB."), code="postcode")
    return pc6


def validate_kvk_number(value: str) -> None:
    clean_kvk_number(value)


def validate_rsin(value: str) -> None:
    clean_rsin(value)


def validate_iban(value: str) -> None:
    clean_iban(value)


def validate_postcode(value: str) -> None:
    clean_postcode(value)
