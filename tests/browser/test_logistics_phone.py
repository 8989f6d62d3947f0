"""Logistics end to end on a phone (issue 11): PPS Kebon Pedes finds the shipment on its way to it,
opens it by typing the label's short code on the scan page, counts one mayoral ballot box short and
signs; the desk then sees the replacement request."""

import re

from tests.browser.conftest import shot


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_pps_receives_a_shipment_short_on_a_phone_and_the_desk_sees_the_replacement(page_for):
    pps = page_for("pps.kebonpedes", phone=True)
    pps.goto("/logistik/kiriman/?arah=masuk&status=sent")
    assert _fits(pps)
    link = pps.get_by_role("link", name=re.compile(r"^[A-Z0-9]{8}$")).first
    code = link.inner_text().strip()
    pps.goto("/logistik/pindai/")
    assert pps.get_by_role("button", name="Nyalakan kamera").is_visible()
    assert _fits(pps)
    pps.fill("#kode", code.lower())
    pps.get_by_role("button", name="Buka").click()
    pps.wait_for_url(f"**/logistik/kiriman/{code}/terima/")
    assert _fits(pps)
    shot(pps, "logistics-receive-phone")
    box = pps.locator("fieldset", has_text="Kotak suara Wali Kota").locator("input[name^=dihitung_]")
    sent = int(box.input_value())
    box.fill(str(sent - 1))
    pps.check("#kedap_ya")
    pps.fill("#penanda_tangan", "Ketua PPS Kebon Pedes (uji)")
    pps.get_by_role("button", name="Simpan penerimaan").click()
    pps.wait_for_url(f"**/logistik/kiriman/{code}/")
    assert "diterima kurang" in pps.content()
    replacement = pps.locator("h2:has-text('Pengganti') + ul a").first.inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{8}", replacement)
    assert _fits(pps)
    shot(pps, "logistics-received-short-phone")

    desk = page_for("sekda", phone=True)
    desk.goto("/logistik/?wilayah=32.71")
    assert desk.get_by_role("link", name=replacement).is_visible()
    assert _fits(desk)
    desk.goto("/desk/")
    tile = desk.locator(".tile", has=desk.get_by_role("link", name="Logistik", exact=True))
    assert tile.get_by_text("Permintaan pengganti terbuka").is_visible()
    shot(desk, "logistics-desk-phone")
