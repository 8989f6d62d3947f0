"""One number format, the reader's: Indonesian groups thousands with a dot and writes decimals with
a comma (1.530; 97,1%), English the other way round (1,530; 97.1%), in Python, in templates and
on the pages (deskpilkada/numbers.py)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from deskpilkada import numbers

CASES = [
    # (language, number(1530), number(815249), percent(0.971), of(508, 1530), number(12.345, 1))
    ("id", "1.530", "815.249", "97,1%", "508 / 1.530", "12,3"),
    ("en", "1,530", "815,249", "97.1%", "508 / 1,530", "12.3"),
]


@pytest.mark.parametrize(("language", "thousands", "voters", "share", "progress", "decimal"), CASES)
def test_numbers_are_written_in_the_readers_language(language, thousands, voters, share, progress, decimal):
    with translation.override(language):
        assert numbers.number(1530) == thousands
        assert numbers.number(815249) == voters
        assert numbers.percent(0.971) == share
        assert numbers.of(508, 1530) == progress
        assert numbers.number(12.345, 1) == decimal


def test_a_whole_float_stays_whole_a_decimal_string_keeps_its_decimals_and_nothing_is_a_dash():
    with translation.override("id"):
        assert numbers.number(2.0) == "2"
        assert numbers.number("1.02") == "1,02"
        assert numbers.number(Decimal("2.5")) == "2,5"
        assert numbers.percent(0.2) == "20,0%"
        assert numbers.percent(0.97151) == "97,2%"  # rounded, not cut
        assert numbers.number(None) == numbers.percent(None) == "—"


@pytest.mark.parametrize(("language", "expected"), [("id", "1.530 · 97,1% · 12,36"), ("en", "1,530 · 97.1% · 12.36")])
def test_templates_use_the_same_format(language, expected):
    template = Template("{% load desk %}{{ n|number }} · {{ f|percent }} · {{ x|number:2 }}")
    with translation.override(language):
        assert template.render(Context({"n": 1530, "f": 0.971, "x": 12.356})) == expected


@pytest.mark.parametrize(("language", "expected"), [("id", "DPT 2.750"), ("en", "DPT 2,750")])
def test_a_page_counts_in_the_language_chosen(client_as, language, expected):
    client = client_as("kpu")
    client.cookies["django_language"] = language
    html = client.get("/tps/").content.decode()
    assert expected in html  # the eleven TPS of the tests' world, 250 voters each


def test_an_english_request_leaves_the_next_one_in_indonesian(client_as):
    client = client_as("kpu")
    client.cookies["django_language"] = "en"
    assert "DPT 2,750" in client.get("/tps/").content.decode()
    assert translation.get_language() == "id"  # the request's language went with it
    del client.cookies["django_language"]
    assert "DPT 2.750" in client.get("/tps/").content.decode()
