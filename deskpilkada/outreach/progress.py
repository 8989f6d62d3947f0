"""Invitation delivery against plan, per TPS, as of a day of the window."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import F, Sum

from deskpilkada import clock
from deskpilkada.outreach.models import InvitationDay
from deskpilkada.tps.models import Tps


@dataclass
class TpsProgress:
    tps: Tps
    dpt: int
    delivered: int
    undeliverable: int
    expected: int
    threshold: int | None

    @property
    def handled(self) -> int:
        return self.delivered + self.undeliverable

    @property
    def behind(self) -> bool:
        return self.threshold is not None and self.handled < self.expected * self.threshold / 100

    @property
    def shortfall(self) -> int:
        return max(self.expected - self.handled, 0)

    @property
    def share(self) -> float | None:
        return self.handled / self.dpt if self.dpt else None


def default_days_before(election, today: dt.date | None = None) -> int:
    """H-3, H-2 or H-1: today's, inside the warning days; else H-1 (the state on the eve)."""
    left = (election.voting_date - (today or clock.today())).days
    return left if left in (1, 2, 3) else 1


def expected_by(election, dpt: int, as_of: dt.date) -> int:
    window = election.invitation_window()
    elapsed = sum(1 for d in window if d <= as_of)
    return math.ceil(dpt * elapsed / len(window)) if window else dpt


def progress(election, tps_qs, days_before: int) -> list[TpsProgress]:
    """Each TPS's delivered and undeliverable invitations up to H-`days_before`, against plan."""
    as_of = election.h_minus(days_before)
    threshold = election.invitation_threshold(days_before)
    sums = {
        row["tps_id"]: row
        for row in InvitationDay.objects.filter(election=election, tps__in=tps_qs, day__lte=as_of)
        .values("tps_id")
        .annotate(d=Sum("delivered"), u=Sum(F("moved") + F("deceased") + F("unknown") + F("refused") + F("other")))
    }
    out = []
    for tps in tps_qs.select_related("kelurahan__parent"):
        row = sums.get(tps.pk, {})
        out.append(
            TpsProgress(
                tps, tps.dpt, row.get("d") or 0, row.get("u") or 0, expected_by(election, tps.dpt, as_of), threshold
            )
        )
    return out


def by_area(rows: list[TpsProgress], level: str) -> list[dict]:
    """Roll TPS progress up to kelurahan or kecamatan, behind counts included."""
    groups: dict = {}
    for r in rows:
        region = r.tps.kelurahan if level == "kelurahan" else r.tps.kelurahan.parent
        if region is None:
            continue
        g = groups.setdefault(
            region.pk, {"region": region, "tps": 0, "behind": 0, "dpt": 0, "handled": 0, "delivered": 0, "expected": 0}
        )
        g["tps"] += 1
        g["behind"] += int(r.behind)
        g["dpt"] += r.dpt
        g["handled"] += r.handled
        g["delivered"] += r.delivered
        g["expected"] += r.expected
    out = sorted(groups.values(), key=lambda g: (-g["behind"], g["region"].code))
    for g in out:
        g["share"] = g["handled"] / g["dpt"] if g["dpt"] else None
    return out
