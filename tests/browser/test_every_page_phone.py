"""Every page of the demo, on a phone (390 × 844), as each demo role and as the public: the page fits
the screen (only a table in a marked horizontal-scroll wrapper, `.table-scroll`, may be wider),
the browser logs no error, and no raw field code (a word with an underscore, `suara_sah`) shows.

Every named URL that answers GET is visited with real arguments from the demo (TPS 028 Kebon
Pedes, both contests, a held sheet, a disputed sheet, …); the others are listed with the reason
they are not pages. One browser for the run, one context per role: each role's pages are first
asked for without rendering, and a page the role may not open is rendered once (its 403 page)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from conftest import PERSONAS
from tests.browser.conftest import PASSWORD

TPS = "3271061002028"  # TPS 028 Kebon Pedes
KELURAHAN, KECAMATAN, CITY, PROVINCE = "32.71.06.1002", "32.71.06", "32.71", "32"
MAYOR, GOVERNOR = "pilwalkot-bogor-2024", "pilgub-jabar-2024"
POINTS = [
    "logistik",
    "kesiapan-tps",
    "petugas",
    "sosialisasi",
    "penghitungan",
    "pelanggaran",
    "keamanan",
    "hoaks",
    "kesehatan",
    "netralitas-asn",
]

# URL name -> the paths visited for it.
PAGES: dict[str, list[str]] = {
    "desk:home": ["/"],
    "desk:overview": ["/desk/"],
    "desk:point": [f"/titik/{slug}/" for slug in POINTS],
    "accounts:login": ["/masuk/"],
    "accounts:reauth": ["/masuk/konfirmasi/"],
    "accounts:profile": ["/akun/"],
    "accounts:user_list": ["/pengguna/"],
    "accounts:user_create": ["/pengguna/baru/"],
    "accounts:user_detail": ["/pengguna/operator.kpu/", "/pengguna/kpps.kebonpedes028/"],
    "accounts:organisation_list": ["/organisasi/"],
    "accounts:organisation_create": ["/organisasi/baru/"],
    "accounts:organisation_detail": ["/organisasi/bpbd-bogor/"],
    "regions:index": ["/wilayah/"],
    "regions:detail": [f"/wilayah/{code}/" for code in (PROVINCE, CITY, KECAMATAN, KELURAHAN)],
    "elections:list": ["/pemilihan/"],
    "elections:detail": ["/pemilihan/pilkada-2024/"],
    "elections:sirekap_ids": ["/pemilihan/pilkada-2024/pilwalkot-bogor-2024/sirekap/"],
    "tps:list": ["/tps/", f"/tps/?kelurahan={KELURAHAN}"],
    "tps:create": ["/tps/baru/"],
    "tps:map": ["/tps/peta/"],
    "tps:import": ["/tps/impor/"],
    "tps:detail": [f"/tps/{TPS}/", "/tps/3271031002901/"],  # and a special TPS (Lapas Paledang)
    "tps:edit": [f"/tps/{TPS}/ubah/"],
    "health:overview": ["/kesehatan/"],
    "health:hospitals": ["/kesehatan/rumah-sakit/", "/kesehatan/rumah-sakit/?peringatan=ya"],
    "health:hospital": ["/kesehatan/rumah-sakit/3271104/", "/kesehatan/rumah-sakit/3271115/"],  # RSUD; Hermina
    "health:visit": [],  # found from the hospital's page
    "health:posts": ["/kesehatan/pos/"],
    "health:post_new": ["/kesehatan/pos/baru/"],
    "health:incidents": ["/kesehatan/insiden/", "/kesehatan/insiden/?status="],
    "health:duty": ["/kesehatan/jam-tugas/"],
    "health:duty_edit": [f"/kesehatan/jam-tugas/{TPS}/"],
    "tally:home": ["/penghitungan/", f"/penghitungan/?pemilihan={GOVERNOR}"],
    "tally:held": ["/penghitungan/ditahan/"],
    "tally:disputed": ["/penghitungan/sengketa/"],
    "tally:anomalies": ["/penghitungan/anomali/"],
    "tally:sirekap": ["/penghitungan/sirekap/"],
    "tally:situation": ["/penghitungan/ruang-situasi/", f"/penghitungan/ruang-situasi/?pemilihan={GOVERNOR}"],
    "tally:import": ["/penghitungan/impor/"],
    "tally:d_hasil": [f"/penghitungan/d-hasil/{MAYOR}/{KECAMATAN}/", f"/penghitungan/d-hasil/{GOVERNOR}/32.71.04/"],
    "tally:sheet": [f"/penghitungan/tps/{TPS}/{MAYOR}/", f"/penghitungan/tps/3271011012020/{MAYOR}/"],
    "tally:enter": [f"/penghitungan/tps/{TPS}/{MAYOR}/isi/", f"/penghitungan/tps/{TPS}/{GOVERNOR}/isi/"],
    "tally:verify": [f"/penghitungan/tps/3271011012020/{MAYOR}/verifikasi/"],  # and those found below
    "tally:results": ["/hasil/"],
    "tally:verify_root": ["/hasil/verifikasi/"],
    "tally:checkpoints": [f"/hasil/checkpoint/{MAYOR}/", f"/hasil/checkpoint/{GOVERNOR}/"],
    "tally:results_region": [
        *(f"/hasil/{MAYOR}/{code}/" for code in (CITY, KECAMATAN, KELURAHAN, TPS)),
        *(f"/hasil/{GOVERNOR}/{code}/" for code in (PROVINCE, CITY, TPS)),
    ],
    "voters:lookup": ["/cek-tps/"],
    "voters:kelurahan_index": ["/cek-tps/kelurahan/"],
    "voters:kelurahan_tps": [f"/cek-tps/kelurahan/{KELURAHAN}/"],
    "voters:import": ["/dpt/impor/"],
    "outreach:invitations": ["/undangan/", "/undangan/?hari=1"],
    "outreach:map": ["/undangan/peta/", "/undangan/peta/?hari=1"],
    "outreach:pick": ["/undangan/tps/"],
    "outreach:record": [f"/undangan/tps/{TPS}/"],
    "outreach:activities": ["/sosialisasi/"],
    "outreach:priority": ["/sosialisasi/prioritas/"],
    "audit:list": ["/audit/", "/audit/?page=2"],
    "notifications:list": ["/notifikasi/"],
    "cases:inbox": ["/kasus/"],
    "cases:new": ["/kasus/baru/"],
    "cases:detail": [],  # found from the inbox
    "cases:report": ["/lapor/"],
    "cases:report_lookup": ["/lapor/status/"],
    "cases:report_status": ["/lapor/status/TIDAKADA/"],  # a code that is no report's: it says so
    "cases:clarifications": ["/klarifikasi/"],
    "cases:clarification": [],  # found from the list
    "cases:import": ["/kasus/impor/"],
    "cases:timeline": ["/kasus/peta/"],
    "readiness:overview": ["/kesiapan/"],
    "readiness:map": ["/kesiapan/peta/", "/kesiapan/peta/?lapisan=keamanan"],
    "readiness:warnings": ["/kesiapan/peringatan/"],
    "readiness:risky": ["/kesiapan/rawan-bencana/", "/kesiapan/rawan-bencana/?tanpa=rencana"],
    "readiness:security": ["/kesiapan/keamanan/", f"/kesiapan/keamanan/?wilayah={KECAMATAN}"],
    "readiness:post_new": ["/kesiapan/keamanan/pos/baru/"],
    "readiness:vulnerability": ["/kesiapan/kerawanan/"],
    "readiness:vulnerability_import": ["/kesiapan/kerawanan/impor/"],
    "readiness:relocations": ["/kesiapan/relokasi/"],
    "readiness:weather": ["/kesiapan/cuaca/"],
    "readiness:weather_new": ["/kesiapan/cuaca/baru/"],
    "readiness:weather_detail": [],  # found from the list
    "readiness:tps": [f"/kesiapan/tps/{TPS}/", "/kesiapan/tps/3271011012020/"],
    "readiness:checklist": [f"/kesiapan/tps/{TPS}/periksa/"],
    "readiness:hazard": [f"/kesiapan/tps/{TPS}/bahaya/"],
    "readiness:plan": [f"/kesiapan/tps/{TPS}/mitigasi/"],
    "readiness:relocate": [f"/kesiapan/tps/{TPS}/pindah/"],
    "readiness:assess": [f"/kesiapan/tps/{TPS}/kerawanan/"],
    "readiness:deploy": [f"/kesiapan/tps/{TPS}/personel/"],
    "logistics:home": ["/logistik/", f"/logistik/?wilayah={KECAMATAN}"],
    "logistics:needs": ["/logistik/kebutuhan/", "/logistik/kebutuhan/?tingkat=tps"],
    "logistics:alerts": ["/logistik/peringatan/"],
    "logistics:map": ["/logistik/peta/"],
    "logistics:items": ["/logistik/barang/"],
    "logistics:item_edit": [f"/logistik/barang/kotak-{MAYOR}/"],
    "logistics:shipments": ["/logistik/kiriman/", "/logistik/kiriman/?status=pengganti"],
    "logistics:shipment_new": ["/logistik/kiriman/baru/"],
    "logistics:import": ["/logistik/kiriman/impor/"],
    "logistics:shipment": [],  # found from the list
    "logistics:receive": [],  # found from a shipment's page, by its receiver
    "logistics:correct": [],  # found from a received shipment's page, by its receiver
    "logistics:scan": ["/logistik/pindai/"],
    "logistics:tps": [f"/logistik/tps/{TPS}/", "/logistik/tps/3271011012020/"],
    "logistics:unit": [],  # found from a TPS's page
    "officers:home": ["/petugas/", f"/petugas/?wilayah={KECAMATAN}", f"/petugas/?wilayah={KELURAHAN}"],
    "officers:tps_list": ["/petugas/tps/", "/petugas/tps/?masalah=ketua", "/petugas/tps/?masalah=kurang"],
    "officers:tps": [f"/petugas/tps/{TPS}/"],
    "officers:list": ["/petugas/daftar/"],
    "officers:appoint": ["/petugas/angkat/"],
    "officers:import": ["/petugas/impor/"],
    "officers:officer": [],  # found from a TPS's crew
    "officers:screening": ["/petugas/skrining/"],
    "officers:sessions": ["/petugas/bimtek/"],
    "officers:session_new": ["/petugas/bimtek/baru/"],
    "officers:session": [],  # found from the list
    "api_docs": ["/api/docs"],
}

# Rows that only the demo's own story makes (a held sheet, a disputed one, a case): on a page whose
# path matches the first pattern, the first link matching the second is visited too.
SHEET = r"^/penghitungan/tps/\d+/[\w-]+/"
FOUND_ON = [
    (re.compile(r"^/penghitungan/(ditahan|sengketa|anomali)/$"), re.compile(SHEET + "$")),
    (re.compile(SHEET + "$"), re.compile(SHEET + "verifikasi/$")),
    (re.compile(SHEET + "$"), re.compile(SHEET + "isi/$")),
    (re.compile(r"^/kasus/$"), re.compile(r"^/kasus/\d+/$")),
    (re.compile(r"^/klarifikasi/$"), re.compile(r"^/klarifikasi/\d+/$")),
    (re.compile(r"^/kesiapan/cuaca/$"), re.compile(r"^/kesiapan/cuaca/\d+/$")),
    (re.compile(r"^/logistik/kiriman/$"), re.compile(r"^/logistik/kiriman/[A-Z0-9]{8}/$")),
    (re.compile(r"^/logistik/kiriman/[A-Z0-9]{8}/$"), re.compile(r"^/logistik/kiriman/[A-Z0-9]{8}/terima/$")),
    (re.compile(r"^/logistik/kiriman/[A-Z0-9]{8}/$"), re.compile(r"^/logistik/kiriman/[A-Z0-9]{8}/koreksi/$")),
    (re.compile(r"^/logistik/tps/\d+/$"), re.compile(r"^/logistik/kotak/[A-Z0-9]{8}/$")),
    (re.compile(r"^/petugas/tps/\d+/$"), re.compile(r"^/petugas/orang/\d+/$")),
    (re.compile(r"^/petugas/bimtek/$"), re.compile(r"^/petugas/bimtek/\d+/$")),
    (re.compile(r"^/kesehatan/rumah-sakit/\d+/$"), re.compile(r"^/kesehatan/rumah-sakit/\d+/kunjungan/\d+/$")),
]

NOT_PAGES = {
    "accounts:logout": "POST only",
    "accounts:token_revoke": "POST only",
    "accounts:role_revoke": "POST only",
    "accounts:user_set_active": "POST only",
    "accounts:organisation_set_active": "POST only",
    "tps:bulk": "POST only",
    "tally:finalise": "POST only",
    "tally:resolve": "POST only (its GET leads back to the sheet, visited)",
    "notifications:read": "POST only",
    "set_language": "POST only (the language switch is used below)",
    "tps:map_data": "GeoJSON, drawn by the map pages",
    "outreach:map_data": "GeoJSON, drawn by the map pages",
    "tps:export": "a file download",
    "tps:template": "a file download",
    "tally:template": "a file download",
    "voters:template": "a file download",
    "outreach:export": "a file download",
    "tally:photo": "an image (the demo has no C.Hasil photo)",
    "tally:service_worker": "the entry pages' service worker, a script (tests/browser/test_offline_entry_phone.py)",
    "tally:manifest": "the web app manifest, JSON (tests/browser/test_offline_entry_phone.py)",
    "outreach:activity_photo": "an image",
    "api_not_found": "the API's JSON 404",
    "cases:export": "a file download",
    "cases:bulk": "POST only",
    "cases:act": "POST only",
    "cases:attachment": "a file (the demo has no case attachment)",
    "cases:template": "a file download",
    "cases:pdf": "a PDF file",
    "cases:feed": "an Atom feed",
    "readiness:map_data": "GeoJSON, drawn by the map page",
    "readiness:warning_resolve": "POST only",
    "readiness:answer_photo": "an image (checked in the permission matrix and the readiness tests)",
    "readiness:warnings_export": "a file download",
    "health:hospitals_export": "a file download",
    "health:posts_export": "a file download",
    "health:incidents_export": "a file download",
    "readiness:risky_export": "a file download",
    "readiness:security_export": "a file download",
    "readiness:vulnerability_template": "a file download",
    "logistics:needs_export": "a file download",
    "logistics:alerts_export": "a file download",
    "logistics:shipments_export": "a file download",
    "logistics:template": "a file download",
    "logistics:map_data": "GeoJSON, drawn by the map page",
    "logistics:labels": "a PDF file",
    "logistics:receipt_photo": "an image (the demo's receipts have no photo)",
    "logistics:kecamatan_shipments": "POST only",
    "logistics:shipment_bulk": "POST only",
    "logistics:shipment_act": "POST only",
    "logistics:scan_code": "a redirect to the receipt form (the scan page is visited)",
    "officers:tps_export": "a file download",
    "officers:list_export": "a file download",
    "officers:template": "a file download",
    "officers:screen": "POST only",
    "officers:replace": "POST only",
    "officers:invite": "POST only",
    "officers:attendance": "POST only",
    "officers:attendance_import": "POST only (the sign-in list upload of a session's page)",
    "officers:material_upload": "POST only",
    "officers:material": "a file (checked in the permission matrix)",
}

# A word with an underscore: a field or action code, never a label.
FIELD_CODE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
# The API's own documentation names the API's fields: that is its content.
CODES_ARE_CONTENT = {"/api/docs"}
# A number written the other language's way: 1,530 or 97.1% on an Indonesian page, 1.530 or 97,1%
# on an English one (a region code such as 32.71.06.1002 is neither; nor is 0.319).
FOREIGN_NUMBER = {
    "id": re.compile(r"\b[1-9]\d{0,2}(?:,\d{3})+\b|\d\.\d+ ?%"),
    "en": re.compile(r"\b[1-9]\d{0,2}(?:\.\d{3})+\b(?!\.\d)|\d,\d+ ?%"),
}


def file_format_names() -> set[str]:
    """Names a user must write as they are, the columns of each import file and the values of
    its coded columns, read from the code that defines them. Allowed only as code on the page
    (<code>), where the import pages list them."""
    from deskpilkada.cases.loading import COLUMNS as CASE_COLUMNS
    from deskpilkada.officers.actions import COLUMNS as OFFICER_COLUMNS
    from deskpilkada.officers.actions import IGNORED as OFFICER_IGNORED
    from deskpilkada.outreach.actions import TURNOUT_COLUMNS
    from deskpilkada.readiness.rules import DEFAULT_INDICATORS
    from deskpilkada.tally import rules
    from deskpilkada.tally.loading import RESULT_COLUMNS
    from deskpilkada.tps.actions import COLUMNS as TPS_COLUMNS
    from deskpilkada.tps.models import Tps
    from deskpilkada.voters.actions import COLUMNS as DPT_COLUMNS

    return {
        *CASE_COLUMNS,
        *TURNOUT_COLUMNS,
        *RESULT_COLUMNS,
        *rules.OPTIONAL_KEYS,
        *TPS_COLUMNS,
        *Tps.SpecialKind.values,
        *DPT_COLUMNS,
        *OFFICER_COLUMNS,
        *OFFICER_IGNORED,
        *(code for _variable, code, _label, _weight in DEFAULT_INDICATORS),
    }


# What the page shows: its width, the elements past the screen's edge, the boxes that scroll
# sideways without saying so (any but a .table-scroll wrapper, or a wrapper without its visible
# hint: the user would never learn that columns hide), and the visible text.
MEASURE = """() => {
  const classes = (el) => typeof el.className === 'string' ? el.className.trim().split(/\\s+/).filter(Boolean) : [];
  const name = (el) => [el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''), ...classes(el)].join('.');
  const width = window.innerWidth, wide = [], hidden = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.parentElement && el.parentElement.closest('.table-scroll, .leaflet-container')) continue;
    const style = getComputedStyle(el);
    if (style.position === 'fixed' || style.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1 && wide.length < 5) wide.push(name(el) + ' right=' + Math.round(r.right));
    if (el.scrollWidth <= el.clientWidth + 1 || hidden.length >= 5) continue;
    const hint = el.previousElementSibling;
    if (el.matches('.table-scroll')) {
      if (!el.matches('.is-scrollable') || !hint || !hint.matches('.table-scroll-hint') || !hint.checkVisibility())
        hidden.push(name(el) + ' without its hint');
    } else if (['auto', 'scroll'].includes(style.overflowX)) {
      hidden.push(name(el) + ' ' + el.scrollWidth + '/' + el.clientWidth);
    }
  }
  // A heading with nothing under it before the next heading of its level (say "Belum ada …").
  const shows = (n) => n.checkVisibility() && ((n.innerText || '').trim() !== ''
    || n.matches('canvas, img, svg, .leaflet-container') || n.querySelector('canvas, img, svg, .leaflet-container'));
  const empty = [];
  for (const h of document.querySelectorAll('main :is(h2, h3, h4, h5, h6)')) {
    if (!h.checkVisibility()) continue;
    const level = Number(h.tagName[1]);
    const peer = Array.from({length: level}, (_, i) => 'h' + (i + 1)).join(', ');  // this level or above
    let node = h, found = false, stop = false;
    while (node && !found && !stop && node.tagName !== 'MAIN') {
      for (let n = node.nextElementSibling; n; n = n.nextElementSibling) {
        if (n.matches(peer) || n.querySelector(peer)) { stop = true; break; }
        if (shows(n)) { found = true; break; }
      }
      node = node.parentElement;
    }
    if (!found) empty.push(h.innerText.trim());
  }
  const code = Array.from(document.querySelectorAll('code')).map((c) => c.innerText).join(' ');
  const text = document.body.innerText;
  return {scroll: document.documentElement.scrollWidth, width, wide, hidden, empty, text, code};
}"""


@dataclass
class Walk:
    role: str
    language: str = "id"
    problems: list[str] = field(default_factory=list)
    rendered: int = 0
    file_format: set[str] = field(default_factory=file_format_names)
    texts: dict[str, str] = field(default_factory=dict)  # what each page said, for a failure's reader

    def check(self, page, path: str, status: int, errors: list[str]) -> None:
        seen = page.evaluate(MEASURE)
        self.texts[path] = seen["text"]
        where = f"{self.role} {path}"
        if status >= 500:
            self.problems.append(f"{where}: answered {status}")
        if seen["scroll"] > seen["width"] + 1:
            self.problems.append(f"{where}: {seen['scroll']} px wide on a {seen['width']} px screen: {seen['wide']}")
        if seen["empty"]:
            self.problems.append(f"{where}: headings with nothing under them: {seen['empty']}")
        if seen["hidden"]:
            self.problems.append(f"{where}: scrolls sideways without saying so: {seen['hidden']}")
        as_code = set(FIELD_CODE.findall(seen["code"])) & self.file_format
        codes = sorted(set(FIELD_CODE.findall(seen["text"])) - as_code)
        if path not in CODES_ARE_CONTENT and codes:
            self.problems.append(f"{where}: field codes in the text: {codes}")
        if path not in CODES_ARE_CONTENT and (foreign := FOREIGN_NUMBER[self.language].findall(seen["text"])):
            self.problems.append(f"{where}: numbers in the other language's format: {sorted(set(foreign))[:8]}")
        self.problems.extend(f"{where}: {error}" for error in errors)
        self.rendered += 1


class Requests:
    """The page's requests in flight (htmx partials, map data, charts): a page is read once none is."""

    def __init__(self, page) -> None:
        self.open: set = set()
        page.on("request", lambda r: self.open.add(r))
        page.on("requestfinished", lambda r: self.open.discard(r))
        page.on("requestfailed", lambda r: self.open.discard(r))

    def settle(self, page) -> None:
        for _ in range(500):
            if not self.open:
                # A frame later, with nothing started meanwhile: the page's scripts have fetched what
                # they fetch on load (a map's GeoJSON, an htmx partial), and it has all come in.
                page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))")
                if not self.open:
                    return
            page.wait_for_timeout(20)


