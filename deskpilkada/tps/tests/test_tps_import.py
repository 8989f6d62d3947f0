import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from deskpilkada import testing as make
from deskpilkada.audit.models import AuditEntry
from deskpilkada.imports import ImportRejected
from deskpilkada.tps.actions import COLUMNS, import_tps
from deskpilkada.tps.models import Tps

HEADER = ",".join(COLUMNS)


def _csv(*rows: str) -> io.BytesIO:
    return io.BytesIO(("\n".join([HEADER, *rows]) + "\n").encode())


def test_a_valid_file_creates_new_tps_and_updates_existing_ones(db):
    f = _csv(
        "3271011001777,Jl. Uji 1,001,002,-6.63,106.81,200,210,,,ya",
        "32.71.04.1001.001,Jl. Baru,003,004,-6.58,106.76,250,250,,,tidak",
    )
    result = import_tps(f, by=None)
    assert (result.created, result.updated) == (1, 1)
    assert Tps.objects.get(code="3271011001777").dpt == 410
    existing = Tps.objects.get(code="3271041001001")
    assert existing.address == "Jl. Baru" and existing.dpt == 500 and existing.version == 2
    assert AuditEntry.objects.filter(
        action="tps.created", target_id=str(Tps.objects.get(code="3271011001777").pk)
    ).exists()
    updated = AuditEntry.objects.filter(action="tps.updated", target_id=str(existing.pk)).first()
    assert updated.after["address"] == "Jl. Baru" and "address" in updated.before


def test_any_bad_row_rejects_the_file_and_every_bad_row_is_reported(db):
    before = Tps.objects.count()
    f = _csv(
        "3271011001778,ok,,,,,100,100,,,",
        "3271011001779,dpt,,,,,400,300,,,",  # 700 voters
        "9999011001001,unknown kelurahan,,,,,10,10,,,",
        "32710110017,short code,,,,,10,10,,,",
        "3271011001780,bad number,,,,,sepuluh,10,,,",
        "3271011001781,bad lat,,,-60,106.8,10,10,,,",
        "3271011001778,duplicate,,,,,10,10,,,",
        "3271011001782,bad kind,,,,,10,10,pasar,,",
        "3271011001783,bad bool,,,,,10,10,,,mungkin",
    )
    with pytest.raises(ImportRejected) as exc:
        import_tps(f, by=None)
    report = {(e.row, e.column) for e in exc.value.errors}
    assert report == {
        (3, "dpt_laki"),
        (4, "kode_tps"),
        (5, "kode_tps"),
        (6, "dpt_laki"),
        (7, "lintang"),
        (8, "kode_tps"),
        (9, "tps_khusus"),
        (10, "akses_kursi_roda"),
    }
    assert "melebihi batas 600" in str(exc.value.errors[0])
    assert Tps.objects.count() == before


