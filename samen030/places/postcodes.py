"""Dutch postcodes: normalising what people type to the six-character PC6 form."""

from __future__ import annotations

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import postcode as nl_postcode


def normalise_postcode(value: str) -> str | None:
    """'3511 ab' -> '3511AB'; None when it is not a valid Dutch postcode."""
    try:
        return str(nl_postcode.validate(value)).replace(" ", "")
    except StdnumValidationError:
        return None


def format_postcode(pc6: str) -> str:
    return f"{pc6[:4]} {pc6[4:]}"
