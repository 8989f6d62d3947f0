"""Public intake: POST /api/v1/reports and the form at /lapor/ answer a tracking code, refuse bad
input naming the field in Indonesian, and hold back a burst from one client (429, Retry-After)
without losing what they accepted; GET /api/v1/reports/<code> and /lapor/status/<code>/ show the
status and its history, never a name, contact, assignee or note; an unknown and a mistyped code get
the same 404."""

import json

import pytest

from deskpilkada import clock
from deskpilkada.cases import actions
from deskpilkada.cases.models import TRACKING_ALPHABET, Case, CaseAttachment
from deskpilkada.cases.tests.conftest import KEBON_PEDES, MENTENG, MENTENG_TPS_1
from deskpilkada.notifications.models import Notification
from deskpilkada.testing import PNG, make_case, region

pytestmark = pytest.mark.django_db

CONTACT = "0857-1111-2222"
REPORT = {
    "category": "fraud",
    "description": "Ada pembagian amplop berisi uang di dekat TPS 001 Menteng pagi ini.",
    "place_code": MENTENG_TPS_1,
    "occurred_at": "2024-11-27T07:30:00+07:00",
    "contact": CONTACT,
    "anonymous": False,
}


def _post(client, body=None, **extra):
    return client.post("/api/v1/reports", json.dumps(body or REPORT), content_type="application/json", **extra)


# POST /api/v1/reports


def test_a_report_answers_201_with_only_a_tracking_code(client):
    response = _post(client)
    assert response.status_code == 201
    body = response.json()
    assert list(body) == ["tracking_code"]
    code = body["tracking_code"]
    assert len(code) >= 10 and set(code) <= set(TRACKING_ALPHABET)
    assert not set(code) & set("0O1IL5S8B")  # no look-alike letters
    case = Case.objects.get(tracking_code=code)
    assert (case.category, case.source, case.area, case.status) == ("fraud", "api", MENTENG_TPS_1, "new")
    assert case.reporter_contact == CONTACT and case.created_by is None
    assert case.due_at is not None  # it reached Bawaslu with a deadline


@pytest.mark.parametrize("place", ["32.71.04.1001", "3271041001", "32.71.04", "32.71.04.1001.001"])
def test_the_place_is_a_kelurahan_kecamatan_or_tps_dotted_or_not(client, place):
    response = _post(client, {**REPORT, "place_code": place})
    assert response.status_code == 201
    case = Case.objects.get(tracking_code=response.json()["tracking_code"])
    assert case.area.startswith("327104")


def test_an_anonymous_report_keeps_no_contact(client):
    response = _post(client, {**REPORT, "anonymous": True})
    case = Case.objects.get(tracking_code=response.json()["tracking_code"])
    assert case.anonymous and case.reporter_contact == ""


def test_a_public_report_reaches_the_handlers_after_the_commit(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client)
    told = set(Notification.objects.filter(kind="cases.new").values_list("recipient__username", flat=True))
    assert told == {"bawaslu", "panwascam.bogorbarat"}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"category": "ufo"}, "category", "tidak dikenal"),
        ({"description": "amplop"}, "description", "paling sedikit 10 karakter"),
        ({"description": "x" * 5001}, "description", "paling banyak"),
        ({"place_code": "32.71.99.9999"}, "place_code", "tidak dikenal"),
        ({"place_code": "3271041001999"}, "place_code", "TPS"),
        ({"place_code": ""}, "place_code", "Isi tempat"),
        ({"occurred_at": "2024-11-28T09:00:00+07:00"}, "occurred_at", "masa depan"),
        ({"occurred_at": "kemarin"}, "occurred_at", ""),
        ({"category": None}, "category", ""),
    ],
)
def test_a_refusal_is_422_naming_the_field(client, changes, field, words):
    body = {**REPORT, **changes}
    body = {k: v for k, v in body.items() if v is not None}
    response = _post(client, body)
    assert response.status_code == 422
    data = response.json()
    assert [e["field"] for e in data["errors"]] == [field]
    assert words in data["errors"][0]["message"]
    assert not Case.objects.exists()


def test_a_burst_from_one_client_gets_429_with_retry_after_in_indonesian(client, settings):
    settings.CASE_REPORT_LIMIT = 3
    accepted = [_post(client) for _ in range(3)]
    refused = _post(client)
    assert [r.status_code for r in accepted] == [201, 201, 201]
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 0 < wait <= settings.CASE_REPORT_WINDOW
    assert refused.json()["detail"] == f"Terlalu banyak laporan dari perangkat ini. Coba lagi dalam {wait} detik."
    # Every accepted report is kept; the refused one left nothing.
    codes = {r.json()["tracking_code"] for r in accepted}
    assert set(Case.objects.values_list("tracking_code", flat=True)) == codes
    # Another client is not held back.
    assert _post(client, REMOTE_ADDR="10.9.8.7").status_code == 201


# GET /api/v1/reports/<code>


def _private_case(persona) -> Case:
    case = make_case(
        "fraud",
        MENTENG_TPS_1,
        source=Case.Source.PUBLIC,
        reporter_name="Siti Pelapor",
        reporter_contact=CONTACT,
    )
    bawaslu = persona("bawaslu")
    case = actions.move(case, "verified", by=bawaslu, note="Catatan internal: saksi Pak Joko")
    case = actions.assign(case, by=bawaslu, user=persona("bawaslu_kec"), note="Tolong datangi Pak Joko")
    actions.add_comment(case, by=bawaslu, text="Rahasia: nomor HP saksi 0813-9999-0000")
    return Case.objects.get(pk=case.pk)


