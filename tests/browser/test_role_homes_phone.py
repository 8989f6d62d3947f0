"""Every role lands on its own work: on a phone, the KPPS of TPS 028 sees "Isi C.Hasil" for each
contest of its TPS on its home page and reaches the form in one tap; the operator sees its held
sheets; the ten-point desk is one tap away."""

from tests.browser.conftest import shot

TPS = "3271061002028"


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_kpps_home_on_a_phone_shows_isi_c_hasil_for_each_contest(page_for):
    page = page_for("kpps.kebonpedes028", phone=True)
    tasks = page.locator("#titik-5 .list-group-item")
    assert tasks.count() == 2
    assert all("Isi C.Hasil" in t for t in tasks.all_inner_texts())
    assert _no_sideways_scroll(page)
    shot(page, "home-kpps-phone")
    tasks.first.click()
    page.wait_for_url(f"**/penghitungan/tps/{TPS}/**/isi/")
    assert page.locator("#id_dpt").is_visible()


def test_the_operator_home_on_a_phone_leads_to_the_held_sheets(page_for):
    page = page_for("operator.kpu", phone=True)
    held = page.get_by_role("link", name="C.Hasil ditahan")
    assert held.is_visible()
    assert _no_sideways_scroll(page)
    shot(page, "home-operator-phone")
    held.click()
    page.wait_for_url("**/penghitungan/ditahan/")


def test_a_module_role_sees_its_point_with_real_figures_and_reaches_the_desk(page_for):
    page = page_for("dinkes", phone=True)  # point 9: officers' health and in-patients
    assert page.locator("#titik-9").is_visible()
    assert page.locator("#titik-9").get_by_text("Modul ini belum dibangun").count() == 0
    shot(page, "home-dinkes-phone")
    page.get_by_role("link", name="Desk 10 titik").click()
    page.wait_for_url("**/desk/")
    assert page.locator("#readiness").is_visible()
    assert _no_sideways_scroll(page) or page.locator(".table-scroll #readiness").count() == 1
    shot(page, "desk-overview-dinkes-phone")
