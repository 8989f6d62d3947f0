import io

from django.core.files.uploadedfile import SimpleUploadedFile

from deskpilkada import testing
from deskpilkada.tally import actions, loading, rules
from deskpilkada.tally.models import SheetPhoto, TallySheet
from deskpilkada.tally.tests.conftest import KEBON_PEDES_028, MAYOR, make_sheet
from deskpilkada.testing import make_counted, make_held, make_second_entry, make_sirekap

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def form_data(sheet: rules.Sheet, **extra) -> dict:
    return {**{k: str(v) for k, v in sheet.as_flat().items()}, "versi": "0", **extra}


def test_the_kpps_enters_a_sheet_with_a_photo_and_it_counts(client_as, tps028):
    data = form_data(make_sheet(tps028.dpt), foto=SimpleUploadedFile("plano.png", PNG, content_type="image/png"))
    response = client_as("kpps").post(f"/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/isi/", data)
    assert response.status_code == 302
    sheet = TallySheet.objects.get(tps=tps028, contest__code=MAYOR)
    assert sheet.status == "counted" and sheet.latest.source == "kpps"
    assert sheet.photos.get().content_type == "image/png"


def test_a_wrong_sheet_is_held_and_the_form_names_the_field(client_as, tps028):
    sheet = make_sheet(tps028.dpt)
    sheet.numbers["surat_suara_sisa"] += 4
    response = client_as("kpps").post(f"/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/isi/", form_data(sheet))
    assert response.status_code == 200
    assert "surat suara diterima" in response.context["form"].errors["surat_suara_diterima"][0].lower()
    assert TallySheet.objects.get(tps=tps028, contest__code=MAYOR).status == "held"
    assert "DITAHAN" in response.content.decode()


def test_a_photo_that_is_not_an_image_is_refused(client_as, tps028):
    data = form_data(make_sheet(tps028.dpt), foto=SimpleUploadedFile("plano.png", b"%PDF-1.4 not an image"))
    response = client_as("kpps").post(f"/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/isi/", data)
    assert "foto" in response.context["form"].errors
    assert not SheetPhoto.objects.filter(sheet__tps=tps028).exists()
    assert not TallySheet.objects.filter(tps=tps028, contest__code=MAYOR).exists()  # nothing half-saved


def test_second_entry_page_verifies_a_matching_sheet(client_as, persona, tps028, mayor):
    actions.submit_sheet(by=persona("kpps"), tps=tps028, contest=mayor, sheet=make_sheet(tps028.dpt), source="kpps")
    response = client_as("kpu").post(
        f"/penghitungan/tps/{KEBON_PEDES_028}/{MAYOR}/verifikasi/", form_data(make_sheet(tps028.dpt))
    )
    assert response.status_code == 302
    assert TallySheet.objects.get(tps=tps028, contest__code=MAYOR).verified


