"""Hospital voting on a phone: RSUD Kota Bogor's staff schedule one more ward visit on its own hospital's
page, open it, mark it done with the voters served, and Dinkes sees the voters served on the hospital's
page; RSUD's staff cannot open another hospital."""

from tests.browser.conftest import shot

RSUD, PMI = "3271104", "3271013"


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_hospital_schedules_a_visit_and_marks_it_done_with_the_voters_served_on_a_phone(page_for):
    rs = page_for("rs.rsudkotabogor", phone=True)
    problems: list[str] = []
    rs.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    rs.on("pageerror", lambda e: problems.append(str(e)))
    rs.goto(f"/kesehatan/rumah-sakit/{RSUD}/")
    assert _fits(rs)
    rs.get_by_text("Jadwalkan kunjungan").first.click()
    rs.fill("#id_v-ward", "Bangsal Uji Telepon")
    rs.fill("#id_v-starts_at", "2024-11-27T12:30")
    rs.fill("#id_v-ballots", "10")
    rs.get_by_role("button", name="Jadwalkan").click()
    rs.wait_for_url(f"**/kesehatan/rumah-sakit/{RSUD}/")
    rs.get_by_role("link", name="Bangsal Uji Telepon").click()
    rs.wait_for_url("**/kunjungan/**")
    assert _fits(rs)
    rs.fill("#id_d-voters_served", "11")  # more than the ballots carried: refused, naming the field
    rs.get_by_role("button", name="Tandai selesai").click()
    assert rs.get_by_text("Pemilih dilayani: tidak boleh melebihi surat suara yang dibawa (10).").is_visible()
    rs.fill("#id_d-voters_served", "8")
    shot(rs, "health-visit-done-phone")
    rs.get_by_role("button", name="Tandai selesai").click()
    rs.wait_for_url("**/kunjungan/**")
    assert "8 pemilih dilayani" in rs.locator("#visit-status").inner_text()
    assert _fits(rs)
    assert not problems, problems

    dinkes = page_for("dinkes", phone=True)
    dinkes.goto(f"/kesehatan/rumah-sakit/{RSUD}/")
    row = dinkes.get_by_role("row").filter(has_text="Bangsal Uji Telepon")
    assert "selesai" in row.inner_text() and "8" in row.inner_text()
    assert _fits(dinkes)
    assert rs.goto(f"/kesehatan/rumah-sakit/{PMI}/").status == 404  # another hospital stays hidden
