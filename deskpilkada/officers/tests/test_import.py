"""The import of a recruitment export: all-or-nothing with a row report, and no NIK in clear anywhere."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection

from deskpilkada import testing as make
from deskpilkada.imports import ImportRejected
from deskpilkada.officers import actions
from deskpilkada.officers.models import Officer

pytestmark = pytest.mark.django_db

HEADER = actions.COLUMNS


def csv_file(*rows) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode())


def row(nik, role="KPPS", chair="Anggota", region="32.71.06.1002", tps="28", born="1990-01-01", tmt="2024-11-06"):
    return [nik, f"Petugas {nik[-4:]} (demo)", born, "P", "081234567890", "Jl. Contoh 1", role, chair, region, tps, tmt]


def test_a_good_file_imports_every_role_into_its_crew():
    f = csv_file(
        row("9900000000000101", chair="Ketua"),
        row("9900000000000102"),
        row("9900000000000103", role="LINMAS"),
        row("9900000000000104", role="PPK", region="32.71.06", tps=""),
        row("9900000000000105", role="PPS", region="32.71.06.1002", tps=""),
    )
    result = actions.import_officers(f, by=None, election=make.election())
    assert result.imported == 5 and result.by_role == {"ppk": 1, "pps": 1, "kpps": 2, "linmas": 1}
    chair = Officer.objects.get(is_chair=True, role="kpps")
    assert chair.area_code == "3271061002028" and chair.tps.code == "3271061002028"
    assert Officer.objects.get(role="ppk").area_code == "327106"


def test_a_bad_file_saves_nothing_and_names_each_row_and_column():
    f = csv_file(
        row("9900000000000201"),
        row("9900000000000202", born="1960-01-01"),  # 64 at the appointment date
        row("9900000000000201", tps="27"),  # the same person in a second crew
        row("9900000000000204", tps="999"),  # no such TPS
        row("12345", role="KPPS"),
        row("9900000000000206", role="LINMAS", chair="Ketua"),
    )
    with pytest.raises(ImportRejected) as rejected:
        actions.import_officers(f, by=None, election=make.election())
    found = {(e.row, e.column) for e in rejected.value.errors}
    assert found == {(3, "tanggal_lahir"), (4, "nik"), (5, "no_tps"), (6, "nik"), (7, "jabatan")}
    messages = " ".join(str(e) for e in rejected.value.errors)
    assert "Baris 3, kolom tanggal_lahir" in messages and "paling tinggi 55 tahun" in messages
    assert "dua kru" in messages
    assert not Officer.objects.exists()


def test_a_person_already_serving_is_refused_in_a_later_import():
    actions.import_officers(csv_file(row("9900000000000301")), by=None, election=make.election())
    with pytest.raises(ImportRejected) as rejected:
        actions.import_officers(csv_file(row("9900000000000301", tps="27")), by=None, election=make.election())
    assert rejected.value.errors[0].column == "nik" and "TPS 028 Kebon Pedes" in rejected.value.errors[0].message


def test_a_crew_beyond_its_size_is_refused_at_the_first_row_too_many():
    rows = [row(f"99000000000004{i:02d}") for i in range(8)]
    with pytest.raises(ImportRejected) as rejected:
        actions.import_officers(csv_file(*rows), by=None, election=make.election())
    assert [(e.row, e.column) for e in rejected.value.errors] == [(9, "kode_wilayah")]


def test_no_nik_in_clear_in_any_table_after_an_import(tmp_path):
    niks = [f"99000000000005{i:02d}" for i in range(3)]
    path = tmp_path / "petugas.csv"
    path.write_bytes(csv_file(*[row(n) for n in niks]).getvalue())
    call_command("import_officers", str(path), "--election", make.ELECTION)
    assert Officer.objects.count() == 3
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names)
            dump = repr(cursor.fetchall())
            for nik in niks:
                assert nik not in dump, table
                assert f"{nik[:4]} {nik[4:8]}" not in dump, table


def test_the_web_import_saves_the_file_and_shows_the_summary(client_as):
    response = client_as("kpu").post("/petugas/impor/", {"file": _upload(csv_file(row("9900000000000602")))})
    assert response.status_code == 200 and Officer.objects.count() == 1
    assert "1 petugas diimpor" in response.content.decode()


def test_the_web_import_shows_the_row_report(client_as):
    response = client_as("kpu").post("/petugas/impor/", {"file": _upload(csv_file(row("123")))})
    page = response.content.decode()
    assert "Impor dibatalkan" in page and "nik" in page and not Officer.objects.exists()


def _upload(f):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("petugas.csv", f.getvalue(), content_type="text/csv")


def test_the_template_names_the_columns(client_as):
    response = client_as("kpu").get("/petugas/templat/csv/")
    first = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert first.split(",") == HEADER
