"""What a new user looks for, on a phone: the TPS look-up from the public menu, the invitation
report from the TPS map's popup, and API docs that fit the screen."""

from tests.browser.conftest import shot

TPS = "3271061002028"


def test_a_voter_finds_the_tps_lookup_and_cekdptonline_from_the_public_menu(page_for):
    page = page_for(None, phone=True)
    page.goto("/hasil/")
    page.locator(".navbar-toggler").click()
    menu = page.locator("#nav")
    assert menu.get_by_role("link", name="cekdptonline KPU").get_attribute("href").startswith("https://cekdptonline")
    menu.get_by_role("link", name="Cek TPS").click()
    page.wait_for_url("**/cek-tps/")
    page.goto("/")
    assert page.get_by_role("link", name="Cek TPS Anda").is_visible()
    shot(page, "54-public-home-links-phone")


def test_the_kpps_opens_the_invitation_report_from_the_tps_map_popup(page_for):
    page = page_for("kpps.kebonpedes028", phone=True)
    page.goto("/tps/peta/")
    page.wait_for_selector("#map .map-pin")
    page.locator("#map .map-pin").first.dispatch_event("click")  # (a real tap may land on the sticky navbar)
    link = page.locator("#map .leaflet-popup-content").get_by_role("link", name="Laporan undangan")
    page.wait_for_timeout(400)  # the popup fades in
    shot(page, "55-tps-map-popup-invitation-link-phone")
    link.click()
    page.wait_for_url(f"**/undangan/tps/{TPS}/")
    assert int(page.input_value("#id_delivered")) > 0  # the day already reported, not a form at zero


def test_the_api_docs_fit_a_phone(page_for):
    page = page_for(None, phone=True)
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui")
    assert page.evaluate("() => document.documentElement.clientWidth") == 390
