"""A KPPS member in a dead zone enters the C.Hasil on a phone, reloads the page without a network,
finds the sheet queued on the phone, and sees it counted once when the network returns; the same
queued sheet sent again (a second tab, a retry after a timeout) still counts once.

Playwright's offline mode (`context.set_offline`) cuts the service worker's own requests too in
this Chromium (the worker's `fetch` fails while offline): the reload below is served from the
worker's cache, which the test checks by asking the worker to fetch."""

import io
import json

from PIL import Image

from tests.browser.conftest import shot

TPS = "3271061002028"
KELURAHAN = "32.71.06.1002"
GOVERNOR = "pilgub-jabar-2024"
ENTRY = f"/penghitungan/tps/{TPS}/{GOVERNOR}/isi/"
VOTES = {"paslon_1": 61, "paslon_2": 47, "paslon_3": 88, "paslon_4": 52}  # 248 valid


def sheet_version(page) -> int:
    response = page.request.get(f"/api/v1/tally-sheets/{GOVERNOR}/{TPS}")
    return json.loads(response.text())["versi"] if response.status == 200 else 0


def kelurahan_valid(page) -> int:
    return json.loads(page.request.get(f"/api/v1/results/{GOVERNOR}/{KELURAHAN}").text())["valid"]


def photo_count(page) -> int:
    return page.request.get(f"/penghitungan/tps/{TPS}/{GOVERNOR}/").text().count('href="/penghitungan/foto/')


def plano_photo() -> bytes:
    """A phone camera's photo: 3000 × 2000 px, as the phone would attach it."""
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), (230, 230, 220)).save(out, "PNG")
    return out.getvalue()


def fill_sheet(page) -> None:
    dpt = int(page.input_value("#id_dpt"))
    received = -(-dpt * 1025 // 1000)
    values = {**VOTES, "dptb": 0, "dpk": 0, "pengguna_dpt": 258, "pengguna_dptb": 0, "pengguna_dpk": 0}
    values.update({"surat_suara_diterima": received, "surat_suara_digunakan": 258, "surat_suara_rusak": 2})
    values.update({"surat_suara_sisa": received - 260, "suara_sah": 248, "suara_tidak_sah": 10})
    for name, value in values.items():
        page.fill(f"#id_{name}", str(value))
    if page.locator("#sheet-form[data-correction]").count():  # counted already by an earlier test
        page.fill("#id_alasan", "Koreksi dari ponsel tanpa sinyal (uji)")
    page.set_input_files("#id_foto", files=[{"name": "plano.png", "mimeType": "image/png", "buffer": plano_photo()}])


def queue_state(page) -> str:
    return page.locator("#antrean [data-antrean-state]").first.inner_text()


def test_a_sheet_entered_offline_survives_a_reload_and_is_counted_once_when_the_network_returns(page_for):
    page = page_for("kpps.kebonpedes028", phone=True)
    context = page.context
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(ENTRY)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        "() => caches.open('deskpilkada-pages').then(c => c.match(location.href)).then(hit => !!hit)"
    )
    before, valid_before, photos_before = sheet_version(page), kelurahan_valid(page), photo_count(page)

    context.set_offline(True)
    worker = context.service_workers[0]
    assert worker.evaluate("fetch('/penghitungan/').then(() => 'reached', () => 'offline')") == "offline"
    fill_sheet(page)
    page.click("button[type=submit]")
    page.wait_for_selector("#antrean [data-antrean-state]")
    assert queue_state(page) == "menunggu sinyal"
    assert "Tersimpan di perangkat ini" in page.locator("#antrean [data-antrean-alert]").inner_text()
    assert page.url.endswith(ENTRY)  # not posted: no network

    page.reload()  # no network: the page comes from the service worker's cache
    page.wait_for_selector("#antrean [data-antrean-state]")
    assert queue_state(page) == "menunggu sinyal"
    assert "Foto plano: menunggu sinyal" in page.locator("#antrean").inner_text()
    shot(page, "60-offline-sheet-queued-phone")
    assert sheet_version(page) == before  # nothing reached the server

    context.set_offline(False)  # the KPPS walks to where there is signal, and does nothing else
    page.wait_for_function(
        "() => [...document.querySelectorAll('#antrean [data-antrean-state]')].some(e => e.textContent === 'terkirim')"
    )
    page.wait_for_function("() => document.querySelector('#antrean').textContent.includes('Foto plano: terkirim')")
    shot(page, "61-offline-sheet-sent-phone")
    assert sheet_version(page) == before + 1 and photo_count(page) == photos_before + 1
    valid_after = kelurahan_valid(page)
    if not before:  # a first entry: the kelurahan's total moves by the sheet's valid votes, once
        assert valid_after == valid_before + 248

    public = page_for(None, phone=True)
    public.goto(f"/hasil/{GOVERNOR}/{TPS}/")
    text = public.locator("main").inner_text()
    assert "88" in text and "248" in text and f"Versi {before + 1}" in text
    photo = public.locator("main img.img-thumbnail").first.get_attribute("src")
    width, height = Image.open(io.BytesIO(public.request.get(photo).body())).size
    assert (width, height) == (1600, 1067)  # made smaller on the phone: long side 1600 px

    # The same queued sheet sent twice more at once (two tabs, or a retry whose first answer was
    # lost): the server answers both with the first answer and counts nothing again.
    answers = page.evaluate(
        """async () => {
            const [item] = (await DeskQueue.all(document.body.dataset.user)).filter(i => i.state === 'sent');
            const again = () => DeskQueue.send({...item, state: 'waiting', photoState: 'waiting'});
            return (await Promise.all([again(), again()])).map(i => [i.state, i.versi, i.photoState]);
        }"""
    )
    assert answers == [["sent", before + 1, "sent"]] * 2
    assert sheet_version(page) == before + 1 and photo_count(page) == photos_before + 1
    assert kelurahan_valid(page) == valid_after
    assert not errors, errors


