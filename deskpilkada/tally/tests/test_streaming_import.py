"""The C.Hasil file import streams (issue 14, item 7): a first pass checks every row, chunk by chunk,
a second writes; a file larger than a chunk behaves as a small one — all or nothing, duplicates found
across chunks, first entries in bulk and corrections as versions, the totals right."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deskpilkada.audit.models import AuditEntry
from deskpilkada.imports import ImportRejected
from deskpilkada.tally import loading, rollup
from deskpilkada.tally.models import SheetVersion, TallySheet
from deskpilkada.tally.tests.conftest import KEBON_PEDES_028, MAYOR, make_sheet
from deskpilkada.testing import make_counted, make_tps

COLUMNS = [*loading.RESULT_COLUMNS, *[f"paslon_{n}" for n in range(1, 6)]]


def _file(rows: list[tuple[str, dict]]) -> bytes:
    lines = [",".join(COLUMNS)]
    lines += [",".join([code, MAYOR, *[str(figures[c]) for c in COLUMNS[2:]]]) for code, figures in rows]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(loading, "CHUNK", 3)


def test_a_file_larger_than_a_chunk_writes_every_row_first_entries_in_bulk_and_corrections_as_versions(
    persona, mayor, tps028, small_chunks
):
    fresh = [make_tps() for _ in range(6)]
    make_counted(KEBON_PEDES_028)  # already counted: the file corrects it
    good = make_sheet(tps028.dpt).as_flat()
    changed = make_sheet(tps028.dpt, votes=(60, 50, 70, 20, 30)).as_flat()
    rows = [(t.code, make_sheet(t.dpt).as_flat()) for t in fresh] + [(KEBON_PEDES_028, changed)]
    result = loading.import_results(io.BytesIO(_file(rows)), by=persona("kpu"), source="rekap-manual")
    assert (result.counted, result.held, result.unchanged) == (7, 0, 0)
    # The import's own name goes in the reasons and the audit; the versions are of the kind "csv".
    versions = SheetVersion.objects.filter(sheet__tps__in=[*fresh, tps28 := tps028], sheet__contest=mayor)
    assert set(versions.values_list("source", flat=True)) == {"csv", "manual"}
    assert versions.get(number=2, sheet__tps=tps28).reason == "impor rekap-manual"
    assert TallySheet.objects.filter(tps__in=fresh, contest=mayor, status="counted").count() == 6
    corrected = TallySheet.objects.get(tps=tps028, contest=mayor)
    assert corrected.version_count == 2 and corrected.latest.as_sheet().as_flat() == changed
    assert good != changed
    assert rollup.recount_differences(mayor) == []
    assert AuditEntry.objects.filter(action="tally.sheets_loaded").count() == 2  # chunks of 3, 3 and 1 (a correction)
    again = loading.import_results(io.BytesIO(_file(rows)), by=persona("kpu"))
    assert (again.counted, again.unchanged) == (0, 7)


def test_a_pair_given_again_in_a_later_chunk_refuses_the_file_naming_the_first_row(persona, mayor, small_chunks):
    fresh = [make_tps() for _ in range(4)]
    rows = [(t.code, make_sheet(t.dpt).as_flat()) for t in fresh] + [(fresh[0].code, make_sheet(250).as_flat())]
    with pytest.raises(ImportRejected) as refused:
        loading.import_results(io.BytesIO(_file(rows)), by=persona("kpu"))
    [error] = refused.value.errors
    assert (error.row, error.column) == (6, "kode_tps") and "baris 2" in error.message
    assert not TallySheet.objects.filter(tps__in=fresh).exists()


def test_a_bad_row_in_the_last_chunk_refuses_the_whole_file(persona, mayor, small_chunks):
    fresh = [make_tps() for _ in range(5)]
    rows = [(t.code, make_sheet(t.dpt).as_flat()) for t in fresh]
    rows[-1] = (rows[-1][0], {**rows[-1][1], "suara_sah": "banyak"})
    with pytest.raises(ImportRejected) as refused:
        loading.import_results(io.BytesIO(_file(rows)), by=persona("kpu"))
    assert [(e.row, e.column) for e in refused.value.errors] == [(6, "suara_sah")]
    assert not TallySheet.objects.filter(tps__in=fresh).exists()
    assert not AuditEntry.objects.filter(action__in=["tally.sheets_loaded", "tally.results_imported"]).exists()


def test_an_import_holding_more_rows_than_it_lists_says_how_many_more(client_as, mayor, monkeypatch, small_chunks):
    monkeypatch.setattr(loading, "HELD_SHOWN", 2)
    fresh = [make_tps() for _ in range(3)]
    rows = [(t.code, {**make_sheet(t.dpt).as_flat(), "suara_sah": 1}) for t in fresh]  # the sums break: held
    page = client_as("kpu").post("/penghitungan/impor/", {"file": SimpleUploadedFile("c.csv", _file(rows))})
    result = page.context["result"]
    assert (result.held, len(result.held_rows), result.held_not_shown) == (3, 2, 1)
    html = page.content.decode()
    assert "3 baris disimpan sebagai C.Hasil DITAHAN" in html and "Di atas 2 yang pertama; 1 lainnya" in html
    assert f"/penghitungan/ditahan/?pemilihan={MAYOR}" in html
