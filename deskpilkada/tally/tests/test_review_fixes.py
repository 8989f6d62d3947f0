"""Regressions found in review: totals for a contest set up after the demo, imports outside the
importer's area, ETags after a vote-only correction, bad input that used to end in a 500."""

import io

import pytest
from django.test import Client

from deskpilkada.elections import actions as elections
from deskpilkada.elections.models import Election
from deskpilkada.imports import ImportRejected
from deskpilkada.regions.models import Region
from deskpilkada.tally import actions, loading, rollup
from deskpilkada.tally.models import RegionTotal
from deskpilkada.tally.tests.conftest import KEBON_PEDES_028, MAYOR, make_sheet
from deskpilkada.testing import make_counted


def test_a_contest_created_later_gets_its_totals_on_the_first_sheet(persona, tps028):
    election = Election.objects.get(code="pilkada-2024")
    contest = elections.save_contest(
        by=None,
        code="pilwalkot-uji",
        election=election,
        name="Uji",
        kind="pilwalkot",
        region=Region.objects.get(code="32.71"),
    )
    for n in (1, 2):
        elections.save_candidate(by=None, contest=contest, number=n, head_name=f"C{n}", deputy_name=f"W{n}")
    actions.submit_sheet(
        by=persona("kpu"), tps=tps028, contest=contest, sheet=make_sheet(tps028.dpt, votes=(100, 90)), source="manual"
    )
    city = RegionTotal.objects.get(contest=contest, region__code="32.71")
    assert (city.tps_counted, city.valid) == (1, 190)
    assert rollup.recount_differences(contest) == []


def test_an_import_cannot_reach_outside_the_importers_area(persona, tps028):
    from deskpilkada.voters.actions import import_dpt

    sheet = make_sheet(tps028.dpt).as_flat()
    header = ["kode_tps", "pemilihan", *loading.RESULT_COLUMNS[2:], *[f"paslon_{n}" for n in range(1, 6)]]
    body = ",".join(header) + "\n" + ",".join([KEBON_PEDES_028, MAYOR, *[str(sheet[k]) for k in header[2:]]]) + "\n"
    ppk = persona("ppk")  # Bogor Barat: Kebon Pedes is outside
    with pytest.raises(ImportRejected, match="di luar wilayah"):
        loading.import_results(io.BytesIO(body.encode()), by=ppk)
    row = "3201010101800099,3201010101800098,A,B,1980-01-01,L,x,1,2,3271061002001"
    dpt_header = "nik,nkk,nama,tempat_lahir,tanggal_lahir,jenis_kelamin,alamat,rt,rw,kode_tps"
    with pytest.raises(ImportRejected, match="di luar wilayah"):
        import_dpt(
            io.BytesIO(f"{dpt_header}\n{row}\n".encode()), by=ppk, election=Election.objects.get(code="pilkada-2024")
        )


def test_a_vote_only_correction_changes_the_public_etag(client, persona, mayor, tps028):
    kpu = persona("kpu")
    actions.submit_sheet(by=kpu, tps=tps028, contest=mayor, sheet=make_sheet(tps028.dpt), source="manual")
    etag = client.get(f"/hasil/{MAYOR}/32.71.06.1002/").headers["ETag"]
    actions.submit_sheet(
        by=kpu,
        tps=tps028,
        contest=mayor,
        sheet=make_sheet(tps028.dpt, votes=(70, 60, 50, 20, 30)),
        source="manual",
        reason="paslon 1 dan 3 tertukar",
    )
    total = RegionTotal.objects.get(contest=mayor, region__code="32.71.06.1002")
    assert (total.tps_counted, total.tps_held, total.valid) == (1, 0, 230)  # only the votes moved
    assert client.get(f"/hasil/{MAYOR}/32.71.06.1002/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_bad_input_is_refused_with_a_message_not_a_server_error(client_as, persona, mayor, tps028):
    c = client_as("kpu")
    data = {k: str(v) for k, v in make_sheet(tps028.dpt).as_flat().items()}
    tampered = c.post(f"/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/isi/", {**data, "versi": "abc"})
    assert tampered.status_code == 200 and tampered.context["form"].non_field_errors()
    huge = c.post(
        f"/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/isi/", {**data, "paslon_1": "99999999999", "versi": "0"}
    )
    assert "terlalu besar" in huge.context["form"].errors["paslon_1"][0]
    assert client_as("kpu").get("/sosialisasi/", {"bulan": "0001-01"}).status_code == 200
    assert client_as("kpu").post(f"/penghitungan/final/{MAYOR}/32.72/").status_code == 404
    token_client = Client()
    token_client.force_login(persona("kpu"))
    body = {
        "kode_tps": KEBON_PEDES_028,
        "pemilihan": MAYOR,
        **{k: v for k, v in make_sheet(tps028.dpt).as_flat().items() if not k.startswith("paslon_")},
        "paslon": {"1": 10**12, "2": 0, "3": 0, "4": 0, "5": 0},
    }
    api = token_client.post("/api/v1/tally-sheets", body, content_type="application/json")
    assert api.status_code in (403, 422)


def test_d_hasil_cannot_be_entered_after_the_kecamatan_is_final(client_as, persona, mayor):
    from deskpilkada.tally.models import DHasil

    for code in ("3271041001001", "3271041001002"):
        make_counted(code)
    actions.finalise_recap(by=persona("kpu"), contest=mayor, region=Region.objects.get(code="32.71.04"))
    response = client_as("ppk").post(
        f"/penghitungan/d-hasil/{MAYOR}/32.71.04/", {"suara_sah": 1, "suara_tidak_sah": 0, "pengguna": 1}
    )
    assert response.status_code == 403
    assert not DHasil.objects.filter(contest=mayor, kecamatan__code="32.71.04").exists()


def test_the_photo_check_refuses_a_sheet_changed_since_the_page_was_opened(persona, mayor, tps028):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from deskpilkada.tally.models import TallySheet
    from deskpilkada.tally.tests.test_tally_views import PNG

    kpps = persona("kpps")
    actions.submit_sheet(by=kpps, tps=tps028, contest=mayor, sheet=make_sheet(tps028.dpt), source="kpps")
    row = TallySheet.objects.get(tps=tps028, contest=mayor)
    actions.add_photo(by=kpps, sheet=row, upload=SimpleUploadedFile("p.png", PNG))
    actions.submit_sheet(
        by=kpps,
        tps=tps028,
        contest=mayor,
        sheet=make_sheet(tps028.dpt, votes=(51, 60, 70, 20, 29)),
        source="kpps",
        reason="x",
    )
    row.refresh_from_db()
    assert (row.version_count, row.status) == (2, "counted")
    with pytest.raises(actions.Stale):
        actions.confirm_against_photo(by=persona("kpu"), sheet=row, expected_version=1)


def test_the_client_address_behind_a_proxy_is_the_one_the_proxy_added(rf, settings):
    from deskpilkada.accounts.middleware import client_ip

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.9.8.7", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "10.9.8.7"


def test_a_refused_photo_leaves_no_saved_sheet_behind(client_as, tps028, mayor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from deskpilkada.tally.models import TallySheet

    data = {k: str(v) for k, v in make_sheet(tps028.dpt).as_flat().items()}
    response = client_as("kpps").post(
        f"/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/isi/",
        {**data, "versi": "0", "foto": SimpleUploadedFile("x.gif", b"GIF89a....")},
    )
    assert "foto" in response.context["form"].errors
    assert not TallySheet.objects.filter(tps=tps028, contest=mayor).exists()
