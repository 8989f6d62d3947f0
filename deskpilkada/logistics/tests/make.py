"""Small helpers for the logistics tests, writing through the app's actions on the small world of
deskpilkada/testing.py (eleven TPS of 250 voters in four kelurahan)."""

from __future__ import annotations

from deskpilkada import testing as world
from deskpilkada.logistics import actions
from deskpilkada.logistics.actions import Count, LineIn
from deskpilkada.logistics.models import VENDOR, Basis, ItemType, Shipment


def item(code: str = "kotak", *, by=None, **fields) -> ItemType:
    fields.setdefault("name", code.capitalize())
    fields.setdefault("basis", Basis.PER_TPS)
    return actions.save_item(world.election(), by=by, code=code, **fields)


def ballots(contest_code: str = world.MAYOR, **fields) -> ItemType:
    fields.setdefault("reserve_pct", None)
    return item(
        f"surat-suara-{contest_code}",
        name="Surat suara",
        basis=Basis.DPT_RESERVE,
        contest=world.contest(contest_code),
        **fields,
    )


def shipment(sender: str, receiver: str, lines: dict[str, int], *, by=None, sent: bool = False) -> Shipment:
    made = actions.create_shipment(
        world.election(), by=by, sender=sender, receiver=receiver, lines=[LineIn(c, q) for c, q in lines.items()]
    )
    if sent:
        made = actions.send_shipment(made, by=by)
    return made


def stocked(holder: str, lines: dict[str, int]) -> None:
    """`holder` holds these quantities: shipments down the chain from the vendor, each received whole."""
    chain = []
    code = holder
    while code != VENDOR:
        chain.append(code)
        code = {13: code[:10], 10: code[:6], 6: code[:4], 4: VENDOR}[len(code)]
    sender = VENDOR
    for receiver in reversed(chain):
        s = shipment(sender, receiver, lines, sent=True)
        receive(s)
        sender = receiver


def receive(s: Shipment, counted: dict[str, int] | None = None, damaged: dict[str, int] | None = None, *, by=None):
    counted, damaged = counted or {}, damaged or {}
    counts = [
        Count(line.pk, counted.get(line.item.code, line.quantity), damaged.get(line.item.code, 0))
        for line in s.lines.select_related("item")
    ]
    waterproof = True if any(line.item.waterproof for line in s.lines.all()) else None
    return actions.receive_shipment(s, by=by, counts=counts, signed_by="Penerima uji", waterproof_ok=waterproof)


def matrix_samples() -> dict[str, object]:
    """The permission matrix's logistics samples (accounts/tests/test_permission_matrix.py): the default
    items; a shipment sent from PPS Kebon Pedes to its TPS 028 (its KPPS receives it); one sent from the
    KPU warehouse to PPK Bogor Barat; a vendor delivery received at the warehouse with a photo of its
    berita acara; the labelled boxes of TPS 028."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    election = world.election()
    actions.install_default_items(election, by=None)
    box = f"kotak-{world.MAYOR}"
    stocked("3271061002", {box: 5})
    to_tps = shipment("3271061002", "3271061002028", {box: 1}, sent=True)
    stocked("3271", {box: 5})
    to_ppk = shipment("3271", "327104", {box: 2}, sent=True)
    delivery = shipment(VENDOR, "3271", {box: 3}, sent=True)
    line = delivery.lines.get()
    receipt = actions.receive_shipment(
        delivery, by=None, counts=[Count(line.pk, 3)], signed_by="Uji", photo=SimpleUploadedFile("ba.png", world.PNG)
    )
    actions.label_units(election, [world.tps("3271061002028")], by=None)
    unit = world.tps("3271061002028").logistics_units.first()
    return {
        "to_tps": to_tps.code,
        "to_ppk": to_ppk.code,
        "receipt": receipt.pk,
        "unit": unit.code if unit else "",
        "item": box,
        "delivery": delivery.code,
    }
