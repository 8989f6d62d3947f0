"""Point 4 in the demo: turnout history (generated, labelled as such), outreach activities, and the
invitations (C.Pemberitahuan) reported day by day over H-5…H-1, as far as the demo's `now` has come.

Kelurahan prone to floods fall behind (rain, as in 2024); TPS 028 Kebon Pedes, the KPPS persona's,
is one of them. A TPS reports each day's figures in the afternoon or evening, so at H-1 afternoon
only part of the day is in."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from deskpilkada.elections.models import Election
from deskpilkada.outreach.actions import add_activity, load_invitation_days, save_turnout
from deskpilkada.outreach.models import InvitationDay, OutreachActivity
from deskpilkada.regions.models import Level, Region, RegionHazard
from deskpilkada.tps.models import Tps

SEED = 20241127
STORY_TPS = "3271061002028"  # TPS 028 Kebon Pedes: behind on invitations, its H-1 report comes late


def seed(*, now: dt.datetime, say: Callable[[str], None]) -> None:
    election = Election.objects.get(code="pilkada-2024")
    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith="32.71.").order_by("code"))
    _turnout(villages)
    _activities(election, villages, now)
    _invitations(election, now)


def _turnout(villages: list[Region]) -> None:
    rng = random.Random(SEED + 13)
    for v in villages:
        dpt = rng.randint(6000, 20000)
        voters = round(dpt * rng.uniform(0.70, 0.90))
        save_turnout(by=None, region=v, label="Pemilu 2024 (angka demo)", year=2024, dpt=dpt, voters=voters)


def _activities(election: Election, villages: list[Region], now: dt.datetime) -> None:
    """Forty-five sosialisasi activities between H-40 and H-2; those after `now` have not happened."""
    rng = random.Random(SEED + 14)
    kinds, segments = OutreachActivity.Kind.values, OutreachActivity.Segment.values
    done = set(
        OutreachActivity.objects.filter(election=election).values_list(
            "date", "kelurahan_id", "kind", "segment", "organiser"
        )
    )
    today = timezone.localdate(now)
    for i in range(45):
        kind, segment = kinds[i % len(kinds)], segments[(i * 7) % len(segments)]
        date, kelurahan = election.h_minus(rng.randint(2, 40)), rng.choice(villages)
        organiser = rng.choice(["KPU Kota Bogor", "Diskominfo", "Kecamatan (demo)", "Karang Taruna (demo)"])
        reach = rng.randint(20, 400)
        key = (date, kelurahan.pk, kind, segment, organiser)
        if date > today or key in done:
            continue
        add_activity(
            by=None,
            election=election,
            kind=kind,
            segment=segment,
            date=date,
            kelurahan=kelurahan,
            organiser=organiser,
            reach=reach,
            description="Kegiatan demo",
        )
        done.add(key)


def invitation_plan(election: Election) -> list[tuple[dt.datetime, InvitationDay]]:
    """Every TPS's report for every day of the window, with the time it is reported."""
    rng = random.Random(SEED + 11)
    flooded = set(RegionHazard.objects.filter(kind="banjir").values_list("region_id", flat=True))
    window = election.invitation_window()
    last = len(window) - 1
    zone = timezone.get_current_timezone()
    plan = []
    for tps in Tps.objects.order_by("code"):
        slow = tps.code == STORY_TPS or (tps.kelurahan_id in flooded and rng.random() < 0.55)
        left = tps.dpt
        for i, day in enumerate(window):
            pace = rng.uniform(0.10, 0.16) if slow else rng.uniform(0.19, 0.24)
            handled = min(left, round(tps.dpt * pace) if i < last else round(left * (0.7 if slow else 1)))
            undeliverable = round(handled * rng.uniform(0.01, 0.04))
            # Reported between 09:00 and 20:00, a slow TPS between 12:00 and 21:00.
            hours = 12 + rng.uniform(0, 9) if slow else 9 + rng.uniform(0, 11)
            if tps.code == STORY_TPS and i == last:
                hours = 19.5
            at = dt.datetime.combine(day, dt.time(0), zone) + dt.timedelta(hours=hours)
            plan.append(
                (
                    at,
                    InvitationDay(
                        election=election,
                        tps=tps,
                        day=day,
                        delivered=handled - undeliverable,
                        moved=undeliverable // 2,
                        unknown=undeliverable - undeliverable // 2,
                    ),
                )
            )
            left -= handled
    return plan


def _invitations(election: Election, now: dt.datetime) -> None:
    """The reports made by `now`, each once."""
    done = set(InvitationDay.objects.filter(election=election).values_list("tps_id", "day"))
    rows = [row for at, row in invitation_plan(election) if at <= now and (row.tps_id, row.day) not in done]
    if rows:
        load_invitation_days(rows, by=None)
