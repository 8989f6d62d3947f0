"""The maintained roll-up of point 5 (`RegionTotal`, `RegionVote`) and the recount that checks it.

Every accepted sheet moves the totals of the four regions above its TPS by its change
(`apply_delta`), in the sheet's transaction; `recount` computes the same figures from scratch,
`recount_differences` compares, and `rewrite_totals` replaces the kept totals with the recount.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from deskpilkada.audit.log import record
from deskpilkada.elections.models import Candidate, Contest
from deskpilkada.memo import ProcessCache
from deskpilkada.regions.codes import dotted, regions_of, undotted
from deskpilkada.regions.models import Region
from deskpilkada.tally.models import RegionTotal, RegionVote, SheetVersion, TallySheet
from deskpilkada.tps.models import Tps

# --- the regions above a TPS, the paslon of a contest -------------------------------------

_REGION_IDS: dict[str, int] = {}
CANDIDATE_CACHE_SECONDS = 30


def ancestor_ids(tps_code: str) -> list[int]:
    """The ids of the four regions above a TPS, province first (cached per process: codes never move)."""
    codes = regions_of(tps_code)
    missing = [c for c in codes if c not in _REGION_IDS]
    if missing:
        _REGION_IDS.update(dict(Region.objects.filter(code__in=missing).values_list("code", "pk")))
    return [_REGION_IDS[c] for c in codes if c in _REGION_IDS]


def know_ancestors(tps_codes: Iterable[str]) -> None:
    """Read the region ids above many TPS in one query (a bulk load's chunk), for ancestor_ids."""
    missing = {c for code in tps_codes for c in regions_of(code)} - _REGION_IDS.keys()
    if missing:
        _REGION_IDS.update(dict(Region.objects.filter(code__in=missing).values_list("code", "pk")))


_CANDIDATES = ProcessCache(CANDIDATE_CACHE_SECONDS, Candidate, Contest)


def ballot_numbers(contest: Contest) -> frozenset[int]:
    """The contest's ballot numbers, kept per process (they are fixed long before voting; a paslon
    added or removed in this process is seen at once, in another within the cache's time)."""
    numbers = _CANDIDATES.get(
        contest.pk, lambda: frozenset(Candidate.objects.filter(contest_id=contest.pk).values_list("number", flat=True))
    )
    return numbers or frozenset()


# --- the maintained roll-up -------------------------------------------------------------


@dataclass
class Contribution:
    counted: int = 0
    verified: int = 0
    held: int = 0
    dpt: int = 0
    voters: int = 0
    valid: int = 0
    invalid: int = 0
    votes: dict[int, int] = field(default_factory=dict)

    def minus(self, other: Contribution) -> Contribution:
        numbers = set(self.votes) | set(other.votes)
        return Contribution(
            self.counted - other.counted,
            self.verified - other.verified,
            self.held - other.held,
            self.dpt - other.dpt,
            self.voters - other.voters,
            self.valid - other.valid,
            self.invalid - other.invalid,
            {n: self.votes.get(n, 0) - other.votes.get(n, 0) for n in numbers},
        )


def contribution(sheet: TallySheet | None, version: SheetVersion | None, votes: dict[int, int] | None) -> Contribution:
    if sheet is None or version is None:
        return Contribution()
    if sheet.status == TallySheet.Status.HELD:
        return Contribution(held=1)
    return Contribution(
        counted=1,
        verified=int(sheet.verified),
        dpt=version.dpt,
        voters=version.voters,
        valid=version.valid,
        invalid=version.invalid,
        votes=dict(votes or {}),
    )


TOTAL_FIELDS = ("tps_counted", "tps_verified", "tps_held", "dpt", "voters", "valid", "invalid")
LEVEL_LENGTHS = (2, 4, 6, 10)  # an undotted code's width at each level with a total: province to kelurahan


# The (contest, kelurahan, paslon count) whose roll-up rows exist: rows are never deleted, so this is
# kept for the life of the process (and dropped with every other ProcessCache, e.g. between tests).
_READY = ProcessCache(10**9, limit=500_000)


def ensure_totals_for(contest: Contest, tps: Tps) -> None:
    """Make sure the roll-up rows above this TPS exist (a contest, TPS or paslon added later)."""
    key = (contest.pk, tps.kelurahan_id, len(ballot_numbers(contest)))
    if _READY.peek(key):
        return
    have = RegionVote.objects.filter(contest=contest, region_id=tps.kelurahan_id).count()
    if have < len(ballot_numbers(contest)):
        ensure_totals(contest)
    # Remembered once committed: rows made in a transaction that then rolls back (a refused photo)
    # are gone again, and the next sheet must make them anew.
    transaction.on_commit(lambda: _READY.put(key, True))


def apply_delta(contest_id: int, tps_code: str, d: Contribution) -> None:
    """Add a sheet's change to every region above its TPS: two statements, whatever the depth.

    Plain SQL on purpose: this runs for every accepted sheet on election night, and building the
    same UPDATE through ORM expressions costs more than the database work itself.
    """
    regions = ancestor_ids(tps_code)
    region_list = ", ".join(["%s"] * len(regions))
    changes = [
        (name, value)
        for name, value in zip(
            TOTAL_FIELDS, (d.counted, d.verified, d.held, d.dpt, d.voters, d.valid, d.invalid), strict=True
        )
        if value
    ]
    moved = [(n, v) for n, v in sorted(d.votes.items()) if v]
    if not (changes or moved):
        return
    # On PostgreSQL the shared rows (province, regency, kecamatan) are locked in id order inside each
    # UPDATE: a bare UPDATE locks them in heap order, which differs between row versions, and
    # deadlocked two workers in the national benchmark. SQLite has one writer at a time.
    ordered = "ORDER BY id FOR UPDATE" if connection.features.has_select_for_update else ""
    where = f"id IN (SELECT id FROM {{table}} WHERE contest_id = %s AND region_id IN ({region_list}) {ordered})"  # noqa: S608
    with connection.cursor() as cursor:
        # updated_at moves with any change: the public pages' ETag follows it
        sets = ", ".join([*(f"{name} = {name} + %s" for name, _v in changes), "updated_at = %s"])
        cursor.execute(
            f"UPDATE tally_regiontotal SET {sets} WHERE {where.format(table='tally_regiontotal')}",  # noqa: S608
            [*(v for _n, v in changes), timezone.now(), contest_id, *regions],
        )
        if moved:
            cases = " ".join("WHEN %s THEN %s" for _m in moved)
            numbers = ", ".join(["%s"] * len(moved))
            cursor.execute(
                f"UPDATE tally_regionvote SET votes = votes + CASE number {cases} ELSE 0 END "  # noqa: S608
                f"WHERE number IN ({numbers}) AND {where.format(table='tally_regionvote')}",
                [*(x for pair in moved for x in pair), *(n for n, _v in moved), contest_id, *regions],
            )


@transaction.atomic
def ensure_totals(contest: Contest) -> int:
    """Create the roll-up rows of every region of the contest that has TPS; refresh TPS/DPT counts."""
    prefix = contest.region.undotted_code
    tps = Tps.objects.filter(code__startswith=prefix)
    counts: dict[str, tuple[int, int]] = {}
    for length in LEVEL_LENGTHS:
        if length < len(prefix):
            continue
        for row in (
            tps.annotate(key=Substr("code", 1, length))
            .values("key")
            .annotate(n=Count("id"), m=Sum("dpt_male"), f=Sum("dpt_female"))
        ):
            counts[dotted(row["key"])] = (row["n"], (row["m"] or 0) + (row["f"] or 0))
    regions = dict(Region.objects.filter(code__in=counts).values_list("code", "pk"))
    existing = {t.region_id: t for t in RegionTotal.objects.filter(contest=contest)}
    new, changed = [], []
    for code, (n, dpt) in counts.items():
        rid = regions.get(code)
        if rid is None:
            continue
        total = existing.get(rid)
        if total is None:
            new.append(RegionTotal(contest=contest, region_id=rid, tps_total=n, dpt_registered=dpt))
        elif (total.tps_total, total.dpt_registered) != (n, dpt):
            total.tps_total, total.dpt_registered = n, dpt
            changed.append(total)
    # The first sheets of a contest may arrive at once: rows another transaction is making are left
    # to it (ON CONFLICT DO NOTHING waits for it), and every transaction makes them in one order.
    new.sort(key=lambda t: t.region_id)
    RegionTotal.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    RegionTotal.objects.bulk_update(changed, ["tps_total", "dpt_registered"], batch_size=2000)
    numbers = list(contest.candidates.values_list("number", flat=True))
    have = set(RegionVote.objects.filter(contest=contest).values_list("region_id", "number"))
    RegionVote.objects.bulk_create(
        [
            RegionVote(contest=contest, region_id=rid, number=n)
            for rid in sorted(regions.values())
            for n in sorted(numbers)
            if (rid, n) not in have
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    return len(new)


# --- the recount ----------------------------------------------------------------------------

RECOUNT_TOTALS = """
SELECT s.contest_id, substr(t.code, 1, {n}),
       count(*) FILTER (WHERE s.status = 'counted'),
       count(*) FILTER (WHERE s.status = 'counted' AND s.verified),
       count(*) FILTER (WHERE s.status = 'held'),
       coalesce(sum(v.dpt) FILTER (WHERE s.status = 'counted'), 0),
       coalesce(sum(v.voters_dpt + v.voters_dptb + v.voters_dpk) FILTER (WHERE s.status = 'counted'), 0),
       coalesce(sum(v.valid) FILTER (WHERE s.status = 'counted'), 0),
       coalesce(sum(v.invalid) FILTER (WHERE s.status = 'counted'), 0)
FROM tally_tallysheet s JOIN tps_tps t ON t.id = s.tps_id JOIN tally_sheetversion v ON v.id = s.latest_id
{where} GROUP BY s.contest_id, substr(t.code, 1, {n})
"""
RECOUNT_VOTES = """
SELECT s.contest_id, substr(t.code, 1, {n}), sv.number, sum(sv.votes)
FROM tally_sheetvote sv JOIN tally_tallysheet s ON s.latest_id = sv.version_id JOIN tps_tps t ON t.id = s.tps_id
WHERE s.status = 'counted' {and_where} GROUP BY s.contest_id, substr(t.code, 1, {n}), sv.number
"""


def recount(contest: Contest | None = None) -> tuple[dict, dict]:
    """Totals from scratch, one plain SQL GROUP BY per level over the latest version of every sheet,
    for one contest or all: ({(contest id, region code): figures}, {(contest id, region, paslon): votes})."""
    where, params = ("WHERE s.contest_id = %s", [contest.pk]) if contest is not None else ("", [])
    totals: dict = {}
    votes: dict = {}
    codes: dict[str, str] = {}
    with connection.cursor() as cursor:
        for n in LEVEL_LENGTHS:
            cursor.execute(RECOUNT_TOTALS.format(n=n, where=where), params)
            for cid, key, *figures in cursor.fetchall():
                code = codes.get(key) or codes.setdefault(key, dotted(key))
                totals[(cid, code)] = dict(zip(TOTAL_FIELDS, figures, strict=True))
            cursor.execute(RECOUNT_VOTES.format(n=n, and_where=where.replace("WHERE", "AND")), params)
            for cid, key, number, total in cursor.fetchall():
                votes[(cid, codes.get(key) or codes.setdefault(key, dotted(key)), number)] = total
    return totals, votes


def recount_differences(contest: Contest) -> list[str]:
    fresh, fresh_votes = recount(contest)
    out = []
    for t in RegionTotal.objects.filter(contest=contest).select_related("region"):
        want = fresh.get((contest.pk, t.region.code), dict.fromkeys(TOTAL_FIELDS, 0))
        for f in TOTAL_FIELDS:
            if getattr(t, f) != want[f]:
                out.append(f"{t.region.code} {f}: tersimpan {getattr(t, f)}, hitung ulang {want[f]}")
    stored = set(RegionTotal.objects.filter(contest=contest).values_list("region__code", flat=True))
    top = contest.region.code
    for (cid, code), figures in fresh.items():
        inside = code == top or code.startswith(top + ".")
        if cid == contest.pk and inside and code not in stored and any(figures.values()):
            out.append(f"{code}: baris total tidak ada, hitung ulang {figures}")
    for v in RegionVote.objects.filter(contest=contest).select_related("region"):
        want = fresh_votes.get((contest.pk, v.region.code, v.number), 0)
        if v.votes != want:
            out.append(f"{v.region.code} paslon_{v.number}: tersimpan {v.votes}, hitung ulang {want}")
    return out


@transaction.atomic
def rewrite_totals(*, by, contest: Contest | None = None, contests: list[Contest] | None = None) -> int:
    """Replace the maintained totals with a recount (after a reported difference, or a bulk load).

    Streams the GROUP BY rows into UPDATEs level by level, so memory does not grow with the
    number of regions (a national load rewrites some 180,000 totals and 900,000 vote rows).
    """
    targets = contests if contests is not None else [contest] if contest is not None else []
    for c in targets:
        ensure_totals(c)
    ids = [c.pk for c in targets]
    region_ids = {undotted(code): pk for code, pk in Region.objects.values_list("code", "pk")}
    marks = ", ".join(["%s"] * len(ids))
    where = f"WHERE s.contest_id IN ({marks})"
    sets = ", ".join(f"{name} = %s" for name in TOTAL_FIELDS)
    now = timezone.now()
    with connection.cursor() as cursor:
        zero = ", ".join(f"{name} = 0" for name in TOTAL_FIELDS)
        cursor.execute(f"UPDATE tally_regiontotal SET {zero} WHERE contest_id IN ({marks})", ids)  # noqa: S608
        cursor.execute(f"UPDATE tally_regionvote SET votes = 0 WHERE contest_id IN ({marks})", ids)  # noqa: S608
        for n in LEVEL_LENGTHS:
            for sql, update, shape in (
                (
                    RECOUNT_TOTALS.format(n=n, where=where),
                    f"UPDATE tally_regiontotal SET {sets}, updated_at = %s WHERE contest_id = %s AND region_id = %s",  # noqa: S608
                    lambda cid, key, *fig: [*fig, now, cid, region_ids.get(key)],
                ),
                (
                    RECOUNT_VOTES.format(n=n, and_where=where.replace("WHERE", "AND")),
                    "UPDATE tally_regionvote SET votes = %s WHERE contest_id = %s AND region_id = %s AND number = %s",
                    lambda cid, key, number, total: [total, cid, region_ids.get(key), number],
                ),
            ):
                with connection.chunked_cursor() as source:
                    source.execute(sql, ids)
                    while rows := source.fetchmany(5000):
                        cursor.executemany(update, [shape(*row) for row in rows])
    for c in targets:
        record("tally.totals_rewritten", by=by, target=c, after={"source": "recount"})
    return len(targets)
