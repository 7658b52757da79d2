import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from samen030.organisations import validators


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English; the Dutch ones are checked by the translation tests."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("value", "clean"), [("12345678", "12345678"), ("1234 5678", "12345678"), ("12.34.56.78", "12345678")]
)
def test_good_kvk_numbers(value, clean):
    assert validators.clean_kvk_number(value) == clean


@pytest.mark.parametrize("value", ["1234567", "123456789", "1234567a", ""])
def test_bad_kvk_numbers(value):
    with pytest.raises(ValidationError, match="8 digits"):
        validators.clean_kvk_number(value)


def test_a_valid_rsin_passes_the_11_proef():
    assert validators.clean_rsin("001855013") == "001855013"


@pytest.mark.parametrize("value", ["001855014", "12345678", "abcdefghi"])
def test_an_invalid_rsin_is_refused(value):
    with pytest.raises(ValidationError, match="RSIN"):
        validators.clean_rsin(value)


@pytest.mark.parametrize(
    ("value", "clean"), [("NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"), ("nl91abna0417164300", "NL91ABNA0417164300")]
)
def test_good_ibans(value, clean):
    assert validators.clean_iban(value) == clean


@pytest.mark.parametrize("value", ["NL92ABNA0417164300", "NL91ABNA041716430", "12345"])
def test_bad_ibans(value):
    with pytest.raises(ValidationError, match="IBAN"):
        validators.clean_iban(value)


@pytest.mark.parametrize(("value", "clean"), [("3511 ab", "3511AB"), ("3511AB", "3511AB")])
def test_good_postcodes(value, clean):
    assert validators.clean_postcode(value) == clean


@pytest.mark.parametrize("value", ["0511AB", "3511", "3511 SA", "ABCDEF"])
def test_bad_postcodes(value):
    with pytest.raises(ValidationError, match="postcode"):
        validators.clean_postcode(value)
