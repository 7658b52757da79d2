"""Writing CSV files that are safe to open in a spreadsheet (no formula injection), and reading them back.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and some also after a tab or a carriage
return: text that an organisation or a resident typed (a title, a description, a phone number) could then compute,
link or call out when a board member opens the export. As OWASP advises, every text cell that starts with one of
those characters gets a single quote (') in front, which spreadsheets show as text. So that reading the file back
gives exactly what was written, a text that already starts with a quote followed by one of those characters, or by
another quote, gets one more quote too; `restore()` takes exactly one off again.

Numbers stay numbers: a cell that is an int, float or Decimal is written as it is (`-12` is a negative number, not a
formula), and so is a text cell in a column named as numeric when it looks like a plain number (`-12,50`), so a
spreadsheet still adds up negative amounts. Anything else in a numeric column is treated as text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol

FORMULA_STARTS = frozenset("=+-@\t\r")
QUOTE = "'"
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def defuse(text: str) -> str:
    """The text with a quote in front when a spreadsheet could read it as a formula (see the module docstring)."""
    if text[:1] in FORMULA_STARTS or restore(text) != text:
        return QUOTE + text
    return text


def restore(text: str) -> str:
    """Undo `defuse()`: one leading quote comes off when a formula character or another quote follows it."""
    if text[:1] == QUOTE and text[1:2] and (text[1] in FORMULA_STARTS or text[1] == QUOTE):
        return text[1:]
    return text


class CsvWriter:
    """A csv.writer that writes the header at once and defuses every text cell, except plain numbers in the
    columns named in `numeric`."""

    def __init__(self, stream: Writable, header: Sequence[str], *, numeric: Collection[str] = ()) -> None:
        unknown = set(numeric) - set(header)
        if unknown:  # a programming error, not bad data
            raise ValueError(f"numeric columns not in the header: {sorted(unknown)}")
        self.writer = csv.writer(stream)
        self.numeric = frozenset(index for index, name in enumerate(header) if name in numeric)
        self.writer.writerow([defuse(name) for name in header])

    def cell(self, index: int, value: object) -> object:
        if value is None:
            return ""
        if isinstance(value, int | float | Decimal):
            return value
        text = str(value)  # also lazy translations
        if index in self.numeric and PLAIN_NUMBER.fullmatch(text):
            return text
        return defuse(text)

    def writerow(self, row: Iterable[object]) -> None:
        self.writer.writerow([self.cell(index, value) for index, value in enumerate(row)])
