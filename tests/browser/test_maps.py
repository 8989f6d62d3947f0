"""Every map on a phone, with no tile server: a legend inside the map, region names, markers that
cluster instead of piling up, and no console error. Screenshots of the maps in
test-artifacts/screenshots/."""

import pytest

from tests.browser.conftest import SCREENSHOTS

MAYOR = "pilwalkot-bogor-2024"
ADMIN = "admin.kesbangpol"

# (who, path, what must be drawn, screenshot)
MAPS = [
    (ADMIN, "/tps/peta/", "#map .map-cluster", "30-map-tps-phone"),
    (ADMIN, "/undangan/peta/?hari=1", "#map .map-cluster", "31-map-invitations-phone"),
    (ADMIN, "/sosialisasi/", "#map .map-pin, #map .map-cluster", "32-map-activities-phone"),
    (ADMIN, "/tps/3271031002901/", "#map path.leaflet-interactive", "33-map-tps-detail-phone"),
    (None, "/cek-tps/kelurahan/32.71.06.1002/", "#map .map-pin, #map .map-cluster", "34-map-kelurahan-tps-phone"),
    (None, f"/hasil/{MAYOR}/32.71/", "#map .map-pin", "35-map-results-city-phone"),
    (None, f"/hasil/{MAYOR}/32.71.04/", "#map .map-pin", "36-map-results-kecamatan-phone"),
    (None, f"/hasil/{MAYOR}/32.71.06.1002/", "#map .map-pin, #map .map-cluster", "37-map-results-kelurahan-phone"),
    (ADMIN, "/kesiapan/peta/", "#map .map-cluster", "38-map-readiness-phone"),
]


def shot(page, name: str) -> None:
    """The map itself, at the size the phone shows it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#map").screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def open_map(page_for, who, path, ready):
    page = page_for(who, phone=True)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.goto(path)
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    page.locator("#map").evaluate("e => e.scrollIntoView({block: 'center'})")  # clear of the sticky navbar
    return page, problems


@pytest.mark.parametrize(("who", "path", "ready", "name"), MAPS, ids=[m[3] for m in MAPS])
def test_every_map_has_a_legend_inside_it_on_a_phone(page_for, who, path, ready, name):
    page, problems = open_map(page_for, who, path, ready)
    legend = page.locator("#map .map-legend")
    assert legend.is_visible() and legend.inner_text().strip()
    box, frame = legend.bounding_box(), page.locator("#map").bounding_box()
    assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1  # inside the map
    shot(page, name)
    assert not problems, problems


def test_the_tps_map_names_the_kecamatan_and_clusters_1530_tps_without_permanent_labels(page_for):
    page, problems = open_map(page_for, ADMIN, "/tps/peta/", "#map .map-cluster")
    page.wait_for_function("() => /^1[.,]?530 /.test(document.getElementById('map-status').innerText)")
    names = page.eval_on_selector_all(
        "#map .map-label-top:not(.map-label-off):not(.map-label-hidden)", "els => els.map(e => e.innerText)"
    )
    assert "BOGOR BARAT" in [n.upper() for n in names] and len(names) >= 4
    assert page.locator("#map .leaflet-tooltip-permanent").count() == 0
    clustered = page.eval_on_selector_all("#map .map-cluster-count", "els => els.map(e => e.innerText)")
    assert (
        sum(int(n.replace(".", "").replace(",", "")) for n in clustered) + page.locator("#map .map-pin").count() == 1530
    )
    assert len(clustered) < 60  # grouped, not 1,530 dots on a phone
    # Zoomed in, the kelurahan names replace the kecamatan names, and none overlaps another.
    sub = page.locator("#map .map-label-sub:not(.map-label-off)")
    for _ in range(4):  # from about zoom 12 to the kelurahan zoom
        if sub.count():
            break
        page.locator("#map .leaflet-control-zoom-in").click()
        page.wait_for_timeout(700)
    assert sub.count() > 0 and page.locator("#map .map-label-top:not(.map-label-off)").count() == 0
    rects = page.eval_on_selector_all(
        "#map .map-label:not(.map-label-off):not(.map-label-hidden) span",
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })",
    )
    overlaps = [
        (a, b)
        for i, a in enumerate(rects)
        for b in rects[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    assert not overlaps
    shot(page, "38-map-tps-zoomed-phone")
    assert not problems, problems


def test_the_results_map_names_the_leading_paslon_by_number_and_names(page_for):
    page, problems = open_map(page_for, None, f"/hasil/{MAYOR}/32.71/", "#map .map-pin")
    legend = page.locator("#map .map-legend")
    if legend.get_attribute("open") is None:  # folded on a phone: one tap opens it
        legend.locator("summary").click()
    assert "3 · Dedie A. Rachim – Jenal Mutaqin" in legend.inner_text()
    assert "paslon 3" not in page.locator("#map").inner_text().lower()
    page.locator("#map .map-pin").last.dispatch_event("click")  # (a real tap may land on the sticky navbar)
    popup = page.locator("#map .leaflet-popup-content").inner_text()
    page.wait_for_timeout(400)  # the popup fades in
    assert " · " in popup and "unggul" in popup
    shot(page, "39-map-results-popup-phone")
    assert not problems, problems
