"""What every TPS needs, from the rules, and what it has, from the shipments — computed on every
read, so that a rule or a DPT that changes moves the figures at once (nothing stored to go stale).

- Need of a TPS: each item's rule on the TPS's DPT (models.ItemType.need_for), for the items of the
  contests whose region holds the TPS.
- Received at a TPS: the good quantity (counted − damaged) of the received shipments to it.
- Missing: per TPS and item, need − received when positive (a surplus at one TPS never hides a
  shortage at another).
- Spares: `spare_per_kecamatan` at each PPK; a spare counts as received while the PPK holds it
  (its stock: what it received minus what it sent on, stock.py), up to the spare needed.

The per-TPS comparison is one SQL statement (`missing_pairs`) over every TPS and item of an area,
so that the completeness of a whole province is one query, not a loop in Python.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Substr

from deskpilkada.elections.models import Election
from deskpilkada.logistics.models import Basis, ItemType, ReceivedAtTps, ReceivedInKelurahan, Shipment
from deskpilkada.regions.codes import code_range
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps

RECEIVED_STATES = tuple(str(s) for s in Shipment.RECEIVED)
OUT_STATES = tuple(str(s) for s in Shipment.OUT)


@contextmanager
def few_collections() -> Iterator[None]:
    """Building a province's missing pairs and alert lines makes some 300,000 small objects, and Python's
    cyclic garbage collector would run again and again over the growing heap (it doubled the time):
    none of them form cycles, so collection waits until they are built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def items_of(election: Election) -> list[ItemType]:
    return list(ItemType.objects.of(election))


def per_tps_items(items: Iterable[ItemType]) -> list[ItemType]:
    return [i for i in items if i.basis != Basis.SPARE_ONLY]


def _need_sql(item: ItemType, dpt: str) -> str:
    """The item's rule as an SQL integer expression of `dpt` (integers only: identical on SQLite and
    PostgreSQL, and to ItemType.need_for)."""
    if item.basis == Basis.DPT_RESERVE:
        bp = int(item.reserve() * 100)  # basis points: 2.5 % → 250
        return f"(({dpt} * {10000 + bp} + 9999) / 10000)"
    if item.basis == Basis.DPT_BAND:
        if not item.bands:
            return "0"
        whens = " ".join(f"WHEN {dpt} <= {int(u)} THEN {int(q)}" for u, q in item.bands)
        return f"(CASE {whens} ELSE {int(item.bands[-1][1])} END)"
    return str(int(item.per_tps))


@dataclass(slots=True)
class Missing:
    tps_id: int
    tps_code: str
    item_id: int
    need: int
    got: int  # received in good order
    sent: int  # on shipments that left toward the TPS (received or not)
    transit_code: str | None = None  # a shipment toward it still on the road
    received_code: str | None = None  # a shipment toward it received (short or damaged, since it misses)

    @property
    def short(self) -> int:
        return self.need - self.got


def _pairs_sql(election: Election, prefix: str, items: list[ItemType], select: str, tail: str = "") -> tuple[str, list]:
    """The statement over every (TPS, item) of the area whose TPS has no kept judgement that holds
    (TpsCompleteness: never judged, or judged on another DPT or other rules), where the TPS has received
    less than it needs, from the kept receipts. A TPS judged on its current DPT and rules costs one index
    lookup; its judgement is read by `_judged`."""
    dpt = "(t.dpt_male + t.dpt_female)"
    need = "CASE " + " ".join(f"WHEN i.id = {int(i.pk)} THEN {_need_sql(i, dpt)}" for i in items) + " END"
    scoped = [i for i in items if i.scope_prefix()]
    scope_sql = "1 = 1"
    params: list = []
    if scoped:
        free = [int(i.pk) for i in items if not i.scope_prefix()]
        parts = [f"i.id IN ({', '.join(map(str, free))})"] if free else []
        for i in scoped:
            parts.append(f"(i.id = {int(i.pk)} AND t.code LIKE %s)")
            params.append(i.scope_prefix() + "%")
        scope_sql = "(" + " OR ".join(parts) + ")"
    ids = ", ".join(str(int(i.pk)) for i in items)
    # Only integers of the rules are written into the statement; the area and states are parameters.
    # An area is a code range (prefix ≤ code < prefix + ":", the character after "9"): an index range
    # on both engines, where SQLite's case-insensitive LIKE would read every row. The joins are written
    # in the order SQLite should loop (TPS of the range, its judgement, then per item its kept receipt).
    sql = f"""
        SELECT {select} FROM (
            SELECT t.id AS tps_id, t.code AS tps_code, i.id AS item_id,
                   {need} AS need,
                   COALESCE(r.got, 0) AS got, COALESCE(r.sent, 0) AS sent,
                   r.transit_code AS transit_code, r.received_code AS received_code
            FROM tps_tps t
            LEFT JOIN logistics_tpscompleteness c ON c.election_id = %s AND c.tps_id = t.id
            CROSS JOIN logistics_itemtype i
            LEFT JOIN logistics_receivedattps r ON r.tps_id = t.id AND r.item_id = i.id
            WHERE t.code >= %s AND t.code < %s
              AND (c.id IS NULL OR c.dpt <> {dpt} OR c.rules <> %s)
              AND i.id IN ({ids}) AND {scope_sql}
        ) pairs
        WHERE got < need
        {tail}
    """  # noqa: S608
    return sql, [election.pk, prefix, prefix + ":", _stamp(items), *params]


