"""A citizen finds their TPS from a NIK on a phone; a wrong confirmation tells nothing more."""

from tests.browser.conftest import shot


def test_a_citizen_finds_their_tps_on_a_phone(page_for, db):
    from deskpilkada.voters.demo import demo_voter_example

    nik, born = demo_voter_example()
    page = page_for(None, phone=True)
    page.goto("/cek-tps/")
    page.fill("#id_nik", nik)
    page.fill("#id_confirm", born)
    page.click("button[type=submit]")
    result = page.locator("#result")
    assert "TPS 001" in result.inner_text() and "Kebon Pedes" in result.inner_text()
    assert "PE" in result.inner_text() and "PEMILIH DEMO" not in page.content()
    assert page.input_value("#id_nik") == ""  # the NIK is not echoed back
    page.wait_for_selector("#map path.leaflet-interactive")
    shot(page, "20-public-lookup-found-phone")
    page.fill("#id_nik", nik)
    page.fill("#id_confirm", "1900-01-01")
    page.click("button[type=submit]")
    assert "tidak ditemukan" in page.locator("#result").inner_text()
    shot(page, "21-public-lookup-not-found-phone")


def test_the_desk_sees_tps_behind_on_invitations(page_for):
    page = page_for("admin.kesbangpol")
    page.goto("/undangan/?hari=1")
    assert "TPS tertinggal" in page.content()
    shot(page, "22-invitations-h1")
    page.goto("/undangan/peta/?hari=1")
    page.wait_for_function("() => /TPS/.test(document.getElementById('map-status').innerText)")
    shot(page, "23-invitations-map")
