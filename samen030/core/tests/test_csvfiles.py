"""CSV files that spreadsheets cannot run as formulas, and that read back to exactly what was written."""

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samen030.core.csvfiles import FORMULA_STARTS, CsvWriter, defuse, restore


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 1234 5678", "'+31 6 1234 5678"),
        ("- eerste punt\n- tweede punt", "'- eerste punt\n- tweede punt"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Koffie = gratis", "Koffie = gratis"),
        ("", ""),
        ("'s Avonds", "'s Avonds"),  # a quote that is not ours stays as it is
        ("'=1", "''=1"),  # ... unless reading back would take it off
        ("''", "'''"),
    ],
)
def test_text_that_a_spreadsheet_would_run_gets_a_quote(text, written):
    assert defuse(text) == written
    assert restore(written) == text


@given(st.text())
def test_restore_undoes_defuse_for_every_text(text):
    defused = defuse(text)
    assert restore(defused) == text
    assert defused[:1] not in FORMULA_STARTS


@given(st.text())
def test_a_defused_text_does_not_change_when_defused_again_and_read_back(text):
    assert restore(restore(defuse(defuse(text)))) == text


def test_numbers_stay_numbers_and_text_in_a_number_column_is_still_defused():
    stream = io.StringIO()
    writer = CsvWriter(stream, ["naam", "bedrag", "centen"], numeric={"bedrag"})
    writer.writerow(["-korting", "-12,50", -1250])
    writer.writerow(["=cmd", "-1+cmd", Decimal("-3.5")])
    writer.writerow([None, None, 0])
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows == [
        ["naam", "bedrag", "centen"],
        ["'-korting", "-12,50", "-1250"],
        ["'=cmd", "'-1+cmd", "-3.5"],
        ["", "", "0"],
    ]


def test_a_numeric_column_must_be_in_the_header():
    with pytest.raises(ValueError, match="prijs"):
        CsvWriter(io.StringIO(), ["naam"], numeric={"prijs"})
