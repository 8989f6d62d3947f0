"""The kept figures of point 1 (models.ReceivedAtTps, ReceivedInKelurahan, HeldStock, TpsCompleteness):
copies of what the shipments say, so that a province's completeness, alerts and needs read indexed rows
instead of summing every shipment line.

- `derive_*` compute each figure from the shipments, from scratch: the one definition of it.
- `refresh(shipment)` rewrites, for the keys the shipment touches (its sender's and receiver's stock, its
  TPS and kelurahan, the items of its lines), the kept rows from `derive_*`, inside the action's
  transaction and after locking those rows: every action that moves a shipment (send, cancel, return,
  receive, correct) calls it, so the kept rows cannot drift from the shipments.
- `TpsCompleteness` records the DPT and the rules (`rules_stamp`) each TPS was judged by; a TPS whose DPT
  was changed by another app, or judged by other rules, no longer matches and is judged again on every
  read (needs.missing_pairs) until its next refresh. `save_item` rejudges every TPS in its transaction.
- `check(election)` lists every kept row that differs from the shipments; `rebuild(election)` rewrites
  them all (`deskpilkada logistics_figures [--fix]`).

HeldStock covers the warehouse, the PPK and the PPS (the holders that send on); a TPS's holding is its
ReceivedAtTps, and the vendor's stock is not counted.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F, Max, Q, Sum
from django.db.models.functions import Substr

from deskpilkada.elections.models import Election
from deskpilkada.logistics.models import (
    Basis,
    HeldStock,
    ItemType,
    ReceivedAtTps,
    ReceivedInKelurahan,
    Shipment,
    ShipmentLine,
    TpsCompleteness,
    holder_level,
)
from deskpilkada.tps.models import Tps

RECEIVED = [str(s) for s in Shipment.RECEIVED]
OUT = [str(s) for s in Shipment.OUT]
SENT = str(Shipment.State.SENT)
STOCK_LEVELS = (2, 3, 4)  # warehouse, PPK, PPS


def per_tps_items(items: Iterable[ItemType]) -> list[ItemType]:
    return [i for i in items if i.basis != Basis.SPARE_ONLY]


def rules_stamp(items: Iterable[ItemType]) -> str:
    """A short digest of every per-TPS rule (and the reserve it uses): it changes when any rule does."""
    parts = [
        ":".join(map(str, (i.pk, i.basis, i.per_tps, i.reserve() if i.basis == Basis.DPT_RESERVE else "", i.bands)))
        + ":"
        + i.scope_prefix()
        for i in sorted(per_tps_items(items), key=lambda i: i.pk)
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


# --- from the shipments, from scratch ------------------------------------------------------------


def _lines(election: Election, item_ids: Iterable[int] | None):
    lines = ShipmentLine.objects.filter(shipment__election=election)
    return lines.filter(item_id__in=list(item_ids)) if item_ids is not None else lines


def derive_received(
    election: Election, tps_ids: Iterable[int] | None = None, item_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], tuple[int, int, str, str]]:
    """{(TPS id, item id): (sent, got, code of a shipment in transit, code of the latest received)}."""
    lines = _lines(election, item_ids).filter(shipment__receiver_tps__isnull=False, shipment__state__in=OUT)
    if tps_ids is not None:
        lines = lines.filter(shipment__receiver_tps_id__in=list(tps_ids))
    rows = (
        lines.values("shipment__receiver_tps_id", "item_id")
        .annotate(
            sent=Sum("quantity"),
            got=Sum("good", filter=Q(shipment__state__in=RECEIVED)),
            transit=Max("shipment__code", filter=Q(shipment__state=SENT)),
            received=Max("shipment__code", filter=Q(shipment__state__in=RECEIVED)),
        )
        .order_by()
    )
    return {
        (r["shipment__receiver_tps_id"], r["item_id"]): (
            r["sent"] or 0,
            r["got"] or 0,
            r["transit"] or "",
            r["received"] or "",
        )
        for r in rows
    }


def derive_kelurahan(
    election: Election, kelurahan: Iterable[str] | None = None, item_ids: Iterable[int] | None = None
) -> dict[tuple[str, int], tuple[int, int]]:
    """{(kelurahan code, item id): (sent toward its TPS, got by its TPS)}."""
    lines = _lines(election, item_ids).filter(shipment__receiver_tps__isnull=False, shipment__state__in=OUT)
    if kelurahan is not None:
        q = Q()
        for code in kelurahan:  # a code range each: the receiver index, on SQLite too
            q |= Q(shipment__receiver__gte=code, shipment__receiver__lt=code + ":")
        lines = lines.filter(q)
    rows = (
        lines.annotate(kel=Substr("shipment__receiver", 1, 10))
        .values("kel", "item_id")
        .annotate(sent=Sum("quantity"), got=Sum("good", filter=Q(shipment__state__in=RECEIVED)))
        .order_by()
    )
    return {(r["kel"], r["item_id"]): (r["sent"] or 0, r["got"] or 0) for r in rows}


def derive_stock(
    election: Election, holders: Iterable[str] | None = None, item_ids: Iterable[int] | None = None
) -> dict[tuple[str, int], int]:
    """{(holder, item id): held} — the good quantity its received shipments brought, minus what it sent
    on (a shipment counts as gone once sent; a cancelled or returned one is back with its sender)."""
    shipments = Shipment.objects.filter(election=election)
    lines = ShipmentLine.objects.all()
    if item_ids is not None:
        lines = lines.filter(item_id__in=list(item_ids))
    if holders is not None:
        holders = list(set(holders))
        # The holders' shipments first (by the receiver and sender indexes), then their lines: left to
        # itself, SQLite would walk every line of the items asked for.
        inbound = lines.filter(
            shipment_id__in=list(
                shipments.filter(receiver__in=holders, state__in=RECEIVED).values_list("pk", flat=True)
            )
        )
        outbound = lines.filter(
            shipment_id__in=list(shipments.filter(sender__in=holders, state__in=OUT).values_list("pk", flat=True))
        )
    else:
        inbound = lines.filter(shipment__election=election, shipment__state__in=RECEIVED)
        outbound = lines.filter(shipment__election=election, shipment__state__in=OUT)
    stock: dict[tuple[str, int], int] = defaultdict(int)
    for row in inbound.values("shipment__receiver", "item_id").annotate(n=Sum("good")).order_by():
        stock[(row["shipment__receiver"], row["item_id"])] += row["n"] or 0
    for row in outbound.values("shipment__sender", "item_id").annotate(n=Sum("quantity")).order_by():
        stock[(row["shipment__sender"], row["item_id"])] -= row["n"] or 0
    return {k: v for k, v in stock.items() if holder_level(k[0]) in STOCK_LEVELS}


Received = dict[tuple[int, int], tuple[int, int, str, str]]  # (TPS id, item id): (sent, got, transit, received)


def judge(items: list[ItemType], tps: Iterable[tuple[int, str, int]], received: Received) -> dict[int, list[list]]:
    """{TPS id: [[item id, need, got, sent, code in transit, code received], …] of every item it has less
    of than it needs}, for (id, code, DPT) rows and the receipts per (TPS id, item id)."""
    items = per_tps_items(items)
    needs: dict[tuple[int, int], int] = {}  # (item id, DPT): need, computed once per distinct DPT
    out = {}
    for tps_id, code, dpt in tps:
        short = []
        for item in items:
            if not item.applies_to(code):
                continue
            need = needs.get((item.pk, dpt))
            if need is None:
                need = needs[(item.pk, dpt)] = item.need_for(dpt)
            sent, got, transit, came = received.get((tps_id, item.pk), (0, 0, "", ""))
            if got < need:
                short += [[item.pk, need, got, sent, transit, came]]  # a list, as stored in JSON
        out[tps_id] = short
    return out


def _tps_rows(tps_ids: Iterable[int] | None = None):
    rows = Tps.objects.annotate(total=F("dpt_male") + F("dpt_female"))
    if tps_ids is not None:
        rows = rows.filter(pk__in=list(tps_ids))
    return list(rows.values_list("pk", "code", "total"))


# --- kept by the actions ----------------------------------------------------------------------------


def _locked(model, election: Election, field: str, keys: Iterable, item_ids: list[int]) -> dict:
    """The kept rows for every (key, item), made if missing and locked (in id order, the same in every
    transaction) so that two actions on the same holder or TPS rewrite them one after the other."""
    keys = sorted(set(keys))
    if not keys or not item_ids:
        return {}
    model.objects.bulk_create(
        [model(election=election, item_id=i, **{field: k}) for k in keys for i in item_ids], ignore_conflicts=True
    )
    rows = (
        model.objects.select_for_update()
        .filter(election=election, item_id__in=item_ids, **{f"{field}__in": keys})
        .order_by("pk")
    )
    return {(getattr(r, field), r.item_id): r for r in rows}


def lock_stock(election: Election, holder: str, item_ids: list[int]) -> dict[int, int]:
    """Lock a holder's kept stock of these items and return what it holds, from the shipments."""
    if holder_level(holder) not in STOCK_LEVELS:
        return {}
    _locked(HeldStock, election, "holder", [holder], item_ids)
    derived = derive_stock(election, [holder], item_ids)
    return {i: derived.get((holder, i), 0) for i in item_ids}


