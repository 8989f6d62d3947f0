"""Codes and counts take ASCII digits only: `\\d` and str.isdigit() also take "٣" (Arabic-Indic)
or "²", which would be stored as a code no one can type, or crash int()."""

import pytest

from deskpilkada.imports import parse_int
from deskpilkada.regions.codes import CodeError, normalize_region_code
from deskpilkada.tps.codes import normalize_tps_code


def test_region_and_tps_codes_are_still_read_dotted_or_not():
    assert normalize_region_code("3271061002") == "32.71.06.1002"
    assert normalize_region_code("32.71.06") == "32.71.06"
    assert normalize_tps_code("32.71.06.1002.028") == normalize_tps_code("3271061002028") == "3271061002028"


@pytest.mark.parametrize("code", ["٣٢.٧١", "٣٢٧١", "３２７１", "32.71\n.06", "32²"])
def test_a_region_code_with_other_digits_is_refused(code):
    with pytest.raises(CodeError):
        normalize_region_code(code)


@pytest.mark.parametrize("code", ["٣٢٧١٠٦١٠٠٢٠٢٨", "327106100202٨", "32.71.06.1002.0²8", "3271061002028\n1"])
def test_a_tps_code_with_other_digits_is_refused(code):
    with pytest.raises(CodeError):
        normalize_tps_code(code)


@pytest.mark.parametrize("text", ["1_000", "+5", "٣", "²", "1.000", "12a"])
def test_a_count_is_plain_digits(text):
    with pytest.raises(ValueError, match="bukan bilangan bulat"):
        parse_int(text)


def test_a_count_may_be_negative_or_spaced():
    assert parse_int("-1", minimum=-5) == -1
    assert parse_int("1 234") == 1234


def test_searching_the_tps_list_for_a_superscript_digit_is_no_error(client_as):
    page = client_as("admin").get("/tps/", {"q": "²"})
    assert page.status_code == 200
