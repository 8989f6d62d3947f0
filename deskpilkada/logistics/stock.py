"""Stock at each holder, derived from the shipments and never typed in: what its received shipments
brought in good order, minus what it sent on (a shipment counts as gone once sent; a cancelled or
returned one is back with its sender). Where a TPS's missing items are now, from the same rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from deskpilkada.elections.models import Election
from deskpilkada.logistics.chain import holder_names
from deskpilkada.logistics.figures import OUT, RECEIVED
from deskpilkada.logistics.models import HeldStock, Shipment, ShipmentLine
from deskpilkada.regions.codes import code_range


def holder_stock(election: Election, holders: Iterable[str], item_ids: Iterable[int] | None = None) -> dict:
    """{(holder, item id): quantity held} for the given holder codes (warehouse, PPK, PPS), from the
    kept stock (figures.py: rewritten from the shipments by every action that moves one)."""
    rows = HeldStock.objects.filter(election=election, holder__in=list(set(holders)))
    if item_ids is not None:
        rows = rows.filter(item_id__in=list(item_ids))
    return {(h, i): n for h, i, n in rows.values_list("holder", "item_id", "held") if n}


def stock_table(election: Election, holder: str) -> list[dict]:
    """One holder's stock per item, with what is on its way to it and what it has sent on."""
    lines = ShipmentLine.objects.filter(shipment__election=election).select_related("item")
    rows: dict[int, dict] = {}

    def row(line) -> dict:
        return rows.setdefault(line.item_id, {"item": line.item, "in": 0, "out": 0, "transit": 0, "damaged": 0})

    for line in lines.filter(shipment__receiver=holder, shipment__state__in=[*RECEIVED, Shipment.State.SENT]):
        r = row(line)
        if line.shipment.state == Shipment.State.SENT:
            r["transit"] += line.quantity
        else:
            r["in"] += line.good
            r["damaged"] += line.damaged
    for line in lines.filter(shipment__sender=holder, shipment__state__in=OUT):
        row(line)["out"] += line.quantity
    out = []
    for r in sorted(rows.values(), key=lambda r: (r["item"].sort, r["item"].code)):
        r["held"] = r["in"] - r["out"]
        out.append(r)
    return out


@dataclass(frozen=True, slots=True)
class Whereabouts:
    """Where a TPS's missing item is now and whom to call."""

    state: str  # "transit", "short", "held", "not_sent"
    holder: str  # the holder code to call
    holder_name: str
    text: str
    shipment_code: str = ""


def whereabouts(election: Election, missing) -> dict[tuple[int, int], Whereabouts]:
    """{(TPS id, item id): Whereabouts} for the missing pairs of needs.missing_pairs."""
    missing = list(missing)
    return {(m.tps_id, m.item_id): w for m, w in zip(missing, where_list(election, missing), strict=True)}


def where_list(election: Election, missing: list) -> list[Whereabouts]:
    """Where each missing pair (needs.missing_pairs, which carry the shipments toward each TPS) is now,
    in the same order, in three queries: the stock of their PPS and PPK, what is on its way to those,
    and the holders' names. One object per distinct answer."""
    if not missing:
        return []
    # Only a pair with nothing sent toward its TPS needs the stock of its PPS and PPK.
    unsent = [m for m in missing if not m.transit_code and not m.received_code]
    pps = {m.tps_code[:10] for m in unsent}
    ppk = {c[:6] for c in pps}
    stock = holder_stock(election, pps | ppk, {m.item_id for m in unsent}) if unsent else {}
    coming: dict[tuple[str, int], tuple[str, str]] = {}  # on its way to a PPS or PPK: (sender, shipment code)
    if unsent:
        # The shipments first (by the receiver index), then their lines: SQLite would otherwise walk the lines.
        on_road = {
            pk: (receiver, sender, code)
            for pk, receiver, sender, code in Shipment.objects.filter(
                election=election, receiver__in=pps | ppk, state=Shipment.State.SENT
            ).values_list("pk", "receiver", "sender", "code")
        }
        lines = ShipmentLine.objects.filter(shipment_id__in=list(on_road)).values_list("shipment_id", "item_id")
        for shipment_id, item_id in lines:
            receiver, sender, code = on_road[shipment_id]
            coming[(receiver, item_id)] = (sender, code)
    every_pps = {m.tps_code[:10] for m in missing}
    names = holder_names(every_pps | ppk | {c[:6] for c in every_pps} | {c[:4] for c in every_pps})
    texts = {
        "transit": _("dalam perjalanan dari %(h)s"),
        "short": _("diterima kurang atau rusak; pengganti dari %(h)s"),
        "coming": _("dalam perjalanan ke %(to)s dari %(h)s"),
        "at_pps": _("ada di %(h)s, belum dikirim ke TPS"),
        "at_ppk": _("ada di %(h)s, belum dikirim ke PPS"),
        "not_sent": _("belum dikirim dari %(h)s"),
    }
    made: dict[tuple, Whereabouts] = {}

    def answer(state: str, holder: str, text_id: str, code: str = "", to: str = "") -> Whereabouts:
        key = (state, holder, text_id, code, to)
        found = made.get(key)
        if found is None:
            name = names.get(holder) or holder_names([holder])[holder]
            text = texts[text_id] % {"h": name, "to": names.get(to, to)}
            found = made[key] = Whereabouts(state, holder, name, text, code)
        return found

    out = []
    for m in missing:
        kel = m.tps_code[:10]
        if m.transit_code:  # a TPS's shipments come from its PPS (chain.py)
            out.append(answer("transit", kel, "transit", m.transit_code))
        elif m.received_code:
            out.append(answer("short", kel, "short", m.received_code))
        elif stock.get((kel, m.item_id), 0) > 0:
            out.append(answer("held", kel, "at_pps"))
        else:
            kec = m.tps_code[:6]
            to = kel if (kel, m.item_id) in coming else kec if (kec, m.item_id) in coming else ""
            if to:
                sender, code = coming[(to, m.item_id)]
                out.append(answer("transit", sender, "coming", code, to))
            elif stock.get((kec, m.item_id), 0) > 0:
                out.append(answer("held", kec, "at_ppk"))
            else:
                out.append(answer("not_sent", kec[:4], "not_sent"))
    return out


def unit_history(unit) -> list:
    """The shipments that carried a labelled unit, from the warehouse to its TPS, oldest first."""
    return list(
        Shipment.objects.filter(lines__units=unit)
        .exclude(state=Shipment.State.CANCELLED)
        .order_by("created_at", "id")
        .prefetch_related("receipts")
        .distinct()
    )


def area_q(prefix: str) -> Q:
    return code_range("receiver", prefix) | code_range("sender", prefix)
