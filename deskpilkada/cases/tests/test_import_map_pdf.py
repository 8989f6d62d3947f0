"""The case register's import (all or nothing, with a row report, inside the importer's area), the
map and timeline (the inbox's cases and filters, pins by place, days by category), and the PDF (the
case's facts; the reporter's contact only for its handlers)."""

import re
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deskpilkada.cases.models import Case
from deskpilkada.cases.tests.conftest import BATU_TULIS, MENTENG, MENTENG_TPS_1, wib
from deskpilkada.testing import make_case, place_tps

pytestmark = pytest.mark.django_db

BATU_TULIS_TPS_1 = "3271011001001"
HEADER = "kategori,uraian,kode_tempat,waktu_kejadian,judul,waktu_diketahui,tingkat,nama_pelapor,kontak_pelapor\n"


def _csv(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("kasus.csv", (HEADER + "\n".join(rows) + "\n").encode(), content_type="text/csv")


def _import(client, *rows: str):
    return client.post("/kasus/impor/", {"file": _csv(*rows)})


GOOD = "security,Massa berkumpul di depan TPS 001 Menteng sejak pagi,3271041001001,2024-11-27 07:30,Kerumunan,,tinggi,,"
GOOD_2 = "fraud,Pembagian amplop di gang dekat TPS 002 Menteng,3271041001002,2024-11-27 06:00,Amplop,,sedang,Warga,0812"


def test_an_import_takes_in_every_row_through_the_intake(client_as):
    response = _import(client_as("security_kec"), GOOD, GOOD_2)
    assert response.status_code == 200 and response.context["report"] is None
    cases = Case.objects.order_by("pk")
    assert [(c.category, c.severity, c.source, c.area) for c in cases] == [
        ("security", "high", "import", "3271041001001"),
        ("fraud", "medium", "import", "3271041001002"),
    ]
    assert cases[1].reporter_name == "Warga" and cases[0].due_at is not None  # deadlines as at intake


def test_one_bad_row_keeps_the_whole_file_out_and_is_named_with_its_column(client_as):
    bad_time = "fraud,Pembagian amplop di dekat TPS 001 Menteng pagi ini,3271041001001,besok pagi,,,,,"
    bad_place = "hoax,Pesan berantai bahwa TPS 001 dipindah ke balai RW,3271999999999,2024-11-27 07:00,,,,,"
    response = _import(client_as("security_kec"), GOOD, bad_time, bad_place)
    report = response.context["report"]
    assert {(e.row, e.column) for e in report.errors} == {(3, "waktu_kejadian"), (4, "kode_tempat")}
    assert "TPS «3271999999999» tidak dikenal" in response.content.decode()
    assert not Case.objects.exists()


def test_a_row_outside_the_importers_area_keeps_the_whole_file_out(client_as):
    outside = "security,Blokade jalan menuju TPS 001 Batu Tulis oleh massa,3271011001001,2024-11-27 08:00,,,,,"
    response = _import(client_as("security_kec"), GOOD, outside)
    errors = response.context["report"].errors
    assert [(e.row, e.column) for e in errors] == [(3, "kode_tempat")]
    assert "di luar wilayah" in errors[0].message
    assert not Case.objects.exists()


def test_the_import_template_has_the_columns_it_reads(client_as):
    response = client_as("security").get("/kasus/templat/csv/")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == HEADER.strip()


def test_the_map_pins_the_inbox_cases_by_place_with_the_worst_severity(client_as):
    place_tps()
    make_case("security", MENTENG_TPS_1, severity="low")
    make_case("security", MENTENG_TPS_1, severity="critical")
    make_case("security", BATU_TULIS_TPS_1, severity="medium")
    make_case("fraud", MENTENG_TPS_1, severity="high")  # not the police's
    make_case("security", BATU_TULIS, severity="low")  # a kelurahan without a place on the map: counted apart
    page = client_as("security_kec").get("/kasus/peta/")
    points = page.context["points"]
    assert [(p["count"], p["status"]) for p in points] == [(2, "critical")]  # Batu Tulis: outside Bogor Barat
    city = client_as("security").get("/kasus/peta/?tingkat=medium")
    assert [(p["count"], p["status"], p["title"]) for p in city.context["points"]] == [(1, "medium", "Batu Tulis")]
    assert client_as("security").get("/kasus/peta/").context["unplaced"] == 1


def test_the_timeline_counts_the_cases_known_each_day_by_category(client_as):
    for day in ("2024-11-25 10:00", "2024-11-27 08:00", "2024-11-27 09:00"):
        make_case("security", MENTENG, occurred_at=wib(day), known_at=wib(day))
    make_case("hoax", MENTENG, occurred_at=wib("2024-11-27 09:00"), known_at=wib("2024-11-27 09:00"))
    timeline = client_as("admin").get("/kasus/peta/").context["timeline"]
    assert [(row["day"].isoformat(), row["total"]) for row in timeline] == [("2024-11-25", 1), ("2024-11-27", 3)]
    assert sorted(n for _label, n in timeline[1]["parts"]) == [1, 2]


def _pdf_text(data: bytes) -> str:
    """The text drawn in a PDF of fpdf2's core fonts: its content streams inflated."""
    assert data.startswith(b"%PDF")
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompressobj().decompress(stream).decode("latin-1"))
        except zlib.error:
            out.append(stream.decode("latin-1"))
    return "".join(out)


def test_the_pdf_holds_the_case_and_the_contact_only_for_its_handlers(client_as):
    case = make_case(
        "fraud",
        MENTENG_TPS_1,
        title="Amplop di TPS 001",
        reporter_name="Pelapor Uji",
        reporter_contact="0812-0000-1111",
    )
    handler = client_as("bawaslu").get(f"/kasus/{case.pk}/pdf/")
    assert handler["Content-Type"] == "application/pdf"
    assert f'filename="kasus-{case.pk}.pdf"' in handler["Content-Disposition"]
    text = _pdf_text(handler.content)
    assert f"Kasus #{case.pk}" in text and "Amplop di TPS 001" in text and "0812-0000-1111" in text
    viewer = _pdf_text(client_as("viewer").get(f"/kasus/{case.pk}/pdf/").content)
    assert "Amplop di TPS 001" in viewer and "0812-0000-1111" not in viewer
