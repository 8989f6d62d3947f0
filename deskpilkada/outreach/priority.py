"""The priority list of kelurahan for outreach.

score = (1 − past turnout) × (DPT / largest DPT) × (1 + share of TPS behind on invitations)
        × 1 / (1 + outreach activities so far)

Low past turnout and many voters raise the priority, invitations behind raise it further, and
each activity already held lowers it. A kelurahan without turnout history takes the average of
those that have one. Every factor is shown beside the rank.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Sum

from deskpilkada.outreach import progress
from deskpilkada.outreach.models import OutreachActivity, TurnoutHistory
from deskpilkada.regions.models import Level, Region
from deskpilkada.tally.results import kelurahan_turnout
from deskpilkada.tps.models import Tps


@dataclass
class Priority:
    kelurahan: Region
    turnout: float
    turnout_known: bool
    dpt: int
    size: float
    behind_share: float
    activities: int
    score: float
    today: float | None = None  # election-day turnout so far, from the count


def rank(
    kelurahan: list[Region],
    *,
    dpt: dict[int, int],
    turnout: dict[int, float],
    behind: dict[int, float],
    activities: dict[int, int],
) -> list[Priority]:
    """Pure ranking from the four inputs (so that a small example can be checked by hand)."""
    known = [t for t in turnout.values() if t is not None]
    average = sum(known) / len(known) if known else 0.75
    largest = max([dpt.get(k.pk, 0) for k in kelurahan] or [1]) or 1
    out = []
    for k in kelurahan:
        t = turnout.get(k.pk)
        size = dpt.get(k.pk, 0) / largest
        score = (
            (1 - (t if t is not None else average)) * size * (1 + behind.get(k.pk, 0.0)) / (1 + activities.get(k.pk, 0))
        )
        out.append(
            Priority(
                k,
                t if t is not None else average,
                t is not None,
                dpt.get(k.pk, 0),
                size,
                behind.get(k.pk, 0.0),
                activities.get(k.pk, 0),
                score,
            )
        )
    return sorted(out, key=lambda p: (-p.score, p.kelurahan.code))


def priorities(election, area_q) -> list[Priority]:
    kelurahan = list(Region.objects.filter(area_q, level=Level.VILLAGE, tps_set__isnull=False).distinct())
    ids = [k.pk for k in kelurahan]
    dpt = {
        row["kelurahan_id"]: (row["m"] or 0) + (row["f"] or 0)
        for row in Tps.objects.filter(kelurahan_id__in=ids)
        .values("kelurahan_id")
        .annotate(m=Sum("dpt_male"), f=Sum("dpt_female"))
    }
    turnout: dict[int, float] = {}
    for h in TurnoutHistory.objects.filter(region_id__in=ids).order_by("region_id", "-year"):
        if h.turnout is not None:  # the latest year with a figure
            turnout.setdefault(h.region_id, h.turnout)
    rows = progress.progress(election, Tps.objects.filter(kelurahan_id__in=ids), progress.default_days_before(election))
    tps_count: Counter[int] = Counter()
    behind_count: Counter[int] = Counter()
    for r in rows:
        kelurahan_id = r.tps.kelurahan_id
        tps_count[kelurahan_id] += 1
        behind_count[kelurahan_id] += int(r.behind)
    behind = {k: behind_count[k] / n for k, n in tps_count.items() if n}
    activities = Counter(
        OutreachActivity.objects.filter(election=election, kelurahan_id__in=ids).values_list("kelurahan_id", flat=True)
    )
    ranked = rank(kelurahan, dpt=dpt, turnout=turnout, behind=behind, activities=activities)
    today = kelurahan_turnout(election, ids)
    for p in ranked:
        p.today = today.get(p.kelurahan.pk)
    return ranked