def refresh(shipment: Shipment) -> None:
    """Rewrite the kept figures this shipment touches, from the shipments (call inside the action's
    transaction, after its change)."""
    election = shipment.election
    item_ids = sorted(set(shipment.lines.values_list("item_id", flat=True)))
    holders = [h for h in (shipment.sender, shipment.receiver) if holder_level(h) in STOCK_LEVELS]
    rows = _locked(HeldStock, election, "holder", holders, item_ids)
    if rows:
        derived = derive_stock(election, holders, item_ids)
        for key, row in rows.items():
            row.held = derived.get(key, 0)
        HeldStock.objects.bulk_update(rows.values(), ["held"])
    if shipment.receiver_tps_id is None:
        return
    tps_id, kelurahan = shipment.receiver_tps_id, shipment.receiver[:10]
    received = _locked(ReceivedAtTps, election, "tps_id", [tps_id], item_ids)
    now = derive_received(election, [tps_id], item_ids)
    for key, row in received.items():
        row.sent, row.got, row.transit_code, row.received_code = now.get(key, (0, 0, "", ""))
    ReceivedAtTps.objects.bulk_update(received.values(), ["sent", "got", "transit_code", "received_code"])
    flows = _locked(ReceivedInKelurahan, election, "kelurahan", [kelurahan], item_ids)
    sums = derive_kelurahan(election, [kelurahan], item_ids)
    for key, row in flows.items():
        row.sent, row.got = sums.get(key, (0, 0))
    ReceivedInKelurahan.objects.bulk_update(flows.values(), ["sent", "got"])
    rejudge(election, [tps_id])