def _sign_in(page, username: str) -> None:
    page.goto("/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^[^?]*/$"))


def _refused(path: str, response) -> bool:
    """Not this role's page: refused, not found, or sent to the sign-in page."""
    if response is None:
        return False
    signing_in = response.request.redirected_from is not None and urlsplit(response.url).path == "/masuk/"
    return response.status in (403, 404) or (signing_in and not path.startswith("/masuk/"))


def walk(browser, base_url: str, role: str, username: str | None, language: str = "id") -> Walk:
    result = Walk(role if language == "id" else f"{role} ({language})", language)
    ctx = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    if language != "id":
        ctx.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    try:
        page = ctx.new_page()
        page.set_default_timeout(15000)
        requests = Requests(page)
        errors: list[str] = []
        skipped: set[str] = set()  # refused pages left loading: what they log is not the next page's

        def console(message) -> None:
            if message.type == "error" and urlsplit(message.location.get("url", "")).path not in skipped:
                errors.append(f"console: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        if username:
            _sign_in(page, username)
        refusal_rendered = False
        queue = [path for paths in PAGES.values() for path in paths]
        visited: set[str] = set()
        while queue:
            path = queue.pop(0)
            if path in visited:
                continue
            visited.add(path)
            errors.clear()
            response = page.goto(path, wait_until="commit")
            status = response.status if response else 0
            refused = _refused(path, response)
            if refused and refusal_rendered:
                skipped.add(urlsplit(response.url).path)
                continue  # the same refusal page, already checked once for this role
            page.wait_for_load_state("domcontentloaded")
            requests.settle(page)
            if refused:
                refusal_rendered = True
                # The browser logs the refused page's own status as an error: that is the answer.
                errors[:] = [e for e in errors if f"status of {status}" not in e]
            result.check(page, path, status, errors)
            if not refused and any(source.match(path) for source, _ in FOUND_ON):
                hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(a => a.getAttribute('href'))")
                hrefs = [h.split("#")[0].split("?")[0] for h in hrefs]
                for source, link in FOUND_ON:
                    if source.match(path):
                        queue.extend([h for h in hrefs if link.match(h) and h not in visited][:1])
    finally:
        ctx.close()
    return result


ROLES = [("public", None), *PERSONAS.items()]


@pytest.mark.parametrize(("role", "username"), ROLES, ids=[r for r, _ in ROLES])
def test_every_page_fits_a_phone_logs_no_error_and_shows_no_field_code(browser, live_url, role, username):
    result = walk(browser, live_url, role, username)
    assert result.rendered > 5
    assert not result.problems, "\n".join(result.problems)


@pytest.mark.parametrize(
    ("role", "username"), [("public", None), ("admin", PERSONAS["admin"]), ("kpu", PERSONAS["kpu"])]
)
def test_in_english_too(browser, live_url, role, username):
    result = walk(browser, live_url, role, username, language="en")
    assert not result.problems, "\n".join(result.problems)


def test_every_named_url_is_visited_or_said_why_not():
    from django.urls import get_resolver

    def names(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from names(pattern, inner)
            elif pattern.name:
                yield namespace + pattern.name

    missing = [n for n in names(get_resolver()) if not n.startswith("api:") and n not in PAGES and n not in NOT_PAGES]
    assert not missing, f"named URLs neither visited nor listed as no page: {missing}"


def test_the_results_chart_writes_its_axis_in_the_page_language(page_for, live_url):
    """Chart.js formats with the page's locale: 100.000 on an Indonesian page, 100,000 on an English one."""
    labels = {}
    for language in ("id", "en"):
        page = page_for(None, phone=True)
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_url}])
        page.goto(f"/hasil/{MAYOR}/{CITY}/")
        page.wait_for_function("() => window.Chart && Chart.getChart('chart')")
        labels[language] = page.evaluate("() => Chart.getChart('chart').scales.y.ticks.map((t) => t.label)")
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", label) for label in labels["id"]), labels
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", label) for label in labels["en"]), labels
