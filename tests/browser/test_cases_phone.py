"""The case desk end to end on phones: a citizen reports from /lapor/ and gets a tracking code;
Bawaslu finds the report in its inbox, verifies it, takes it on, acts and closes it; the citizen's
status page shows each new status, and never a name or a contact."""

import re

from tests.browser.conftest import shot

CODE = re.compile(r"^[ACDEFGHJKMNPQRTUVWXY234679]{12}$")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_citizen_report_is_triaged_and_closed_by_bawaslu_and_the_citizen_sees_it(page_for):
    citizen = page_for(None, phone=True)
    citizen.goto("/lapor/")
    assert _fits(citizen)
    citizen.select_option("#id_category", "fraud")
    citizen.fill("#id_description", "Ada pembagian amplop berisi uang di gang dekat TPS 028 pagi ini (uji).")
    citizen.select_option("#id_kelurahan", label="Kebon Pedes — Tanah Sareal")
    citizen.fill("#id_tps_number", "28")
    citizen.fill("#id_occurred_at", "2024-11-27T09:00")
    citizen.fill("#id_contact", "0812-0000-0000")
    citizen.get_by_role("button", name="Kirim laporan").click()
    citizen.wait_for_url("**/lapor/status/*/")
    code = citizen.locator("#tracking-code").inner_text().strip()
    assert CODE.match(code)
    assert "Baru" in citizen.locator("#current-status").inner_text()
    assert "0812" not in citizen.content()
    assert _fits(citizen)
    shot(citizen, "cases-citizen-code-phone")

    officer = page_for("bawaslu", phone=True)
    officer.goto(f"/kasus/?q={code}")
    officer.get_by_role("link", name=re.compile("amplop")).first.click()
    officer.wait_for_url("**/kasus/*/")
    assert "0812-0000-0000" in officer.content()  # the handler sees the contact
    assert _fits(officer)
    for status in ("Terverifikasi", "Ditangani"):
        officer.get_by_role("button", name=status, exact=True).click()
        officer.wait_for_load_state()
        assert officer.get_by_text("Status diubah.").is_visible()
    officer.select_option("#petugas", label="Staf Bawaslu Kota (demo) (Bawaslu Kota Bogor)")
    officer.get_by_role("button", name="Tugaskan", exact=True).click()
    officer.wait_for_load_state()
    assert officer.get_by_text("Penanggung jawab dicatat.").is_visible()
    for status in ("Ditindaklanjuti", "Selesai"):
        officer.get_by_role("button", name=status, exact=True).click()
        officer.wait_for_load_state()
    assert "Status: selesai" in officer.content()
    shot(officer, "cases-bawaslu-closed-phone")

    citizen.goto(f"/lapor/status/{code.lower()}/")
    assert "Selesai" in citizen.locator("#current-status").inner_text()
    history = citizen.locator("ol").inner_text()
    assert "Terverifikasi" in history and "Ditindaklanjuti" in history
    assert "Staf Bawaslu" not in citizen.content() and "0812" not in citizen.content()


def test_the_bawaslu_home_leads_to_overdue_cases_and_the_public_finds_the_clarification(page_for):
    officer = page_for("bawaslu", phone=True)
    tasks = officer.locator("#titik-6 .list-group-item")
    assert tasks.count() >= 1
    assert "Kasus lewat tenggat" in tasks.first.inner_text()
    assert _fits(officer)
    shot(officer, "home-bawaslu-cases-phone")
    public = page_for(None, phone=True)
    public.goto("/")
    public.get_by_role("link", name="Klarifikasi hoaks").first.click()
    public.wait_for_url("**/klarifikasi/")
    public.get_by_role("link", name=re.compile("Pencoblosan tetap 27 November")).click()
    assert public.locator("meta[property='og:title']").get_attribute("content").startswith("[Hoaks]")
    assert _fits(public)
