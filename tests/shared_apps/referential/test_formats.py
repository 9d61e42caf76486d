"""Numbers written the French way, with the variants the invoices and charts need."""

import pytest

from shared_apps.referential.formats import french_number


@pytest.mark.parametrize(
    ("arguments", "text"),
    [
        ((1200,), "1\u202f200"),
        ((12,), "12"),
        ((1234567.891, 2), "1\u202f234\u202f567,89"),
        ((1234.0, 1), "1\u202f234,0"),
    ],
)
def test_thousands_take_a_narrow_no_break_space_and_decimals_a_comma(arguments, text):
    assert french_number(*arguments) == text


def test_trimming_drops_a_decimal_part_of_zeros_only():
    assert french_number(12.0, 1, trim_zeros=True) == "12"
    assert french_number(12.5, 1, trim_zeros=True) == "12,5"
    assert french_number(10.04, 1, trim_zeros=True) == "10"
    assert french_number(1200, trim_zeros=True) == "1\u202f200"


def test_the_thousands_separator_can_be_another_or_none():
    assert french_number(123456.7, 2, thousands=" ") == "123 456,70"
    assert french_number(123456.7, 2, thousands="") == "123456,70"
