"""A held C.Hasil names each wrong field once beside it and in a summary at the top that links to it."""

import re

from deskpilkada.tally.tests.conftest import KEBON_PEDES_028, MAYOR, make_sheet

SHEET = f"/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/isi/"


def _post_wrong(client, tps028, **changes):
    sheet = make_sheet(tps028.dpt)
    sheet.numbers.update(changes)
    data = {**{k: str(v) for k, v in sheet.as_flat().items()}, "versi": "0"}
    return client.post(SHEET, data).content.decode()


def test_the_summary_names_the_field_and_links_to_it(client_as, tps028):
    page = _post_wrong(client_as("kpps"), tps028, suara_sah=make_sheet(tps028.dpt).numbers["suara_sah"] + 1)
    summary = page.split('id="form-summary"', 1)[1].split("</div>\n", 2)[1]
    assert '<a href="#id_suara_sah" data-jump>Suara sah</a>' in summary
    assert "isian perlu diperbaiki" in page.split('id="form-summary"', 1)[1][:400]


def test_each_error_is_shown_once_beside_its_field(client_as, tps028):
    page = _post_wrong(client_as("kpps"), tps028, suara_sah=make_sheet(tps028.dpt).numbers["suara_sah"] + 1)
    lists = re.findall(r'<ul class="errorlist" id="id_(\w+)_error" data-field="\w+">', page)
    assert len(lists) == len(set(lists)) and "suara_sah" in lists
    assert 'id="client-summary"' not in page  # one summary, kept current by tally-form.js


def test_an_error_in_the_folded_part_opens_it(client_as, tps028):
    page = _post_wrong(client_as("kpps"), tps028, pemilih_disabilitas=-1)
    assert re.search(r"<details[^>]* open>", page)
