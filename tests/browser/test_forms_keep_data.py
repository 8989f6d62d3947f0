"""Forms that cannot lose data, on a phone: figures typed before the session ended come back after
signing in again; a held C.Hasil names each wrong field at the top and takes the officer to it."""

import json

from tests.browser.conftest import PASSWORD, SCREENSHOTS, shot

MAYOR = "pilwalkot-bogor-2024"
GOVERNOR = "pilgub-jabar-2024"
TPS = "3271061002028"


def _drafts(page) -> dict:
    return page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith('desk-draft:'))"
        ".map(k => [k, JSON.parse(localStorage.getItem(k))]))"
    )


def _sign_out_elsewhere(page) -> None:
    other = page.context.new_page()
    other.goto("/")
    other.evaluate("() => document.querySelector(\"form[action='/keluar/']\").submit()")
    other.wait_for_url("**/masuk/")
    other.close()


def test_figures_typed_before_the_session_ended_come_back_after_signing_in(page_for):
    page = page_for("ppk.bogorbarat", phone=True)
    url = f"/penghitungan/d-hasil/{MAYOR}/32.71.04/"
    page.goto(url)
    figures = {"paslon_1": 1200, "paslon_2": 2300, "paslon_3": 3400, "paslon_4": 1100, "paslon_5": 500}
    figures.update({"suara_sah": 8500, "suara_tidak_sah": 150, "pengguna": 8650})
    for name, value in figures.items():
        page.fill(f"#id_{name}", str(value))
    assert any(d["values"].get("suara_sah") == "8500" for d in _drafts(page).values())

    _sign_out_elsewhere(page)  # the session ends while the form is open
    page.get_by_role("button", name="Simpan D.Hasil").click()
    page.wait_for_url(lambda u: "/masuk/?next=" in u)
    why = page.locator("#login-why")
    assert "Sesi Anda berakhir" in why.inner_text()
    assert page.locator("[data-draft-note]").is_visible()  # "isian Anda tersimpan di perangkat ini"
    shot(page, "50-session-ended-login-says-why-phone")

    page.fill("#id_username", "ppk.bogorbarat")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{url}")
    for name, value in figures.items():
        assert page.input_value(f"#id_{name}") == str(value), name
    assert page.locator("[data-draft-notice]").is_visible()
    shot(page, "51-draft-restored-after-sign-in-phone")

    page.get_by_role("button", name="Simpan D.Hasil").click()
    page.wait_for_url(f"**{url}")
    assert "D.Hasil tersimpan" in page.content()
    assert not _drafts(page)  # saved: the draft is dropped
    page.goto(url)
    assert page.input_value("#id_paslon_1") == ""  # and not restored over an empty form again


def test_a_draft_never_holds_a_password(page_for):
    page = page_for("admin.kesbangpol", phone=True)
    page.goto("/pengguna/baru/")
    page.fill("#id_username", "petugas.baru")
    page.fill("#id_full_name", "Petugas Baru")
    page.fill("#id_password", "rahasia-sekali-2024")
    drafts = _drafts(page)
    assert any(d["values"].get("username") == "petugas.baru" for d in drafts.values())
    assert "rahasia-sekali-2024" not in json.dumps(drafts) and "password" not in json.dumps(drafts)


def test_a_held_sheet_names_the_wrong_field_at_the_top_and_jumps_to_it_on_a_phone(page_for):
    page = page_for("kpps.kebonpedes028", phone=True)
    page.goto(f"/penghitungan/tps/{TPS}/{GOVERNOR}/isi/")
    dpt = int(page.input_value("#id_dpt"))
    received = -(-dpt * 1025 // 1000)
    values = {"paslon_1": 30, "paslon_2": 20, "paslon_3": 90, "paslon_4": 110, "dptb": 0, "dpk": 0}
    values.update({"pengguna_dpt": 260, "pengguna_dptb": 0, "pengguna_dpk": 0, "surat_suara_diterima": received})
    values.update({"surat_suara_digunakan": 260, "surat_suara_rusak": 0, "surat_suara_sisa": received - 260})
    values.update({"suara_tidak_sah": 10, "suara_sah": 260})  # wrong: the paslon add up to 250
    for name, value in values.items():
        page.fill(f"#id_{name}", str(value))
    summary = page.locator("#form-summary")
    assert summary.is_visible() and "Suara sah" in summary.inner_text()  # while typing, before sending

    page.click("button[type=submit]")
    page.wait_for_url(f"**/{GOVERNOR}/isi/")
    assert "DITAHAN" in page.content()
    link = summary.get_by_role("link", name="Suara sah", exact=True)
    assert summary.is_visible() and link.is_visible()
    assert summary.bounding_box()["y"] < 844  # on the first screen
    field = page.locator("#id_suara_sah")
    assert field.bounding_box()["y"] > 844 * 2  # the field itself is far below
    assert page.locator(".client-error[data-for=suara_sah]").inner_text() == ""  # said once, by the server
    shot(page, "52-held-sheet-summary-names-the-field-phone")

    link.click()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'id_suara_sah'")
    page.wait_for_function(  # the scroll is smooth: wait for it to bring the field on screen
        "() => { const r = document.getElementById('id_suara_sah').getBoundingClientRect();"
        " return r.top > 56 && r.bottom < window.innerHeight; }"
    )
    page.wait_for_timeout(600)  # the smooth scroll settles
    page.screenshot(path=str(SCREENSHOTS / "53-held-sheet-jumped-to-the-field-phone.png"))  # what the phone shows

    page.fill("#id_suara_sah", "250")
    page.fill("#id_surat_suara_digunakan", "260")
    assert not summary.is_visible()
    page.click("button[type=submit]")
    page.wait_for_url(f"**/penghitungan/tps/{TPS}/{GOVERNOR}/")
    assert "Dihitung" in page.content()
