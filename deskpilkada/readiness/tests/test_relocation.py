"""Relocation on the day: the TPS moves everywhere — the register, the public look-up (page and API)
and the public TPS list say "TPS dipindahkan" with both places — one audit row names both places,
and the voters to tell are counted, with texts ready."""

import pytest

from deskpilkada import testing as make
from deskpilkada.audit.models import AuditEntry
from deskpilkada.readiness import actions
from deskpilkada.tps.models import Relocation
from deskpilkada.voters.demo import demo_voter_rows

TPS = "3271061002028"


@pytest.fixture
def voter_of_tps(db):
    return next(row for row in demo_voter_rows() if row[9] == TPS)


def _relocate(by, **fields):
    values = {
        "address": "Halaman Masjid RW 05",
        "lat": None,
        "lon": None,
        "reason": "Tergenang banjir 30 cm",
        "decided_by": "Ketua KPU Kota",
    }
    return actions.relocate(by=by, tps=make.tps(TPS), **{**values, **fields})


def test_a_relocation_changes_what_the_public_lookup_and_list_show(client, persona, voter_of_tps):
    old = make.tps(TPS).address
    _relocate(persona("kpu"))
    api = client.get("/api/v1/voters/lookup", {"nik": voter_of_tps[0], "confirm": voter_of_tps[4]}).json()
    assert api["address"] == "Halaman Masjid RW 05"
    assert api["relocated"]["from"] == old and api["relocated"]["reason"] == "Tergenang banjir 30 cm"
    assert api["relocated"]["at"].startswith("2024-11-27T")
    page = client.post("/cek-tps/", {"nik": voter_of_tps[0], "confirm": voter_of_tps[4]}).content.decode()
    assert "TPS dipindahkan" in page and old in page and "Halaman Masjid RW 05" in page
    listing = client.get("/cek-tps/kelurahan/32.71.06.1002/").content.decode()
    assert "TPS dipindahkan" in listing and old in listing and "Halaman Masjid RW 05" in listing


def test_one_audit_row_names_both_places_and_the_history_keeps_the_old_one(db, persona):
    old = make.tps(TPS).address
    moved = _relocate(persona("kpu"))
    rows = AuditEntry.objects.filter(target_type="tps.tps", target_id=str(moved.tps_id), action="tps.relocated")
    assert rows.count() == 1
    assert rows[0].before["address"] == old and rows[0].after["address"] == "Halaman Masjid RW 05"
    assert not AuditEntry.objects.filter(action="tps.updated", target_id=str(moved.tps_id)).exists()
    assert moved.from_address == old and moved.voters_affected == make.tps(TPS).dpt == 250


def test_a_relocation_without_a_reason_is_refused_naming_the_field(db, persona):
    with pytest.raises(actions.Refused) as refused:
        _relocate(persona("kpu"), reason="  ")
    assert refused.value.field == "reason"
    assert not Relocation.objects.exists()


def test_a_place_outside_the_kelurahan_needs_an_explicit_confirmation(db, persona):
    # Right on another kelurahan's TPS (Bogor Selatan): the nearest TPS is not of Kebon Pedes.
    make.place_tps()
    elsewhere = make.tps("3271011001001")
    with pytest.raises(actions.Refused) as refused:
        _relocate(persona("kpu"), lat=elsewhere.lat, lon=elsewhere.lon)
    assert refused.value.field == "confirm_outside_kelurahan"
    moved = _relocate(persona("kpu"), lat=elsewhere.lat, lon=elsewhere.lon, confirm_outside_kelurahan=True)
    assert moved.outside_kelurahan and make.tps(TPS).lat == elsewhere.lat


def test_the_notice_texts_count_the_voters_for_the_lurah_rt_rw_and_social_media(db, persona):
    texts = actions.notice_texts(_relocate(persona("kpu")))
    assert set(texts) == {"lurah", "rt_rw", "media_sosial"}
    assert "250 pemilih" in texts["lurah"] and "Halaman Masjid RW 05" in texts["rt_rw"]
    assert "07.00–13.00" in texts["media_sosial"]


def test_the_area_head_pps_and_kpps_are_told_to_inform_the_voters(db, persona, django_capture_on_commit_callbacks):
    from deskpilkada.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        _relocate(persona("kpu"))
    told = set(Notification.objects.filter(kind="readiness.relocated").values_list("recipient__username", flat=True))
    assert {"lurah.kebonpedes", "pps.kebonpedes", "kpps.kebonpedes028"} <= told
    assert "camat.bogorbarat" not in told


def test_the_api_relocates_and_answers_the_tps_as_it_now_stands(client_as):
    c = client_as("kpu")
    response = c.post(
        f"/api/v1/tps/{TPS}/relocation",
        {"address": "Balai RW 05", "lat": -6.56, "lon": 106.79, "reason": "banjir", "confirm_outside_kelurahan": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["address"] == "Balai RW 05" and response.json()["lat"] == -6.56


def test_the_api_refuses_a_relocation_without_a_reason_naming_the_field(client_as):
    response = client_as("kpu").post(
        f"/api/v1/tps/{TPS}/relocation", {"address": "Balai RW 05"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "reason", "message": "Isi alasan pemindahan TPS."}]


def test_the_ppk_may_not_relocate_outside_its_kecamatan(client_as):
    response = client_as("ppk").post(
        f"/api/v1/tps/{TPS}/relocation", {"address": "Balai", "reason": "banjir"}, content_type="application/json"
    )
    assert response.status_code == 403
