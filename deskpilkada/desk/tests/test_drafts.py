"""Forms that hold typed figures are kept as drafts in the browser (desk.js); the page that
confirms a save carries the form's key, so the browser drops the draft."""

import pytest

from deskpilkada.tally.tests.conftest import KEBON_PEDES_028, MAYOR, make_sheet
from deskpilkada.tps.models import Tps

SHEET = f"/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/isi/"
KEY = f"chasil:{KEBON_PEDES_028}:{MAYOR}"


def _figures(sheet) -> dict:
    return {**{k: str(v) for k, v in sheet.as_flat().items()}, "versi": "0"}


@pytest.mark.parametrize(
    ("who", "url", "key"),
    [
        ("kpps", SHEET, KEY),
        ("kpps", f"/undangan/tps/{KEBON_PEDES_028}/", f"undangan:{KEBON_PEDES_028}"),
        ("ppk", f"/penghitungan/d-hasil/{MAYOR}/32.71.04/", f"d-hasil:{MAYOR}:32.71.04"),
        ("admin", "/pengguna/baru/", "pengguna-baru"),
    ],
)
def test_forms_with_typed_figures_keep_a_draft_in_the_browser(client_as, who, url, key):
    page = client_as(who).get(url).content.decode()
    assert f'data-draft="{key}"' in page and "data-draft-bound" not in page


def test_a_saved_sheet_tells_the_browser_to_drop_its_draft(client_as, db):
    c = client_as("kpps")
    tps = Tps.objects.get(code=KEBON_PEDES_028)
    response = c.post(SHEET, _figures(make_sheet(tps.dpt)), follow=True)
    assert f'data-draft-saved="{KEY}"' in response.content.decode()
    assert f'data-draft-saved="{KEY}"' not in c.get(SHEET).content.decode()  # said once


def test_a_held_sheet_is_saved_too_and_the_form_shown_again_is_not_restored_over(client_as, db):
    tps = Tps.objects.get(code=KEBON_PEDES_028)
    wrong = make_sheet(tps.dpt)
    wrong.numbers["suara_sah"] += 1
    page = client_as("kpps").post(SHEET, _figures(wrong)).content.decode()
    assert f'data-draft-saved="{KEY}"' in page and "data-draft-bound" in page


def test_the_signed_in_users_drafts_are_their_own(client_as, persona, db):
    page = client_as("kpps").get(SHEET).content.decode()
    assert f'data-user="{persona("kpps").pk}"' in page  # desk.js keys drafts by user
