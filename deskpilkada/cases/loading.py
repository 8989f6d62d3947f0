"""Cases from a CSV or Excel file (a Bawaslu or police register kept in a spreadsheet): every row
checked, all-or-nothing with a row report; each case then taken in through the ordinary intake."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpilkada.accounts.models import User
from deskpilkada.cases import actions
from deskpilkada.cases.categories import CATEGORIES
from deskpilkada.cases.models import Case, Severity
from deskpilkada.imports import ImportRejected, RowError, read_table

REQUIRED = ["kategori", "uraian", "kode_tempat", "waktu_kejadian"]
COLUMNS = [*REQUIRED, "judul", "waktu_diketahui", "tingkat", "nama_pelapor", "kontak_pelapor"]
MAX_ROWS = 5000
SEVERITY_WORDS = {str(label): value for value, label in Severity.choices} | {v: v for v in Severity.values}


def parse_time(text: str) -> dt.datetime:
    """`2024-11-27 10:30` (or with a T, or a date alone at 00:00), in the server's time zone."""
    text = text.strip().replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M"):
        try:
            return timezone.make_aware(dt.datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise ValueError(_("waktu tidak valid: tulis TTTT-BB-HH JJ:MM, mis. 2024-11-27 10:30"))


def template_rows() -> list[list[str]]:
    return [
        [
            "fraud",
            "Pembagian amplop di dekat TPS (contoh)",
            "3271061002028",
            "2024-11-27 06:30",
            "Politik uang di TPS 028",
            "2024-11-27 08:00",
            "tinggi",
            "",
            "",
        ]
    ]


def _parse(number: int, row: dict, errors: list[RowError]) -> dict | None:
    before = len(errors)
    category = row["kategori"].strip().lower()
    if category not in CATEGORIES:
        errors.append(
            RowError(
                number,
                "kategori",
                _("kategori «%(c)s» tidak dikenal (pilih: %(all)s)") % {"c": category, "all": ", ".join(CATEGORIES)},
            )
        )
    severity = SEVERITY_WORDS.get(row.get("tingkat", "").strip().lower() or "medium")
    if severity is None:
        errors.append(RowError(number, "tingkat", _("tingkat harus kritis, tinggi, sedang atau rendah")))
    times = {}
    for column in ("waktu_kejadian", "waktu_diketahui"):
        text = row.get(column, "")
        if not text:
            continue
        try:
            times[column] = parse_time(text)
        except ValueError as e:
            errors.append(RowError(number, column, str(e)))
    try:
        actions.find_place(row["kode_tempat"])
    except actions.Refused as e:
        errors.append(RowError(number, "kode_tempat", e.message))
    if len(errors) > before:
        return None
    return {
        "category": category,
        "description": row["uraian"],
        "place_code": row["kode_tempat"],
        "occurred_at": times["waktu_kejadian"],
        "known_at": times.get("waktu_diketahui"),
        "title": row.get("judul", ""),
        "severity": severity,
        "reporter_name": row.get("nama_pelapor", ""),
        "reporter_contact": row.get("kontak_pelapor", ""),
    }


COLUMN_OF = {
    "category": "kategori",
    "description": "uraian",
    "place_code": "kode_tempat",
    "occurred_at": "waktu_kejadian",
    "known_at": "waktu_diketahui",
    "severity": "tingkat",
}


def import_cases(fileobj, *, by: User | None) -> list[Case]:
    """Take in every row as a case, or none: a refused row (by the file's checks or by the intake's
    own) rolls everything back and is reported with its row and column."""
    errors: list[RowError] = []
    parsed: list[tuple[int, dict]] = []
    for number, row in read_table(fileobj, required=REQUIRED, optional=COLUMNS):
        if len(parsed) >= MAX_ROWS:
            raise ImportRejected([RowError(number, "", _("paling banyak %(n)d baris per berkas") % {"n": MAX_ROWS})])
        data = _parse(number, row, errors)
        if data is not None:
            parsed.append((number, data))
    if errors:
        raise ImportRejected(errors)
    if not parsed:
        raise ImportRejected([RowError(0, "", _("Berkas tidak berisi baris data."))])
    cases: list[Case] = []
    with transaction.atomic():  # a row the intake refuses rolls back the rows taken in before it
        for number, data in parsed:
            try:
                cases.append(actions.report_case(by=by, source=Case.Source.IMPORT, **data))
            except actions.Refused as e:
                errors.append(RowError(number, COLUMN_OF.get(e.field, e.field), e.message))
        if errors:
            raise ImportRejected(errors)
    return cases
