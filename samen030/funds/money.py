"""Money as whole euro cents (int), never floats: reading amounts written the Dutch way and writing them back."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Ten billion euro: far above any neighbourhood fund, far below what a 64-bit column holds.
MAX_CENTS = 10**12

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 1.234 or 12.345.678: dots between groups of three
_PLAIN = re.compile(r"^\d+$")


def parse_amount(text: str) -> int:
    """'12' → 1200, '12,5' → 1250, '1.234,56' → 123456, '€ 7,-' → 700. Raises ValidationError with a clear
    message for anything else: fractions of cents, minus signs, letters, or more than ten billion euro."""
    cleaned = text.strip().replace("€", "").replace("\u00a0", "").replace(" ", "")
    if cleaned.endswith((",-", ",—", ",–")):
        cleaned = cleaned[:-2]
    if not cleaned:
        raise ValidationError(_("Enter an amount, for example 12,50."), code="empty")
    if cleaned.startswith(("-", "−")):
        raise ValidationError(_("Enter the amount without a minus sign."), code="negative")
    euros, separator, cents = cleaned.rpartition(",") if "," in cleaned else (cleaned, "", "")
    if not separator and euros.count(".") == 1 and re.fullmatch(r"\d+\.\d{1,2}", euros):
        # '12.50' is how English keyboards write it; with one or two digits after the dot it cannot be thousands.
        euros, cents = euros.split(".")
    if cents and not _PLAIN.match(cents):
        raise ValidationError(_("Write the amount with digits, for example 1.234,56."), code="invalid")
    if len(cents) > 2:
        raise ValidationError(
            _("An amount cannot have fractions of a cent: use at most two digits after the comma."), code="fraction"
        )
    if not euros and cents:  # ',50' is fifty cents
        euros = "0"
    if _GROUPED.match(euros):
        euros = euros.replace(".", "")
    if not _PLAIN.match(euros):
        raise ValidationError(_("Write the amount with digits, for example 1.234,56."), code="invalid")
    total = int(euros) * 100 + int(cents.ljust(2, "0") or "0")
    if total > MAX_CENTS:
        raise ValidationError(_("This amount is too large."), code="too_large")
    return total


def format_amount(cents: int) -> str:
    """123456 → '€ 1.234,56' and -500 → '€ -5,00', with a non-breaking space after the euro sign."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", ".")
    return f"€\u00a0{sign}{grouped},{rest:02d}"


def format_plain(cents: int) -> str:
    """123456 → '1234,56': for CSV files that spreadsheets in Dutch read as a number."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros},{rest:02d}"
