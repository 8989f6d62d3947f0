"""The entry page as a progressive web app: the queue on the KPPS's phone sends through the API with
the browser's session, its Idempotency-Key made on the phone; the photo follows the figures."""

import io
import json

import pytest
from django.test import Client
from PIL import Image

from deskpilkada import testing
from deskpilkada.tally.models import SheetPhoto, SheetVersion, Source
from deskpilkada.tally.tests.conftest import KEBON_PEDES_028, MAYOR
from deskpilkada.tally.tests.test_tally_api import body

PHOTOS = f"/api/v1/tally-sheets/{MAYOR}/{KEBON_PEDES_028}/photos"


def jpeg(colour=(200, 200, 190)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (160, 120), colour).save(out, "JPEG")
    return out.getvalue()


def upload(content: bytes, name: str = "plano.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/jpeg")


@pytest.fixture
def phone(client_as):
    """The KPPS's phone: signed in, CSRF enforced as in the browser."""
    signed_in = client_as("kpps")
    client = Client(enforce_csrf_checks=True)
    client.cookies = signed_in.cookies
    client.get(f"/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/isi/")  # the page sets the CSRF cookie
    return client


def send(client: Client, payload: dict, key: str | None = "kunci-ponsel-1"):
    headers = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post("/api/v1/tally-sheets", json.dumps(payload), content_type="application/json", **headers)


def send_photo(client: Client, content: bytes, key: str | None = "kunci-ponsel-1:foto"):
    headers = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(PHOTOS, {"foto": upload(content)}, **headers)


def test_a_queued_sheet_sent_twice_with_its_phone_made_key_counts_once(phone, tps028):
    payload = body(tps028.dpt, versi=0)
    first, again = send(phone, payload), send(phone, payload)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    versions = SheetVersion.objects.filter(sheet__tps=tps028, sheet__contest__code=MAYOR)
    assert versions.count() == 1


def test_a_sheet_sent_from_the_phone_is_recorded_as_the_kpps_entry_not_a_machine(phone, tps028):
    assert send(phone, body(tps028.dpt, versi=0)).status_code == 201
    assert SheetVersion.objects.get(sheet__tps=tps028, sheet__contest__code=MAYOR).source == Source.KPPS


def test_a_queued_sheet_over_a_correction_made_meanwhile_answers_409_and_overwrites_nothing(phone, tps028, persona):
    testing.make_counted(KEBON_PEDES_028, by=persona("kpu"))  # someone else entered it while the phone was offline
    response = send(phone, body(tps028.dpt, versi=0, alasan="dari ponsel"))
    assert response.status_code == 409
    data = response.json()
    assert "baru saja diubah orang lain" in data["detail"] and data["errors"][0]["field"] == "versi"
    assert SheetVersion.objects.filter(sheet__tps=tps028, sheet__contest__code=MAYOR).count() == 1
    retry = send(phone, body(tps028.dpt, versi=0, alasan="dari ponsel"))
    assert retry.status_code == 409  # a refused sending stores no answer: the next try is checked again


def test_a_send_without_the_csrf_token_is_refused_in_json(phone, tps028):
    response = phone.post("/api/v1/tally-sheets", json.dumps(body(tps028.dpt)), content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    response = phone.post(PHOTOS, {"foto": upload(jpeg())})
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_the_photo_sent_after_the_sheet_is_added_once_however_often_it_is_sent(phone, tps028):
    assert send(phone, body(tps028.dpt, versi=0)).status_code == 201
    first, again = send_photo(phone, jpeg()), send_photo(phone, jpeg())
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert first.json()["versi"] == 1 and len(first.json()["sha256"]) == 64
    assert SheetPhoto.objects.filter(sheet__tps=tps028).count() == 1


def test_the_same_photo_key_with_another_photo_is_refused(phone, tps028):
    assert send(phone, body(tps028.dpt, versi=0)).status_code == 201
    assert send_photo(phone, jpeg()).status_code == 201
    other = send_photo(phone, jpeg((10, 10, 10)))
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert SheetPhoto.objects.filter(sheet__tps=tps028).count() == 1


def test_a_photo_before_its_sheet_answers_404_in_json(phone, tps028):
    response = send_photo(phone, jpeg())
    assert response.status_code == 404 and response.json()["detail"] == "Belum ada C.Hasil untuk TPS ini."


def test_a_file_that_is_not_a_photo_is_refused_naming_the_field(phone, tps028):
    assert send(phone, body(tps028.dpt, versi=0)).status_code == 201
    response = send_photo(phone, b"%PDF-1.4 bukan foto")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "foto", "message": "Berkas bukan foto JPEG, PNG atau WebP."}]
    assert send_photo(phone, jpeg()).status_code == 201  # the refusal stored nothing under the key


def test_a_photo_for_a_tps_outside_the_senders_area_is_refused(client_as, persona):
    testing.make_counted("3271011001001", by=persona("kpu"))
    client = client_as("kpps")
    response = client.post(f"/api/v1/tally-sheets/{MAYOR}/3271011001001/photos", {"foto": upload(jpeg())})
    assert response.status_code == 403 and response.json()["detail"]


def test_the_service_worker_is_script_from_its_scope_never_cached_and_names_this_deploys_files(client):
    response = client.get("/penghitungan/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    text = response.content.decode()
    assert '"/static/desk/tally-queue.js"' in text and '"/static/vendor/bootstrap/bootstrap.min.css"' in text
    assert 'var SCOPE = "/penghitungan/"' in text and "{{" not in text


def test_the_manifest_opens_the_kpps_entry_page_of_their_tps_standalone(client_as):
    manifest = client_as("kpps").get("/penghitungan/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["start_url"] == f"/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/isi/"
    assert data["display"] == "standalone" and data["scope"] == "/penghitungan/"
    assert {i["sizes"] for i in data["icons"]} == {"192x192", "512x512"}


def test_the_manifest_of_anyone_else_opens_the_counting_page(client, client_as):
    assert client.get("/penghitungan/manifest.webmanifest").json()["start_url"] == "/penghitungan/"
    assert client_as("kpu").get("/penghitungan/manifest.webmanifest").json()["start_url"] == "/penghitungan/"


def test_the_entry_page_links_the_manifest_and_carries_the_queue(client_as, tps028):
    page = client_as("kpps").get(f"/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/isi/").content.decode()
    assert 'rel="manifest" href="/penghitungan/manifest.webmanifest"' in page
    assert 'id="antrean"' in page and 'data-sw="/penghitungan/sw.js"' in page
    assert f"/penghitungan/tps/{KEBON_PEDES_028}/pilgub-jabar-2024/isi/" in page  # both contests kept offline
    assert '"waiting": "menunggu sinyal"' in page and "tally-queue.js" in page


def test_every_page_asks_before_signing_out_clears_a_queue(client_as):
    page = client_as("kpu").get("/").content.decode()
    assert "data-logout" in page and "Tetap keluar?" in page and "offline-store.js" in page


def test_an_operators_entry_page_keeps_no_other_tps_pages_for_offline_use(client_as, tps028):
    page = client_as("kpu").get(f"/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/isi/").content.decode()
    assert 'data-pages="[]"' in page and 'id="antrean"' in page