def wait_until_asked(page, asked: list[str], n: int) -> None:
    """The question is asked once the queue has been read (IndexedDB answers later than the click)."""
    for _ in range(100):
        if len(asked) >= n:
            return
        page.wait_for_timeout(100)


def test_signing_out_asks_before_it_clears_a_queue_that_still_holds_a_sheet(page_for):
    page = page_for("kpps.kebonpedes028", phone=True)
    page.goto(ENTRY)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.evaluate(  # a sheet waiting for its next try, far off: nothing sends it during the test
        """() => DeskQueue.put({key: 'uji-keluar', user: document.body.dataset.user, savedAt: new Date().toISOString(),
            label: 'TPS 028 (uji)', sheetUrl: '/', body: {}, state: 'waiting', photoState: 'none',
            tries: 1, nextTry: Date.now() + 1e9})"""
    )
    asked: list[str] = []

    def answer(accept: bool):
        def handle(dialog):
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handle

    page.click(".navbar-toggler")
    page.once("dialog", answer(False))
    page.click("form[data-logout] button", no_wait_after=True)  # the question comes first: no navigation
    wait_until_asked(page, asked, 1)
    assert asked and "Masih ada 1 C.Hasil" in asked[0]
    assert page.url.endswith(ENTRY)
    assert page.evaluate("() => DeskQueue.get('uji-keluar').then(i => !!i)")  # kept: the KPPS said no

    page.once("dialog", answer(True))
    page.click("form[data-logout] button", no_wait_after=True)
    wait_until_asked(page, asked, 2)
    page.wait_for_url("**/masuk/")
    assert len(asked) == 2
    assert page.evaluate("() => DeskQueue.get('uji-keluar').then(i => !i)")
    assert not page.evaluate("() => caches.has('deskpilkada-pages')")