def _stamp(items: list[ItemType]) -> str:
    from deskpilkada.logistics.figures import rules_stamp

    return rules_stamp(items)


def _judged(election: Election, prefix: str, items: list[ItemType]) -> list[tuple[int, str, list]]:
    """(TPS id, code, what it misses) of the area's TPS judged short on their current DPT and rules."""
    sql = """
        SELECT t.id, t.code, c.missing FROM tps_tps t CROSS JOIN logistics_tpscompleteness c
        WHERE c.election_id = %s AND c.tps_id = t.id AND t.code >= %s AND t.code < %s AND c.short > 0
          AND c.dpt = t.dpt_male + t.dpt_female AND c.rules = %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [election.pk, prefix, prefix + ":", _stamp(items)])
        return [(t, code, json.loads(m) if isinstance(m, str) else m) for t, code, m in cursor.fetchall()]


def missing_pairs(election: Election, prefix: str, items: list[ItemType] | None = None) -> list[Missing]:
    """Every (TPS, item) inside the area of `prefix` (an undotted region or TPS code) where the TPS has
    received less than it needs: the kept judgements that hold, and the other TPS judged in one statement
    over the kept receipts (figures.py). In TPS code, then item order."""
    items = per_tps_items(items if items is not None else items_of(election))
    if not items:
        return []
    wanted = {i.pk for i in items}
    with few_collections():
        return _missing_pairs(election, prefix, items, wanted)


def _missing_pairs(election: Election, prefix: str, items: list[ItemType], wanted: set[int]) -> list[Missing]:
    out = [
        Missing(t, code, i, need, got, sent, transit or None, came or None)
        for t, code, rows in _judged(election, prefix, items)
        for i, need, got, sent, transit, came in rows
        if i in wanted
    ]
    sql, args = _pairs_sql(
        election, prefix, items, "tps_id, tps_code, item_id, need, got, sent, transit_code, received_code"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        out += [Missing(t, c, i, n, g, s, tc or None, rc or None) for t, c, i, n, g, s, tc, rc in cursor.fetchall()]
    out.sort(key=lambda m: (m.tps_code, m.item_id))
    return out


def incomplete(election: Election, prefix: str, items: list[ItemType] | None = None) -> dict[int, str]:
    """{TPS id: code} of every TPS inside the area that misses something: every TPS's completeness,
    without the detail of what it misses."""
    items = per_tps_items(items if items is not None else items_of(election))
    if not items:
        return {}
    sql = """
        SELECT t.id, t.code FROM tps_tps t CROSS JOIN logistics_tpscompleteness c
        WHERE c.election_id = %s AND c.tps_id = t.id AND t.code >= %s AND t.code < %s AND c.short > 0
          AND c.dpt = t.dpt_male + t.dpt_female AND c.rules = %s
    """
    pairs, args = _pairs_sql(election, prefix, items, "DISTINCT tps_id, tps_code")
    with connection.cursor() as cursor:
        cursor.execute(sql, [election.pk, prefix, prefix + ":", _stamp(items)])
        out = dict(cursor.fetchall())
        cursor.execute(pairs, args)
        out.update(cursor.fetchall())
    return out


def short_by_item(election: Election, prefix: str, items: list[ItemType]) -> tuple[dict[int, int], int]:
    """({item id: the sum over the area's TPS of need − received where positive}, TPS that miss
    something)."""
    items = per_tps_items(items)
    if not items:
        return {}, 0
    short: dict[int, int] = defaultdict(int)
    behind = set()
    with few_collections():
        judged = _judged(election, prefix, items)
    for t, _code, rows in judged:
        behind.add(t)
        for i, need, got, *_rest in rows:
            short[i] += need - got
    sql, args = _pairs_sql(election, prefix, items, "tps_id, item_id, need - got")
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        for t, i, n in cursor.fetchall():
            behind.add(t)
            short[i] += n
    return dict(short), len(behind)


def dpt_histogram(prefix: str) -> dict[str, dict[int, int]]:
    """{kabupaten/kota code: {DPT: number of TPS}} inside the area, the input of every need total."""
    rows = (
        Tps.objects.filter(code_range("code", prefix))
        .annotate(city=Substr("code", 1, 4), dpt=F("dpt_male") + F("dpt_female"))
        .values("city", "dpt")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[str, dict[int, int]] = defaultdict(dict)
    for row in rows:
        out[row["city"]][row["dpt"]] = row["n"]
    return out


def needed_at_tps(items: list[ItemType], histogram: dict[str, dict[int, int]]) -> dict[int, int]:
    """{item id: total needed by the TPS of the histogram}."""
    out = {}
    for item in per_tps_items(items):
        prefix = item.scope_prefix()
        total = 0
        for city, counts in histogram.items():
            if prefix and not city.startswith(prefix):  # a contest's region: the province or the city
                continue
            total += sum(item.need_for(dpt) * n for dpt, n in counts.items())
        out[item.pk] = total
    return out


def kecamatan_codes(prefix: str) -> list[str]:
    """The undotted codes of the kecamatan (PPK) inside the area that hold at least one TPS."""
    if len(prefix) > 6:
        return []
    return sorted(
        set(
            Tps.objects.filter(code_range("code", prefix))
            .annotate(k=Substr("code", 1, 6))
            .values_list("k", flat=True)
            .order_by()
            .distinct()
        )
    )


@dataclass
class ItemNeed:
    item: ItemType
    needed: int = 0
    sent: int = 0
    received: int = 0
    missing: int = 0


@dataclass
class AreaNeeds:
    prefix: str
    items: list[ItemNeed] = field(default_factory=list)
    tps_total: int = 0
    tps_complete: int = 0

    @property
    def share_complete(self) -> float | None:
        return self.tps_complete / self.tps_total if self.tps_total else None  # a fraction, for |percent


def area_needs(election: Election, prefix: str, items: list[ItemType] | None = None) -> AreaNeeds:
    """The needs of an area and everything under it, per item, with what was sent and received
    toward its TPS (and its PPK's spares), and how many of its TPS have everything. `missing` (the
    pairs, with where each is) is left to `missing_pairs` for the callers that show them."""
    from deskpilkada.logistics.stock import holder_stock

    items = items if items is not None else items_of(election)
    histogram = dpt_histogram(prefix)
    needed = needed_at_tps(items, histogram)
    kept: QuerySet
    if len(prefix) > 10:  # a TPS: its own kept receipts
        kept = ReceivedAtTps.objects.filter(election=election, tps__code=prefix)
    else:  # the kept sums of its kelurahan, a code range
        kept = ReceivedInKelurahan.objects.filter(election=election, kelurahan__gte=prefix, kelurahan__lt=prefix + ":")
    flows = {
        row["item_id"]: row for row in kept.values("item_id").annotate(sent=Sum("sent"), got=Sum("got")).order_by()
    }
    short, tps_short = short_by_item(election, prefix, items)
    spare_items = [i for i in items if i.spare_per_kecamatan]
    kecamatan = kecamatan_codes(prefix) if spare_items else []
    stock = holder_stock(election, kecamatan, [i.pk for i in spare_items]) if kecamatan else {}
    out = AreaNeeds(prefix)
    for item in items:
        row = flows.get(item.pk, {})
        need = ItemNeed(item, needed.get(item.pk, 0), row.get("sent") or 0, row.get("got") or 0, short.get(item.pk, 0))
        if item.spare_per_kecamatan:
            for k in kecamatan:
                if not k.startswith(item.scope_prefix()):
                    continue
                held = min(max(stock.get((k, item.pk), 0), 0), item.spare_per_kecamatan)
                need.needed += item.spare_per_kecamatan
                need.sent += held
                need.received += held
                need.missing += item.spare_per_kecamatan - held
        out.items.append(need)
    out.tps_total = sum(sum(c.values()) for c in histogram.values())
    out.tps_complete = out.tps_total - tps_short
    return out


def completeness_by(
    election: Election,
    regions: Iterable[Region],
    items: list[ItemType] | None = None,
    missing: list[Missing] | None = None,
) -> dict:
    """{region code: (TPS complete, TPS total)} for each region, from one missing-pairs statement over
    their common area (or the `missing` pairs the caller already has for an area holding them all)."""
    regions = list(regions)
    if not regions:
        return {}
    common = _common_prefix([r.undotted_code for r in regions])
    if missing is None:
        short = set(incomplete(election, common, items if items is not None else items_of(election)).values())
    else:
        short = {m.tps_code for m in missing}
    codes = {r.undotted_code: r.code for r in regions}
    lengths = sorted({len(c) for c in codes})
    totals: dict[str, int] = defaultdict(int)
    rows = (
        Tps.objects.filter(code_range("code", common))
        .annotate(head=Substr("code", 1, lengths[0]))
        .values("head")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if len(lengths) == 1:
        for row in rows:
            if row["head"] in codes:
                totals[codes[row["head"]]] += row["n"]
    else:
        for code in Tps.objects.filter(code_range("code", common)).values_list("code", flat=True):
            for n in lengths:
                if code[:n] in codes:
                    totals[codes[code[:n]]] += 1
    behind: dict[str, int] = defaultdict(int)
    for code in short:
        for n in lengths:
            if code[:n] in codes:
                behind[codes[code[:n]]] += 1
    return {r.code: (totals[r.code] - behind[r.code], totals[r.code]) for r in regions}


def _common_prefix(codes: list[str]) -> str:
    shortest = min(codes, key=len)
    for n in range(len(shortest), -1, -1):
        if all(c.startswith(shortest[:n]) for c in codes):
            return shortest[:n]
    return ""
