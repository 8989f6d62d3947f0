"""The label sheet (a PDF, fpdf2): one label per shipment or sealed box, with a QR code (segno)
that opens the scan URL `/logistik/pindai/<code>/`, the short code in large letters for typing, and
what, from whom, to whom. The QR modules are drawn as filled squares: vector, sharp at any print size."""

from __future__ import annotations

from collections.abc import Sequence

import segno
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from fpdf import FPDF

from deskpilkada.logistics.chain import holder_names
from deskpilkada.logistics.models import Shipment, TrackedUnit

PLAIN = str.maketrans({"—": "-", "–": "-", "→": "->", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "·": "-"})
COLUMNS, ROWS = 2, 4  # eight labels of 95 × 66 mm on an A4 sheet
WIDTH, HEIGHT, MARGIN = 95.0, 66.0, 10.0


def _text(value: object) -> str:
    return str(value).translate(PLAIN).encode("latin-1", "replace").decode("latin-1")


def scan_url(request, code: str) -> str:
    return request.build_absolute_uri(reverse("logistics:scan_code", args=[code]))


def qr_matrix(payload: str) -> list[list[bool]]:
    qr = segno.make(payload, error="m", micro=False)
    return [[bool(v) for v in row] for row in qr.matrix_iter(scale=1, border=0)]


def _draw_qr(pdf: FPDF, payload: str, x: float, y: float, size: float) -> None:
    matrix = qr_matrix(payload)
    cell = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:  # one rectangle per run of dark modules
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(x + start * cell, y + r * cell, (c - start) * cell, cell, style="F")
            else:
                c += 1


def _label(pdf: FPDF, n: int, code: str, url: str, title: str, lines: Sequence[str]) -> None:
    slot = n % (COLUMNS * ROWS)
    if slot == 0:
        pdf.add_page()
    x = MARGIN + (slot % COLUMNS) * WIDTH
    y = MARGIN + (slot // COLUMNS) * (HEIGHT + 2)
    pdf.set_draw_color(120, 120, 120)
    pdf.rect(x, y, WIDTH - 2, HEIGHT)
    _draw_qr(pdf, url, x + 3, y + 3, 38)
    pdf.set_xy(x + 44, y + 4)
    pdf.set_font("helvetica", "B", 18)
    pdf.cell(WIDTH - 48, 9, _text(code), new_x="LEFT", new_y="NEXT")
    pdf.set_font("helvetica", "B", 9)
    pdf.set_x(x + 44)
    pdf.multi_cell(WIDTH - 48, 4.5, _text(title), new_x="LEFT", new_y="NEXT")
    pdf.set_font("helvetica", "", 8)
    for line in lines:
        pdf.set_x(x + 44)
        pdf.multi_cell(WIDTH - 48, 4, _text(line), new_x="LEFT", new_y="NEXT")
    pdf.set_xy(x + 3, y + 44)
    pdf.set_font("helvetica", "", 7)
    pdf.multi_cell(
        WIDTH - 8,
        3.5,
        _text(_("Pindai dengan kamera di %(url)s, atau ketik kodenya di halaman Pindai label.") % {"url": url}),
    )


def sheet_pdf(request, shipments: Sequence[Shipment], units: Sequence[TrackedUnit]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(_text(_("Label logistik")))
    names = holder_names({c for s in shipments for c in (s.sender, s.receiver)})
    n = 0
    for s in shipments:
        lines = [
            _("Dari: %(h)s") % {"h": names[s.sender]},
            _("Kepada: %(h)s") % {"h": names[s.receiver]},
            ", ".join(f"{line.item.name} {line.quantity}" for line in s.lines.select_related("item"))[:180],
        ]
        if any(line.item.waterproof for line in s.lines.all()):
            lines.append(_("KEMASAN KEDAP AIR: periksa saat serah terima"))
        _label(pdf, n, s.code, scan_url(request, s.code), _("Kiriman logistik Pilkada"), lines)
        n += 1
    for u in units:
        lines = [
            f"TPS {u.tps.number:03d} {u.tps.kelurahan.name}",
            u.tps.dotted_code,
            _("Unit ke-%(n)s") % {"n": u.serial},
        ]
        _label(pdf, n, u.code, scan_url(request, u.code), u.item.name, lines)
        n += 1
    if n == 0:
        pdf.add_page()
        pdf.set_font("helvetica", "", 12)
        pdf.cell(0, 10, _text(_("Tidak ada label untuk pilihan ini.")))
    return bytes(pdf.output())


def sheet(request, shipments: Sequence[Shipment], units: Sequence[TrackedUnit]) -> HttpResponse:
    response = HttpResponse(sheet_pdf(request, shipments, units), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="label-logistik.pdf"'
    return response
