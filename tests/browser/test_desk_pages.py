"""The desk admin's tour and the KPPS on a phone, in a real browser."""

import re

from deskpilkada.desk.points import POINTS
from tests.browser.conftest import shot


def test_desk_admin_sees_the_ten_points_and_the_real_city(page_for):
    page = page_for("admin.kesbangpol")
    page.get_by_role("link", name="Desk 10 titik").click()  # the home is the admin's own tasks; the desk one tap away
    page.wait_for_url("**/desk/")
    assert page.locator(".tile").count() == 10
    assert "1.530" in page.locator("#area-totals").inner_text() or "1,530" in page.locator("#area-totals").inner_text()
    assert "815" in page.locator("#area-totals").inner_text()
    unbuilt = sum(not p.built for p in POINTS)  # none since points 3 and 9 were built
    assert page.get_by_text("Modul belum dibangun").count() == unbuilt
    shot(page, "01-home-desk-admin")


def test_tps_list_filters_by_kecamatan_and_searches(page_for):
    page = page_for("admin.kesbangpol")
    page.goto("/tps/")
    assert "1.530 TPS" in page.locator("#results").inner_text() or "1,530 TPS" in page.locator("#results").inner_text()
    page.select_option("select[name=kecamatan]", "32.71.04")
    page.wait_for_url(re.compile(r"kecamatan=32\.71\.04"))
    assert "352 TPS" in page.locator("#results").inner_text()
    page.fill("#q", "Lapas")
    page.select_option("select[name=kecamatan]", "")
    page.wait_for_function("() => document.querySelector('#results').innerText.includes('2 TPS')")
    shot(page, "02-tps-list")


def test_tps_detail_shows_the_special_tps_at_lapas_paledang_on_a_map(page_for):
    page = page_for("admin.kesbangpol")
    page.goto("/tps/3271031002901/")
    assert "Lapas" in page.content()
    page.wait_for_selector("#map path.leaflet-interactive")
    shot(page, "03-tps-detail")


def test_map_draws_every_tps_without_a_tile_server(page_for):
    page = page_for("admin.kesbangpol")
    page.goto("/tps/peta/")
    page.wait_for_function("() => /^1[.,]?530 /.test(document.getElementById('map-status').innerText)")
    shot(page, "04-tps-map")


def test_kpps_on_a_phone_sees_only_their_own_tps(page_for):
    page = page_for("kpps.kebonpedes028", phone=True)
    page.goto("/tps/")
    text = page.locator("#results").inner_text()
    assert "1 TPS" in text and "3271061002028" in text
    response = page.goto("/tps/3271041001001/")
    assert response.status == 403
    assert "Akses ditolak" in page.content()
    page.goto("/")
    shot(page, "05-home-kpps-phone")