def rejudge(election: Election, tps_ids: Iterable[int] | None = None) -> None:
    """Write the TpsCompleteness of these TPS (all of them with None) from the kept receipts."""
    items = list(ItemType.objects.of(election))
    stamp = rules_stamp(items)
    tps = _tps_rows(tps_ids)
    rows = ReceivedAtTps.objects.filter(election=election)
    if tps_ids is not None:
        rows = rows.filter(tps_id__in=[t[0] for t in tps])
    received = {
        (t, i): (s, g, tc, rc)
        for t, i, s, g, tc, rc in rows.values_list("tps_id", "item_id", "sent", "got", "transit_code", "received_code")
    }
    judged = judge(items, tps, received)
    kept = TpsCompleteness.objects.select_for_update().filter(election=election)
    if tps_ids is not None:
        kept = kept.filter(tps_id__in=[t[0] for t in tps])
    have = {c.tps_id: c for c in kept.order_by("pk")}
    new, changed = [], []
    for tps_id, _code, dpt in tps:
        row, missing = have.get(tps_id), judged[tps_id]
        if row is None:
            new.append(
                TpsCompleteness(
                    election=election, tps_id=tps_id, dpt=dpt, rules=stamp, short=len(missing), missing=missing
                )
            )
        elif (row.dpt, row.rules, row.missing) != (dpt, stamp, missing):
            row.dpt, row.rules, row.short, row.missing = dpt, stamp, len(missing), missing
            changed.append(row)
    TpsCompleteness.objects.bulk_create(new, batch_size=2000)
    TpsCompleteness.objects.bulk_update(changed, ["dpt", "rules", "short", "missing"], batch_size=2000)


