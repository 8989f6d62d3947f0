"""Officers end to end on a phone (issue 13): PPS Kebon Pedes opens Tanah Sareal's first bimtek, finds an
invitee of its kelurahan who was not ticked present, ticks them with a score; the desk then sees one more
trained KPPS at that TPS."""

import re

from tests.browser.conftest import shot

KELURAHAN = "3271061002"


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _trained(desk, tps_code: str) -> str:
    desk.goto(f"/petugas/tps/?wilayah={tps_code}")
    return desk.locator("tbody tr").first.inner_text()


def test_a_pps_ticks_attendance_on_a_phone_and_the_desk_sees_the_crew_trained(page_for):
    pps = page_for("pps.kebonpedes", phone=True)
    pps.goto("/petugas/bimtek/")
    assert _fits(pps)
    pps.get_by_role("link", name=re.compile(r"pemungutan suara — Tanah Sareal")).first.click()
    pps.wait_for_url(re.compile(r".*/petugas/bimtek/\d+/$"))
    pps.goto(pps.url + f"?wilayah={KELURAHAN}")
    assert _fits(pps)
    row = pps.locator("tbody tr", has=pps.locator("[data-testid=tick]"), has_not_text="berhenti").first
    place = row.locator("td").nth(2).inner_text()
    number = re.search(r"TPS (\d{3})", place).group(1)
    tps_code = KELURAHAN + number

    desk = page_for("sekda", phone=True)
    before = _trained(desk, tps_code)

    row_id = row.get_attribute("id")
    row.locator("input[name=score]").fill("88")
    row.locator("[data-testid=tick]").click()
    ticked = pps.locator(f"#{row_id}")
    ticked.locator("[data-testid=untick]").wait_for()  # the row htmx swapped in (its "Hadir" button is gone)
    assert ticked.get_by_text("nilai 88").is_visible()
    assert _fits(pps)
    shot(pps, "officers-attendance-phone")

    after = _trained(desk, tps_code)
    assert before != after
    counts = lambda text: [int(n) for n in re.findall(r"\b(\d)\b", text)]  # noqa: E731
    assert sum(counts(after)) == sum(counts(before)) + 1
    assert _fits(desk)
    desk.goto("/desk/")
    tile = desk.locator(".tile", has=desk.get_by_role("link", name="Petugas dan bimtek", exact=True))
    assert tile.get_by_text("TPS dengan kru terlatih").is_visible()
    shot(desk, "officers-desk-phone")
