"""TPS readiness end to end on phones: the KPPS of TPS 028 Kebon Pedes fills the checklist with one
failed item (and a note), sees the warning on its TPS page, and the desk sees one more open warning
at that TPS on the readiness map — drawn without a tile server — and the item in the list of open
warnings."""

import re

from tests.browser.conftest import shot

TPS = "3271061002028"
MAP = f"/kesiapan/peta/?lapisan=kesiapan&wilayah={TPS}"


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _open_warnings_on_the_map(page) -> int:
    """The open warnings the map's popup of TPS 028 states (its pin coloured as flagged, or not)."""
    page.goto(MAP)
    pin = page.locator("#map .map-pin")
    pin.wait_for()
    assert pin.inner_text().strip() == "28"
    pin.click()
    text = page.locator("#map .leaflet-popup-content").inner_text()
    found = re.search(r"(\d+) peringatan terbuka", text)
    return int(found.group(1)) if found else 0


def test_a_kpps_fills_the_checklist_with_one_failed_item_and_the_desk_sees_it_on_the_map(page_for):
    desk = page_for("admin.kesbangpol", phone=True)
    problems: list[str] = []
    desk.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    desk.on("pageerror", lambda e: problems.append(str(e)))
    before = _open_warnings_on_the_map(desk)

    kpps = page_for("kpps.kebonpedes028", phone=True)
    kpps.goto(f"/kesiapan/tps/{TPS}/periksa/")
    assert _fits(kpps)
    kpps.select_option("#id_penerangan", "tidak")
    kpps.locator("#butir-penerangan summary").click()
    kpps.fill("#id_catatan_penerangan", "Lampu sorot belum datang (uji)")
    kpps.select_option("#id_lokasi", "ya")
    shot(kpps, "readiness-checklist-phone")
    kpps.get_by_role("button", name="Simpan daftar periksa").click()
    kpps.wait_for_url(f"**/kesiapan/tps/{TPS}/")
    assert kpps.get_by_text("1 peringatan baru untuk diperbaiki").is_visible()
    assert "Lampu sorot belum datang" in kpps.content()
    assert _fits(kpps)

    assert _open_warnings_on_the_map(desk) == before + 1
    assert desk.locator("#map .map-pin.status-flagged").count() == 1
    shot(desk, "readiness-map-phone")
    desk.get_by_label("Celah keamanan").check()  # another layer of the same map, no new request
    desk.locator("#map .map-pin.status-gap, #map .map-pin.status-covered").first.wait_for()
    assert desk.locator("#map .map-pin.status-flagged").count() == 0
    desk.goto(f"/kesiapan/peringatan/?wilayah={TPS}")
    assert desk.get_by_role("cell", name="Penerangan cukup untuk penghitungan malam").is_visible()
    assert _fits(desk)
    assert not problems, problems