def rules_changed(election: Election) -> None:
    """A rule was written: rejudge every TPS that has a kept judgement (in the rule's transaction). An
    election without any yet (nothing sent) is judged on read, until its first shipment or a rebuild."""
    if TpsCompleteness.objects.filter(election=election).exists():
        rejudge(election)


# --- the check and the rebuild ------------------------------------------------------------------


def _kept(election: Election) -> dict[str, dict]:
    return {
        "received": {
            (r.tps_id, r.item_id): (r.sent, r.got, r.transit_code, r.received_code)
            for r in ReceivedAtTps.objects.filter(election=election)
        },
        "kelurahan": {
            (r.kelurahan, r.item_id): (r.sent, r.got) for r in ReceivedInKelurahan.objects.filter(election=election)
        },
        "stock": {(r.holder, r.item_id): r.held for r in HeldStock.objects.filter(election=election)},
    }


def _derived(election: Election) -> dict[str, dict]:
    return {
        "received": derive_received(election),
        "kelurahan": derive_kelurahan(election),
        "stock": derive_stock(election),
    }


ZERO = {"received": (0, 0, "", ""), "kelurahan": (0, 0), "stock": 0}


def check(election: Election) -> list[str]:
    """Every kept figure that differs from the shipments (a kept zero row equals no row). A TPS without
    a kept judgement, or judged on another DPT or other rules, is judged on every read: not a difference."""
    kept, derived = _kept(election), _derived(election)
    out = []
    for name in ("received", "kelurahan", "stock"):
        for key in sorted(set(kept[name]) | set(derived[name]), key=str):
            have, want = kept[name].get(key, ZERO[name]), derived[name].get(key, ZERO[name])
            if have != want:
                out.append(f"{name} {key}: kept {have}, from the shipments {want}")
    items = list(ItemType.objects.of(election))
    stamp = rules_stamp(items)
    tps = {t[0]: t for t in _tps_rows()}
    rows = [r for r in TpsCompleteness.objects.filter(election=election) if r.rules == stamp]
    current = [r for r in rows if r.tps_id in tps and tps[r.tps_id][2] == r.dpt]
    judged = judge(items, [tps[r.tps_id] for r in current], derived["received"])
    for r in current:
        if (r.short, r.missing) != (len(judged[r.tps_id]), judged[r.tps_id]):
            out.append(f"completeness {tps[r.tps_id][1]}: kept {r.missing}, from the shipments {judged[r.tps_id]}")
    return out


def stale(election: Election) -> int:
    """How many TPS have no kept judgement, or one on another DPT or other rules (judged on every read)."""
    stamp = rules_stamp(ItemType.objects.of(election))
    have = {c.tps_id: (c.dpt, c.rules) for c in TpsCompleteness.objects.filter(election=election)}
    return sum(1 for pk, _code, dpt in _tps_rows() if have.get(pk) != (dpt, stamp))


def rebuild(election: Election) -> None:
    """Rewrite every kept figure of the election from the shipments (call inside a transaction)."""
    derived = _derived(election)
    for model in (ReceivedAtTps, ReceivedInKelurahan, HeldStock, TpsCompleteness):
        model.objects.filter(election=election).delete()
    ReceivedAtTps.objects.bulk_create(
        [
            ReceivedAtTps(election=election, tps_id=t, item_id=i, sent=s, got=g, transit_code=tc, received_code=rc)
            for (t, i), (s, g, tc, rc) in derived["received"].items()
        ],
        batch_size=5000,
    )
    ReceivedInKelurahan.objects.bulk_create(
        [
            ReceivedInKelurahan(election=election, kelurahan=k, item_id=i, sent=s, got=g)
            for (k, i), (s, g) in derived["kelurahan"].items()
        ],
        batch_size=5000,
    )
    HeldStock.objects.bulk_create(
        [HeldStock(election=election, holder=h, item_id=i, held=n) for (h, i), n in derived["stock"].items()],
        batch_size=5000,
    )
    rejudge(election)
