"""A case as a PDF (fpdf2): the record a handler attaches to a letter — to BKN, to Gakkumdu, to the
mayor — with the case's place, times, details, deadlines, status history, steps and outcome."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from deskpilkada import clock
from deskpilkada.audit.transitions import history
from deskpilkada.cases import deadlines
from deskpilkada.cases.categories import detail_rows
from deskpilkada.cases.models import Case

# The PDF's core font holds Latin-1 only: the few other characters the desk writes are spelled out.
PLAIN = str.maketrans({"—": "-", "–": "-", "→": "->", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."})


def _text(value: object) -> str:
    return str(value).translate(PLAIN).encode("latin-1", "replace").decode("latin-1")


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d-%m-%Y %H:%M") if value else "-"


def case_pdf(case: Case, *, with_contact: bool) -> bytes:
    labels = dict(Case.Status.choices)
    pdf = FPDF(format="A4")
    pdf.set_title(_text(f"Kasus #{case.pk}"))
    pdf.set_author("Desk Pilkada")
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.multi_cell(0, 7, _text(f"Kasus #{case.pk}: {case.title}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 9)
    pdf.cell(
        0,
        5,
        _text(_("Dicetak dari Desk Pilkada, %(when)s") % {"when": _when(clock.now())}),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)

    def row(label: object, value: object) -> None:
        pdf.set_font("helvetica", "B", 10)
        pdf.cell(45, 6, _text(label))
        pdf.set_font("helvetica", "", 10)
        pdf.multi_cell(0, 6, _text(value) or "-", new_x="LMARGIN", new_y="NEXT")

    def heading(text: object) -> None:
        pdf.ln(2)
        pdf.set_font("helvetica", "B", 11)
        pdf.cell(0, 7, _text(text), new_x="LMARGIN", new_y="NEXT")

    place = (f"TPS {case.tps.number:03d}, " if case.tps else "") + case.region.name
    if case.region.parent:
        place += f", {case.region.parent.name}"
    row(_("Kategori"), case.get_category_display())
    row(_("Status"), case.get_status_display())
    row(_("Tingkat"), case.get_severity_display())
    row(_("Tempat"), place)
    row(_("Waktu kejadian"), _when(case.occurred_at))
    row(_("Waktu diketahui"), _when(case.known_at))
    row(_("Sumber"), case.get_source_display() + (f" ({_('anonim')})" if case.anonymous else ""))
    if with_contact and (case.reporter_name or case.reporter_contact):
        row(_("Pelapor"), f"{case.reporter_name} {case.reporter_contact}".strip())
    row(_("Penanggung jawab"), str(case.assigned_to or case.assigned_org or "-"))
    for label, value in detail_rows(case.category, case.details):
        row(str(label)[:1].upper() + str(label)[1:], value)
    heading(_("Uraian"))
    pdf.set_font("helvetica", "", 10)
    pdf.multi_cell(0, 5, _text(case.description), new_x="LMARGIN", new_y="NEXT")
    heading(_("Tenggat"))
    for d in deadlines.deadlines(case):
        row(d.name, f"{_when(d.due_at)} ({deadlines.STATE_LABELS[d.state]}) - {d.rule}")
    heading(_("Riwayat status"))
    row(_when(case.created_at), _("dicatat"))
    for h in history(case):
        row(_when(h.at), f"{labels.get(h.before, h.before)} -> {labels.get(h.after, h.after)} ({h.by}) {h.note}")
    steps = list(case.steps.select_related("organisation"))
    if steps:
        heading(_("Langkah di luar desk"))
        for s in steps:
            org = f" ({s.organisation})" if s.organisation else ""
            row(s.on.strftime("%d-%m-%Y"), f"{s.get_kind_display()}{org} {s.reference} {s.outcome}".strip())
    outcomes = list(case.comments.filter(is_outcome=True).select_related("author"))
    if outcomes:
        heading(_("Hasil penanganan"))
        for c in outcomes:
            row(_when(c.created_at), f"{c.text} ({c.author})")
    return bytes(pdf.output())