def test_held_disputed_anomaly_and_sirekap_lists_render(client_as, persona):
    make_held("3271061002001")
    make_second_entry(make_counted("3271041001001"), by=persona("ppk"), votes=(51, 60, 70, 20, 29))
    make_counted("3271011001001")
    make_sirekap("3271011001001", misread={2: 948})
    counted = [make_counted(code) for code in ("3271061002002", "3271061002027")]
    for version in counted:  # one plano on two TPS: an anomaly
        actions.add_photo(by=persona("kpu"), sheet=version.sheet, upload=SimpleUploadedFile("p.png", PNG))
    c = client_as("bawaslu")
    for url in (
        "/penghitungan/ditahan/",
        "/penghitungan/sengketa/",
        "/penghitungan/anomali/",
        "/penghitungan/sirekap/",
        "/penghitungan/ruang-situasi/",
        "/penghitungan/",
    ):
        assert c.get(url, {"pemilihan": MAYOR}).status_code == 200, url
    held = c.get("/penghitungan/ditahan/", {"pemilihan": MAYOR})
    assert [s.tps.code for s in held.context["rows"]] == ["3271061002001"] and "3271061002001" in held.content.decode()
    disputes = c.get("/penghitungan/sengketa/", {"pemilihan": MAYOR})
    assert len(disputes.context["rows"]) == 1 and "3271041001001" in disputes.content.decode()
    anomalies = c.get("/penghitungan/anomali/", {"pemilihan": MAYOR}).context["rows"]
    assert {(r["tps"].code, r["kind"]) for r in anomalies} >= {("3271061002002", "same_photo")}
    sirekap = c.get("/penghitungan/sirekap/", {"pemilihan": MAYOR})
    assert [r["tps"].code for r in sirekap.context["rows"]] == ["3271011001001"] and "948" in sirekap.content.decode()
    partial = c.get("/penghitungan/ruang-situasi/", {"pemilihan": MAYOR}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"Progres per kecamatan" in partial.content


def test_the_web_import_holds_rule_breakers_and_refuses_malformed_files(client_as, tps028):
    header = (
        "kode_tps,pemilihan,dpt,dptb,dpk,pengguna_dpt,pengguna_dptb,pengguna_dpk,surat_suara_diterima,"
        "surat_suara_digunakan,surat_suara_rusak,surat_suara_sisa,suara_sah,suara_tidak_sah,"
        "paslon_1,paslon_2,paslon_3,paslon_4,paslon_5"
    )
    good = make_sheet(tps028.dpt).as_flat()
    row = ",".join(str(good[k]) for k in header.split(",")[2:])
    bad_rule = row.replace(f",{good['suara_sah']},", f",{good['suara_sah'] + 1},", 1)
    c = client_as("kpu")
    malformed = f"{header}\n{KEBON_PEDES_028},{MAYOR},{row}\n3271061002999,{MAYOR},{row}\n".encode()
    response = c.post("/penghitungan/impor/", {"file": SimpleUploadedFile("c.csv", malformed)})
    assert response.context["report"] and not TallySheet.objects.filter(tps=tps028, contest__code=MAYOR).exists()
    ok = f"{header}\n{KEBON_PEDES_028},{MAYOR},{bad_rule}\n".encode()
    result = c.post("/penghitungan/impor/", {"file": SimpleUploadedFile("c.csv", ok)}).context["result"]
    assert (result.counted, result.held) == (0, 1)


def test_the_command_imports_results_and_reports_rows(tmp_path, tps028):
    from django.core.management import call_command

    sheet = make_sheet(tps028.dpt).as_flat()
    columns = ["kode_tps", "pemilihan", *loading.RESULT_COLUMNS[2:], *[f"paslon_{n}" for n in range(1, 6)]]
    path = tmp_path / "hasil.csv"
    path.write_text(
        ",".join(columns) + "\n" + ",".join([KEBON_PEDES_028, MAYOR, *[str(sheet[k]) for k in columns[2:]]]) + "\n"
    )
    out = io.StringIO()
    call_command("import_results", str(path), "--source", "rekap-manual", "--user", "operator.kpu", stdout=out)
    assert "1 C.Hasil dihitung" in out.getvalue()


def test_the_public_results_page_is_cacheable_and_drills_down(client, db):
    for code in ("3271061002027", "3271041001001"):
        make_counted(code)
    page = client.get(f"/hasil/{MAYOR}/3271/")
    assert page.status_code == 200 and page.headers["ETag"]
    assert client.get(f"/hasil/{MAYOR}/32.71/", HTTP_IF_NONE_MATCH=page.headers["ETag"]).status_code == 304
    # Every kecamatan with TPS, counted or not: the world has TPS in four.
    kecamatan = {code[:8] for code in testing.WORLD_TPS}
    assert [c["code"] for c in page.context["data"]["children"]] == sorted(kecamatan) and len(kecamatan) == 4
    tps_page = client.get(f"/hasil/{MAYOR}/3271041001001/")
    assert tps_page.status_code == 200
    assert client.get(f"/hasil/{MAYOR}/32.72/").status_code == 404


def test_the_public_page_changes_its_etag_when_a_sheet_arrives(client, persona, mayor, tps028):
    make_counted("3271061002027")  # the kelurahan already has a result
    etag = client.get(f"/hasil/{MAYOR}/32.71.06.1002/").headers["ETag"]
    actions.submit_sheet(by=persona("kpps"), tps=tps028, contest=mayor, sheet=make_sheet(tps028.dpt), source="kpps")
    response = client.get(f"/hasil/{MAYOR}/32.71.06.1002/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.headers["ETag"] != etag


def test_anomalies_flag_turnout_outliers_and_shared_photos(client_as, persona, mayor, tps028):
    from deskpilkada.tally.results import anomalies
    from deskpilkada.tps.models import Tps

    kpu = persona("kpu")
    # the other TPS of Kebon Pedes, alike but not quite
    for code, votes in (
        ("3271061002001", (50, 60, 70, 20, 30)),
        ("3271061002002", (52, 58, 70, 22, 28)),
        ("3271061002025", (48, 62, 68, 20, 32)),
        ("3271061002027", (50, 60, 72, 19, 29)),
    ):
        make_counted(code, votes=votes)
    # a TPS of Kebon Pedes where paslon 5 takes almost everything
    actions.submit_sheet(
        by=kpu, tps=tps028, contest=mayor, sheet=make_sheet(tps028.dpt, votes=(1, 1, 1, 1, 226)), source="manual"
    )
    other = Tps.objects.filter(code__startswith="3271061002").exclude(code=KEBON_PEDES_028).first()
    for t in (tps028, other):
        sheet = TallySheet.objects.filter(tps=t, contest=mayor).first()
        if sheet is None:
            actions.submit_sheet(by=kpu, tps=t, contest=mayor, sheet=make_sheet(t.dpt), source="manual")
            sheet = TallySheet.objects.get(tps=t, contest=mayor)
        actions.add_photo(by=kpu, sheet=sheet, upload=SimpleUploadedFile("p.png", PNG))
    kinds = {(a["tps"].code, a["kind"]) for a in anomalies(mayor)}
    assert (KEBON_PEDES_028, "share_outlier") in kinds
    assert (KEBON_PEDES_028, "same_photo") in kinds and (other.code, "same_photo") in kinds
    assert {code for code, kind in kinds if kind == "share_outlier"} == {KEBON_PEDES_028}  # the alike are not


def test_finalising_needs_a_fresh_password_and_then_freezes(client_as, mayor):
    from deskpilkada.tally.models import RecapFinal

    for code in ("3271041001001", "3271041001002"):
        make_counted(code)

    stale = client_as("kpu", fresh=False)
    response = stale.post(f"/penghitungan/final/{MAYOR}/32.71.04/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/konfirmasi/")
    assert not RecapFinal.objects.filter(contest=mayor).exists()
    assert client_as("kpu").post(f"/penghitungan/final/{MAYOR}/32.71.04/").status_code == 302
    final = RecapFinal.objects.get(contest=mayor, region__code="32.71.04")
    assert (final.snapshot["tps_total"], final.snapshot["tps_counted"]) == (2, 2)
    assert client_as("ppk").post(f"/penghitungan/final/{MAYOR}/32.71.04/").status_code == 403


def test_the_dispute_list_reads_second_entries_in_one_query(client_as, persona, django_assert_max_num_queries):
    ppk, pps = persona("ppk"), persona("pps")
    disputed = {"3271041001001": ppk, "3271041001002": ppk, "3271061002027": pps}
    for n, (code, second) in enumerate(disputed.items()):
        make_second_entry(make_counted(code), by=second, votes=(51 + n, 60, 70, 20, 29 - n))
    make_second_entry(make_counted("3271061002025"), by=pps)  # matches: verified, no dispute
    c = client_as("bawaslu")
    c.get("/penghitungan/", {"pemilihan": MAYOR})  # the chosen contest is remembered (one session write)
    with django_assert_max_num_queries(11):
        rows = c.get("/penghitungan/sengketa/", {"pemilihan": MAYOR}).context["rows"]
        assert len(rows) == 3
    assert {r["sheet"].tps.code for r in rows} == set(disputed)
    assert all(r["check"].by == disputed[r["sheet"].tps.code] and r["diffs"] for r in rows)