def test_it_reads_excel_files_by_content_not_by_name(db):
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    ws.append(["3271011001790", "Jl. Excel", "", "", -6.6, 106.8, 111, 112, "", "", "ya"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "tps.csv"
    import_tps(buf, by=None)
    assert Tps.objects.get(code="3271011001790").dpt_female == 112


def test_it_refuses_a_binary_file_that_is_neither_csv_nor_excel(db):
    with pytest.raises(ImportRejected, match="tidak dikenali"):
        import_tps(io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR"), by=None)


def test_it_refuses_a_missing_required_column_naming_it(db):
    with pytest.raises(ImportRejected) as exc:
        import_tps(io.BytesIO(b"kode_tps,alamat\n3271011001001,x\n"), by=None)
    assert {e.column for e in exc.value.errors} == {"dpt_laki", "dpt_perempuan"}


def test_it_refuses_an_oversized_upload(db, settings):
    settings.UPLOAD_MAX_BYTES = 100
    upload = SimpleUploadedFile("tps.csv", (HEADER + "\n").encode() * 5)
    with pytest.raises(ImportRejected, match="terlalu besar"):
        import_tps(upload, by=None)


def test_rows_outside_the_importers_area_are_refused(db):
    f = _csv("3271011001791,x,,,,,1,1,,,")
    with pytest.raises(ImportRejected, match="di luar wilayah"):
        import_tps(f, by=None, allowed=lambda kel: kel.code.startswith("32.71.04"))


def test_the_import_page_shows_the_row_report_and_saves_nothing(client_as):
    upload = SimpleUploadedFile("tps.csv", (HEADER + "\n3271011001792,x,,,,,700,0,,,\n").encode())
    response = client_as("kpu").post("/tps/impor/", {"file": upload})
    body = response.content.decode()
    assert "Impor dibatalkan" in body and "dpt_laki" in body
    assert not Tps.objects.filter(code="3271011001792").exists()


def test_export_then_import_round_trips_unchanged(client_as):
    # Bogor Tengah's TPS with every column filled somewhere: places, RT/RW, an address with a comma
    # and quotes, wheelchair access, and the two prison TPS of Paledang.
    make.edit_tps("3271031002001", lat=-6.5983, lon=106.7928, rt="001", rw="002", wheelchair_accessible=True)
    make.edit_tps("3271031002002", address='Jl. Paledang No. 7, "Gedung Serbaguna"', rt="011", rw="004")
    for n in (901, 902):
        make.make_tps(
            "32.71.03.1002",
            n,
            address="Lapas Kelas IIA Paledang, Jl. Paledang No. 2",
            lat=-6.5983,
            lon=106.79280 + (n - 901) * 0.0003,
            special_kind=Tps.SpecialKind.PRISON,
            special_place="Lapas Paledang",
            wheelchair_accessible=True,
        )
    make.make_tps("32.71.03.1001", 1, lat=-6.59, lon=106.79)
    exported = b"".join(client_as("kpu").get("/tps/ekspor.csv?kecamatan=32.71.03").streaming_content)
    result = import_tps(io.BytesIO(exported), by=None)
    assert (result.created, result.updated, result.unchanged) == (
        0,
        0,
        Tps.objects.filter(code__startswith="327103").count(),
    )
    assert result.unchanged == 5


def test_excel_export_and_templates_download(client_as):
    c = client_as("viewer")
    xlsx = c.get("/tps/ekspor.xlsx?kelurahan=32.71.03.1002")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    template = b"".join(c.get("/tps/templat.csv").streaming_content).decode("utf-8-sig")
    assert template.splitlines()[0] == HEADER
    assert c.get("/tps/templat.xlsx").status_code == 200


def test_the_command_reports_every_bad_row_and_writes_nothing(db, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "tps.csv"
    path.write_text(HEADER + "\n3271011001793,x,,,,,abc,1,,,\n3271011001794,y,,,,,1,1,,,maybe\n")
    with pytest.raises(CommandError) as exc:
        call_command("import_tps", str(path))
    assert "Baris 2, kolom dpt_laki" in str(exc.value) and "Baris 3, kolom akses_kursi_roda" in str(exc.value)
    assert not Tps.objects.filter(code__in=["3271011001793", "3271011001794"]).exists()


def test_a_file_without_the_optional_columns_leaves_them_as_they_were(db):
    before = make.edit_tps("3271061002025", address="Aula RW 04", lat=-6.548, lon=106.782, rt="004")
    import_tps(io.BytesIO(b"kode_tps,dpt_laki,dpt_perempuan\n3271061002025,201,202\n"), by=None)
    after = Tps.objects.get(code="3271061002025")
    assert (after.dpt_male, after.dpt_female) == (201, 202)
    assert (after.address, after.lat, after.lon, after.rt) == (before.address, before.lat, before.lon, before.rt)


def test_a_latitude_without_a_longitude_is_refused(db):
    with pytest.raises(ImportRejected) as exc:
        import_tps(_csv("3271011001795,x,,,-6.6,,10,10,,,"), by=None)
    assert {(e.row, e.column) for e in exc.value.errors} == {(2, "bujur")}
