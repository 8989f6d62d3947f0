"""The TPS template shows a filled-in example that can never overwrite a real TPS."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from deskpilkada.imports import read_table
from deskpilkada.tps.actions import COLUMNS, import_tps
from deskpilkada.tps.models import Tps


def _csv_template(client) -> list[list[str]]:
    response = client.get("/tps/templat.csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_template_has_a_marked_example_row_from_the_users_area(client_as):
    header, note, example = _csv_template(client_as("kpps"))
    assert header == COLUMNS
    assert note[0].startswith("# ") and "dilewati saat impor" in note[0]
    tps = Tps.objects.get(code="3271061002028")  # the KPPS's own TPS, as the register holds it
    assert example[0] == "#" + tps.code and example[1] == tps.address
    assert (int(example[6]), int(example[7])) == (tps.dpt_male, tps.dpt_female)


def test_the_excel_template_has_the_same_rows(client_as):
    workbook = load_workbook(io.BytesIO(client_as("kpu").get("/tps/templat.xlsx").content))
    rows = [[c.value for c in row] for row in workbook.worksheets[0].iter_rows()]
    assert rows[0] == COLUMNS and rows[1][0].startswith("#") and rows[2][0].startswith("#32")


def test_the_template_imported_as_it_is_changes_no_tps(client_as, db):
    rows = _csv_template(client_as("kpu"))
    example = Tps.objects.get(code=rows[2][0][1:])
    before = (example.address, example.version)
    data = io.StringIO()
    csv.writer(data).writerows([*rows, ["3271011001777", "Jl. Uji", "", "", "", "", "10", "12", "", "", "ya"]])
    result = import_tps(SimpleUploadedFile("tps.csv", data.getvalue().encode()), by=None)
    assert (result.created, result.updated, result.notes) == (1, 0, [2, 3])
    assert "2 baris catatan" in result.summary()
    example.refresh_from_db()
    assert (example.address, example.version) == before


def test_note_rows_are_skipped_by_every_import_and_reported_when_asked():
    upload = io.BytesIO(b"kode_tps,dpt_laki\n# a note\n#3271011001001,5\n3271011001002,6\n")
    notes: list[int] = []
    rows = list(read_table(upload, required=["kode_tps"], optional=["dpt_laki"], notes=notes))
    assert rows == [(4, {"kode_tps": "3271011001002", "dpt_laki": "6"})] and notes == [2, 3]