def test_the_status_has_exactly_the_public_keys_and_the_history(client, persona):
    case = _private_case(persona)
    response = client.get(f"/api/v1/reports/{case.tracking_code}")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"tracking_code", "category", "status", "updated_at", "history"}
    assert (data["tracking_code"], data["category"], data["status"]) == (case.tracking_code, "fraud", "assigned")
    assert [set(step) for step in data["history"]] == [{"status", "at"}] * 3
    assert [step["status"] for step in data["history"]] == ["new", "verified", "assigned"]
    text = response.content.decode()
    for secret in (
        "Siti Pelapor",
        CONTACT,
        "Joko",
        "panwascam",
        "Panwascam",
        "0813-9999-0000",
        "Rahasia",
        "bawaslu",
        case.description,
    ):
        assert secret not in text, secret


def test_a_code_may_be_typed_in_lower_case_with_spaces_or_dashes(client):
    case = make_case("fraud", MENTENG)
    code = case.tracking_code
    typed = f"{code[:4].lower()}-{code[4:8]} {code[8:]}"
    assert client.get(f"/api/v1/reports/{typed}").json()["tracking_code"] == code


def test_an_unknown_and_a_mistyped_code_get_the_same_404(client):
    make_case("fraud", MENTENG)
    unknown = client.get("/api/v1/reports/" + "A" * 12)
    mistyped = client.get("/api/v1/reports/ABC0O1IL")
    assert unknown.status_code == mistyped.status_code == 404
    assert unknown.json() == mistyped.json()
    assert unknown.json()["detail"] == "Kode lacak tidak ditemukan. Periksa kembali kodenya."


# The form at /lapor/ and the status page


def _form(**changes):
    data = {
        "category": "security",
        "description": "Ada keributan dan lempar batu di dekat TPS Menteng.",
        "kelurahan": region(MENTENG).pk,
        "tps_number": "",
        "occurred_at": "2024-11-27T08:15",
        "contact": CONTACT,
    }
    data.update(changes)
    return data


def test_the_public_form_gives_a_code_and_the_status_page_shows_the_status_without_the_contact(client):
    assert client.get("/lapor/").status_code == 200
    response = client.post("/lapor/", _form(tps_number="1"))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/lapor/status/{case.tracking_code}/"
    assert (case.source, case.tps.code, case.reporter_contact) == ("public", MENTENG_TPS_1, CONTACT)
    page = client.get(response["Location"]).content.decode()
    assert "Laporan Anda diterima" in page and case.tracking_code in page
    assert 'id="current-status">Baru<' in page
    assert CONTACT not in page and case.description not in page
    again = client.get(response["Location"]).content.decode()
    assert "Laporan Anda diterima" not in again  # the code is announced once; the status stays
    assert 'id="current-status">Baru<' in again


def test_the_status_page_follows_the_case_and_shows_no_one(client, persona):
    case = _private_case(persona)
    page = client.get(f"/lapor/status/{case.tracking_code}/").content.decode()
    assert 'id="current-status">Ditugaskan<' in page
    for secret in ("Siti Pelapor", CONTACT, "Joko", "Panwascam", "0813-9999-0000"):
        assert secret not in page, secret


def test_the_public_form_without_a_tps_reports_at_the_kelurahan(client):
    client.post("/lapor/", _form(category="hoax", anonymous="on"))
    case = Case.objects.get()
    assert (case.tps, case.region, case.area) == (None, region(MENTENG), "3271041001")
    assert case.anonymous and case.reporter_contact == ""


def test_the_public_form_refuses_naming_the_field_and_keeps_nothing(client):
    response = client.post("/lapor/", _form(tps_number="99"))
    assert response.status_code == 422
    assert response.context["form"].errors["tps_number"] == ["TPS «3271041001099» tidak dikenal."]
    response = client.post("/lapor/", _form(description=""))
    assert response.status_code == 422 and "description" in response.context["form"].errors
    assert not Case.objects.exists()


def test_the_public_form_takes_a_photo(client, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/lapor/", _form(photo=SimpleUploadedFile("foto.png", PNG, content_type="image/png")))
    assert response.status_code == 302
    item = CaseAttachment.objects.get()
    assert item.content_type == "image/png" and item.case == Case.objects.get()


def test_the_public_form_refuses_a_file_that_is_not_a_photo_and_keeps_no_half_report(client, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("foto.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = client.post("/lapor/", _form(photo=fake))
    assert response.status_code == 422
    assert "photo" in response.context["form"].errors
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()


def test_the_public_form_holds_back_a_burst(client, settings):
    settings.CASE_REPORT_LIMIT = 2
    statuses = [
        client.post("/lapor/", _form(description=f"Keributan nomor {n} di dekat TPS.")).status_code for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Case.objects.count() == 2


def test_the_lookup_leads_to_the_status_and_an_unknown_code_is_404(client):
    case = make_case("fraud", KEBON_PEDES)
    response = client.get("/lapor/status/", {"kode": case.tracking_code.lower()})
    assert response.status_code == 302 and response["Location"] == f"/lapor/status/{case.tracking_code}/"
    assert client.get("/lapor/status/").status_code == 200
    assert client.get("/lapor/status/", {"kode": "salah"}).status_code == 404
    unknown = client.get("/lapor/status/" + "A" * 12 + "/")
    mistyped = client.get("/lapor/status/ABC0O1/")
    assert unknown.status_code == mistyped.status_code == 404


def test_a_case_time_is_the_apps_clock_time(client):
    response = _post(client)
    case = Case.objects.get(tracking_code=response.json()["tracking_code"])
    assert case.known_at == case.created_at == clock.now()
