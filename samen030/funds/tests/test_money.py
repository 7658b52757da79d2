"""Reading and writing euro amounts the Dutch way, in whole cents."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from samen030.funds.money import MAX_CENTS, format_amount, format_plain, parse_amount


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12", 1200),
        ("12,5", 1250),
        ("12,50", 1250),
        ("0,01", 1),
        ("1.234,56", 123456),
        ("1.234.567,89", 123456789),
        ("1234,56", 123456),
        ("€ 1.234,56", 123456),
        ("€\u00a07,-", 700),
        (" 1.000 ", 100000),
        ("12.50", 1250),
        ("0", 0),
        (",50", 50),
        ("1 234,56", 123456),
    ],
)
def test_it_reads_dutch_amounts(text, cents):
    assert parse_amount(text) == cents


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("12,505", "fraction"),
        ("0,001", "fraction"),
        ("-5", "negative"),
        ("−5,00", "negative"),
        ("twaalf", "invalid"),
        ("12,5a", "invalid"),
        ("1.23,45", "invalid"),
        ("1,234,56", "invalid"),
        ("12.5.0", "invalid"),
        ("1e5", "invalid"),
        ("", "empty"),
        ("€", "empty"),
        (",", "invalid"),
        ("99999999999999", "too_large"),
    ],
)
def test_it_refuses_nonsense_with_a_clear_reason(text, code):
    with pytest.raises(ValidationError) as error:
        parse_amount(text)
    assert error.value.code == code


def test_it_writes_dutch_amounts():
    assert format_amount(123456) == "€\u00a01.234,56"
    assert format_amount(5) == "€\u00a00,05"
    assert format_amount(-500) == "€\u00a0-5,00"
    assert format_amount(100_000_000) == "€\u00a01.000.000,00"
    assert format_plain(-123456) == "-1234,56"


@given(st.integers(min_value=0, max_value=MAX_CENTS))
def test_what_it_writes_it_reads_back(cents):
    assert parse_amount(format_amount(cents)) == cents
    assert parse_amount(format_plain(cents)) == cents
