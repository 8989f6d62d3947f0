"""Shipments from a CSV or Excel file (a warehouse's distribution plan kept in a spreadsheet): one row
per line, rows with the same `kiriman` (the sheet's own grouping key) forming one shipment; every
row checked, all-or-nothing with a row report; each shipment then created through the ordinary action."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from deskpilkada.imports import ImportRejected, RowError, parse_int, read_table
from deskpilkada.logistics import actions
from deskpilkada.logistics.models import ItemType, Shipment
from deskpilkada.regions.codes import undotted

REQUIRED = ["kiriman", "pengirim", "penerima", "barang", "jumlah"]
COLUMNS = [*REQUIRED, "catatan"]
MAX_ROWS = 20_000


def template_rows() -> list[list[str]]:
    return [
        ["#", "Satu baris per barang; baris dengan «kiriman» yang sama menjadi satu kiriman.", "", "", "", ""],
        ["1", "3271", "327106", "kotak-pilwalkot-bogor-2024", "120", "contoh: gudang KPU ke PPK Tanah Sareal"],
        ["1", "3271", "327106", "bilik", "480", ""],
        ["2", "327106", "3271061002", "kotak-pilwalkot-bogor-2024", "30", "PPK ke PPS Kebon Pedes"],
    ]


def _holder(text: str) -> str:
    text = text.strip().lower()
    return text if text == "penyedia" else undotted(text)


def import_shipments(fileobj, *, by, election) -> list[Shipment]:
    errors: list[RowError] = []
    groups: dict[str, dict] = {}
    items = set(ItemType.objects.filter(election=election).values_list("code", flat=True))
    count = 0
    for number, row in read_table(fileobj, required=REQUIRED, optional=COLUMNS):
        count += 1
        if count > MAX_ROWS:
            raise ImportRejected([RowError(number, "", _("paling banyak %(n)d baris per berkas") % {"n": MAX_ROWS})])
        key = row["kiriman"].strip()
        sender, receiver = _holder(row["pengirim"]), _holder(row["penerima"])
        if not key:
            errors.append(RowError(number, "kiriman", _("wajib diisi")))
            continue
        group = groups.setdefault(key, {"row": number, "sender": sender, "receiver": receiver, "lines": [], "note": ""})
        if (group["sender"], group["receiver"]) != (sender, receiver):
            errors.append(
                RowError(
                    number,
                    "penerima",
                    _("kiriman «%(k)s» sudah punya pengirim/penerima lain di baris %(r)d")
                    % {"k": key, "r": group["row"]},
                )
            )
        item = row["barang"].strip()
        if item not in items:
            errors.append(RowError(number, "barang", _("barang «%(i)s» tidak dikenal") % {"i": item}))
        try:
            quantity = parse_int(row["jumlah"], minimum=1)
        except ValueError as e:
            errors.append(RowError(number, "jumlah", str(e)))
            continue
        group["lines"].append((number, actions.LineIn(item, quantity)))
        group["note"] = group["note"] or row.get("catatan", "")
    if errors:
        raise ImportRejected(errors)
    if not groups:
        raise ImportRejected([RowError(0, "", _("Berkas tidak berisi baris data."))])
    made = []
    with transaction.atomic():
        for group in groups.values():
            try:
                made.append(
                    actions.create_shipment(
                        election,
                        by=by,
                        sender=group["sender"],
                        receiver=group["receiver"],
                        lines=[line for _n, line in group["lines"]],
                        note=group["note"],
                    )
                )
            except actions.Refused as e:
                row = group["row"]
                if e.field.startswith("lines[") and "]" in e.field:
                    index = int(e.field[6 : e.field.index("]")]) - 1
                    row = group["lines"][index][0] if 0 <= index < len(group["lines"]) else row
                column = {"receiver": "penerima", "sender": "pengirim"}.get(
                    e.field,
                    "barang" if e.field.endswith(".item") else "jumlah" if e.field.endswith("quantity") else "penerima",
                )
                errors.append(RowError(row, column, e.message))
        if errors:
            raise ImportRejected(errors)
    return made
