"""Every main page runs under the Content-Security-Policy with no console error and no violation:
its scripts are files, its styles stylesheets.

In any browser test, an expression given to page.wait_for_function as a plain string is run with
eval(), which the policy refuses: write it as a function, "() => …", which is called directly."""

import pytest

MAYOR = "pilwalkot-bogor-2024"

# Reported by the page itself: the browser also logs each violation as a console error.
LISTEN = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""

PUBLIC = [
    ("/masuk/", None),
    ("/cek-tps/", None),
    ("/cek-tps/kelurahan/", None),
    ("/cek-tps/kelurahan/32.71.06.1002/", "#map .map-pin"),
    ("/hasil/", None),
    (f"/hasil/{MAYOR}/32.71/", "#map .map-pin"),
    ("/api/docs", "#swagger-ui .opblock"),
]
DESK = [
    ("/", None),
    ("/desk/", ".tile"),
    ("/titik/logistik/", None),
    ("/tps/", "#results"),
    ("/tps/peta/", "#map .map-cluster"),
    ("/tps/3271031002901/", "#map path.leaflet-interactive"),
    ("/penghitungan/", ".progress-bar"),
    ("/penghitungan/ruang-situasi/", None),
    (f"/penghitungan/d-hasil/{MAYOR}/32.71.04/", None),
    ("/undangan/?hari=1", None),
    ("/undangan/peta/?hari=1", "#map .map-cluster"),
    ("/sosialisasi/", None),
    ("/wilayah/", None),
    ("/pemilihan/", None),
    ("/pengguna/", None),
    ("/audit/", None),
    ("/akun/", None),
]


def visit(page, path: str, ready: str | None) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.add_init_script(LISTEN)
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: {response and response.status}"
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    if ready:
        page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    return problems


@pytest.mark.parametrize(("path", "ready"), PUBLIC)
def test_a_public_page_passes_the_policy(page_for, path, ready):
    page = page_for(None)
    assert visit(page, path, ready) == []


@pytest.mark.parametrize(("path", "ready"), DESK)
def test_a_desk_page_passes_the_policy(page_for, path, ready):
    page = page_for("admin.kesbangpol")
    assert visit(page, path, ready) == []


def test_progress_bars_take_their_width_without_a_style_attribute(page_for):
    page = page_for(None)
    assert visit(page, f"/hasil/{MAYOR}/32.71/", ".progress-bar") == []
    bars = page.eval_on_selector_all(".progress-bar[data-pct]", "els => els.map(e => [e.dataset.pct, e.style.width])")
    assert bars and all(width == f"{pct}%" for pct, width in bars)
    assert any(pct != "0" for pct, _w in bars)


def test_finalising_asks_first_and_a_no_sends_nothing(page_for):
    page = page_for("operator.kpu")
    path = f"/penghitungan/d-hasil/{MAYOR}/32.71.04/"
    assert visit(page, path, "button[data-confirm]") == []
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", answer)
    page.click("button[data-confirm]")
    page.wait_for_timeout(300)
    assert asked and "Finalkan" in asked[0]
    assert page.url.endswith(path)
