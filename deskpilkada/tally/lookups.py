"""What the C.Hasil ingest reads for every sheet and nobody changes on election night, kept per
worker process (`memo.ProcessCache`): a contest by code with its election and region, a TPS by
code. A save or delete of such a row drops them at once in the process that made it; other
processes read them again within `LOOKUP_SECONDS`. What must take effect at once everywhere is
never kept here: a finalised recap is read in every sheet's transaction, after its totals are
locked."""

from __future__ import annotations

from collections.abc import Iterable

from deskpilkada.elections.models import Contest, Election
from deskpilkada.memo import ProcessCache
from deskpilkada.regions.codes import CodeError
from deskpilkada.regions.models import Region
from deskpilkada.tps.codes import normalize_tps_code
from deskpilkada.tps.models import Tps

LOOKUP_SECONDS = 30

_CONTESTS: ProcessCache = ProcessCache(LOOKUP_SECONDS, Contest, Election, Region)
_TPS: ProcessCache = ProcessCache(LOOKUP_SECONDS, Tps, limit=50_000)  # a TPS is some 2 kB: ≤ 100 MB


def contest(code: str) -> Contest | None:
    """The contest with its election and region, or None."""
    return _CONTESTS.get(code, lambda: Contest.objects.select_related("election", "region").filter(code=code).first())


def tps(code: str) -> Tps | None:
    """The TPS by its undotted code, or None."""
    return _TPS.get(code, lambda: Tps.objects.filter(code=code).first())


def know_tps(codes: Iterable[str]) -> None:
    """Read the TPS of a batch not yet kept in one query (codes as sent; bad ones are left to `tps`)."""
    wanted = set()
    for code in codes:
        try:
            wanted.add(normalize_tps_code(code))
        except CodeError:
            continue
    missing = [c for c in wanted if _TPS.peek(c) is None]
    if missing:
        for row in Tps.objects.filter(code__in=missing):
            _TPS.put(row.code, row)
