"""Point 5 in the demo: the count and the recap of 2024 as a timeline, played up to the demo's `now`.

Generated figures, clearly not the real results. Every event has its time and goes through the
ordinary action with the clock moved to that time (`clock.at`), so entry times, verifications,
D.Hasil and finalisations all lie before `now`:

- polls close at 13:00; the C.Hasil come in from 14:00 (about 55 % of the mayor's and 35 % of the
  governor's by 20:00, the rest by 00:30); TPS 028 Kebon Pedes is entered by its own KPPS at 23:30;
- some sheets do not add up and are held, then corrected an hour and a half to three and a half
  hours later;
- in Bogor Barat the PPK makes a second entry of every third sheet; a few differ (disputes),
  settled at the kecamatan's plenary;
- Sirekap's figures for every eleventh TPS, some with the machine misreads seen in 2024;
- the kecamatan recaps (D.Hasil) from 28 November, each finalised some hours later (Bogor Utara's
  first D.Hasil moves 12 votes from paslon 3 to paslon 2 and is read again); the city's on 5 December.

Each event is written once: seeding again, or seeding for a later `now` over an earlier one, adds
only what is missing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from deskpilkada import clock, numbers
from deskpilkada.accounts.models import User
from deskpilkada.elections.models import Contest
from deskpilkada.regions.models import Level, Region
from deskpilkada.tally import rules
from deskpilkada.tally.actions import finalise_recap, record_d_hasil, submit_second_entry, submit_sheet
from deskpilkada.tally.chain import publish_checkpoint
from deskpilkada.tally.loading import import_sirekap
from deskpilkada.tally.models import (
    DHasil,
    ExternalSheet,
    RecapFinal,
    RegionTotal,
    RegionVote,
    Source,
    TallySheet,
    Verification,
)
from deskpilkada.tally.rollup import ensure_totals
from deskpilkada.tps.models import Tps

SEED = 20241127
OPERATOR, PPK, KPPS = "operator.kpu", "ppk.bogorbarat", "kpps.kebonpedes028"
STORY_TPS = "3271061002028"  # entered by its own KPPS late on election night
VERIFIED_KECAMATAN = "32.71.04"  # Bogor Barat, where the PPK persona works

SHARE_WEIGHTS = {"pilwalkot-bogor-2024": [14, 27, 36, 15, 8], "pilgub-jabar-2024": [8, 6, 22, 64]}
IN_BY_EIGHT = {"pilwalkot-bogor-2024": 0.55, "pilgub-jabar-2024": 0.35}  # share of TPS in by 20:00

ZONE = timezone.get_fixed_timezone(7 * 60)  # WIB


def wib(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2024, month, day, hour, minute, tzinfo=ZONE)


FIRST_SHEETS, EIGHT_PM, LAST_SHEETS = wib(27, 14), wib(27, 20), wib(28, 0, 30)
# kecamatan: (D.Hasil read out, recap finalised); both contests, the governor's an hour after the mayor's.
RECAP = {
    "32.71.03": (wib(28, 15), wib(28, 17)),  # Bogor Tengah
    "32.71.02": (wib(29, 11), wib(29, 13)),  # Bogor Timur
    "32.71.05": (wib(29, 15), wib(30, 15)),  # Bogor Utara: read again on 30 Nov at 13:00
    "32.71.01": (wib(30, 16), wib(1, 10, month=12)),  # Bogor Selatan
    "32.71.06": (wib(1, 14, month=12), wib(2, 10, month=12)),  # Tanah Sareal
    "32.71.04": (wib(2, 13, month=12), wib(3, 10, month=12)),  # Bogor Barat
}
MISREAD_D_HASIL = ("32.71.05", "pilwalkot-bogor-2024", wib(30, 13))
CITY_FINAL = wib(5, 14, month=12)


@dataclass(order=True)
class Event:
    at: dt.datetime
    seq: int
    kind: str = field(compare=False)  # sheet, second, d_hasil, final
    contest: str = field(compare=False)
    tps: Tps | None = field(default=None, compare=False)
    region: str = field(default="", compare=False)
    number: int = field(default=1, compare=False)  # the version, the second entry or D.Hasil ordinal
    figures: rules.Sheet | None = field(default=None, compare=False)
    by: str = field(default=OPERATOR, compare=False)
    reason: str = field(default="", compare=False)
    offset: dict[int, int] = field(default_factory=dict, compare=False)


def demo_sheet(rng: random.Random, dpt: int, weights: list[int]) -> rules.Sheet:
    voters = round(dpt * rng.uniform(0.52, 0.76))
    invalid = round(voters * rng.uniform(0.01, 0.04))
    valid = voters - invalid
    raw = [w * rng.uniform(0.6, 1.4) for w in weights]
    votes = [int(valid * r / sum(raw)) for r in raw]
    votes[0] += valid - sum(votes)
    return rules.balanced_sheet(dpt, votes, invalid=invalid, damaged=rng.randint(0, 3))


def _copy(sheet: rules.Sheet) -> rules.Sheet:
    return rules.Sheet(dict(sheet.numbers), dict(sheet.votes), dict(sheet.extra))


def _arrival(u: float, share: float) -> dt.datetime:
    """A sheet's entry time: a share `share` of them spread over 14:00-20:00, the rest over 20:00-00:30."""
    if u < share:
        return FIRST_SHEETS + (EIGHT_PM - FIRST_SHEETS) * (u / share)
    return EIGHT_PM + (LAST_SHEETS - EIGHT_PM) * ((u - share) / (1 - share))


def timeline(all_tps: list[Tps]) -> tuple[list[Event], dict[str, list[tuple[Tps, rules.Sheet, dt.datetime]]]]:
    """The whole story, whatever `now` is, in time order; and the sheets Sirekap also publishes."""
    events: list[Event] = []
    sirekap: dict[str, list[tuple[Tps, rules.Sheet, dt.datetime]]] = {}
    seq = 0

    def add(**kw) -> None:
        nonlocal seq
        seq += 1
        events.append(Event(seq=seq, **kw))

    for c_index, (code, weights) in enumerate(SHARE_WEIGHTS.items()):
        rng = random.Random(SEED + 5 + c_index)
        sirekap[code] = []
        k = -1  # the TPS's place among Bogor Barat's
        for j, tps in enumerate(all_tps):
            u = rng.random()
            sheet = demo_sheet(rng, tps.dpt, weights)
            delay = dt.timedelta(minutes=30 + rng.randint(0, 120))
            in_barat = tps.code.startswith(VERIFIED_KECAMATAN.replace(".", ""))
            k += in_barat
            if tps.code == STORY_TPS:
                add(at=wib(27, 23, 30), kind="sheet", contest=code, tps=tps, figures=sheet, by=KPPS)
                continue
            at = _arrival(u, IN_BY_EIGHT[code])
            if j % 97 == 5:  # valid votes that do not add up: held, corrected after a call to the KPPS
                wrong = _copy(sheet)
                wrong.numbers["suara_sah"] += 10
                add(at=at, kind="sheet", contest=code, tps=tps, figures=wrong)
                add(
                    at=at + dt.timedelta(minutes=90 + j % 120),
                    kind="sheet",
                    contest=code,
                    tps=tps,
                    figures=sheet,
                    number=2,
                    reason="Suara sah dijumlah ulang dari plano.",
                )
                continue
            add(at=at, kind="sheet", contest=code, tps=tps, figures=sheet)
            if in_barat and k % 3 == 0:
                second = _copy(sheet)
                disputed = (k // 3) % 12 == 2
                if disputed:  # a second entry that differs: a dispute, settled at the plenary
                    second.votes[1] += 9
                    plenary = RECAP[VERIFIED_KECAMATAN][0] - dt.timedelta(hours=2)
                    add(at=plenary, kind="second", contest=code, tps=tps, figures=_copy(sheet), by=PPK, number=2)
                add(at=at + delay, kind="second", contest=code, tps=tps, figures=second, by=PPK)
            if j % 11 == 0:
                sirekap[code].append((tps, sheet, at - dt.timedelta(minutes=10)))
    for c_index, code in enumerate(SHARE_WEIGHTS):
        hour = dt.timedelta(hours=c_index)
        for kecamatan, (read_at, final_at) in RECAP.items():
            by = PPK if kecamatan == VERIFIED_KECAMATAN else OPERATOR
            if (kecamatan, code) == MISREAD_D_HASIL[:2]:
                add(at=read_at + hour, kind="d_hasil", contest=code, region=kecamatan, by=by, offset={2: 12, 3: -12})
                add(at=MISREAD_D_HASIL[2], kind="d_hasil", contest=code, region=kecamatan, by=by, number=2)
            else:
                add(at=read_at + hour, kind="d_hasil", contest=code, region=kecamatan, by=by)
            add(at=final_at + hour, kind="final", contest=code, region=kecamatan)
        add(at=CITY_FINAL + hour, kind="final", contest=code, region="32.71")
    events.sort()
    return events, sirekap


class _Done:
    """What of the timeline the database already holds, so that no event is written twice."""

    def __init__(self, contests: dict[str, Contest]):
        ids = [c.pk for c in contests.values()]
        self.versions = {
            (c, t): n
            for c, t, n in TallySheet.objects.filter(contest_id__in=ids).values_list(
                "contest_id", "tps_id", "version_count"
            )
        }
        self.seconds = Counter(
            Verification.objects.filter(sheet__contest_id__in=ids, kind=Verification.Kind.SECOND_ENTRY).values_list(
                "sheet__contest_id", "sheet__tps_id"
            )
        )
        self.d_hasil = Counter(DHasil.objects.filter(contest_id__in=ids).values_list("contest_id", "kecamatan__code"))
        self.finals = set(RecapFinal.objects.filter(contest_id__in=ids).values_list("contest_id", "region__code"))

    def has(self, e: Event, contest: Contest) -> bool:
        tps = e.tps.pk if e.tps else 0
        if e.kind == "sheet":
            return self.versions.get((contest.pk, tps), 0) >= e.number
        if e.kind == "second":
            return self.seconds[(contest.pk, tps)] >= e.number
        if e.kind == "d_hasil":
            return self.d_hasil[(contest.pk, e.region)] >= e.number
        return (contest.pk, e.region) in self.finals

    def add(self, e: Event, contest: Contest) -> None:
        tps = e.tps.pk if e.tps else 0
        if e.kind == "sheet":
            self.versions[(contest.pk, tps)] = e.number
        elif e.kind == "second":
            self.seconds[(contest.pk, tps)] += 1
        elif e.kind == "d_hasil":
            self.d_hasil[(contest.pk, e.region)] += 1
        else:
            self.finals.add((contest.pk, e.region))


def _d_hasil_figures(contest: Contest, kecamatan: Region, offset: dict[int, int]) -> dict:
    """What the PPK reads out: the kecamatan's sum of C.Hasil, with `offset` as a misreading."""
    total = RegionTotal.objects.get(contest=contest, region=kecamatan)
    votes = dict(RegionVote.objects.filter(contest=contest, region=kecamatan).values_list("number", "votes"))
    for n, d in offset.items():
        votes[n] = votes.get(n, 0) + d
    return {"voters": total.voters, "valid": total.valid, "invalid": total.invalid, "votes": votes}


def _apply(e: Event, contest: Contest, people: dict[str, User], regions: dict[str, Region]) -> None:
    by = people[e.by]
    if e.kind == "sheet":
        assert e.tps is not None and e.figures is not None
        source = Source.KPPS if e.by == KPPS else Source.CSV
        submit_sheet(by=by, tps=e.tps, contest=contest, sheet=e.figures, source=source, reason=e.reason)
    elif e.kind == "second":
        assert e.tps is not None and e.figures is not None
        sheet = TallySheet.objects.get(contest=contest, tps=e.tps)
        submit_second_entry(by=by, sheet=sheet, figures=e.figures)
    elif e.kind == "d_hasil":
        kecamatan = regions[e.region]
        record_d_hasil(by=by, contest=contest, kecamatan=kecamatan, **_d_hasil_figures(contest, kecamatan, e.offset))
    else:
        finalise_recap(by=people[OPERATOR], contest=contest, region=regions[e.region])


def _sirekap_item(contest: Contest, tps: Tps, sheet: rules.Sheet, at: dt.datetime, n: int) -> tuple[str, dict]:
    """Sirekap's JSON for a TPS; every ninth a machine misread of one paslon's figure."""
    ids = {number: sid for sid, number in contest.sirekap_ids.items()}
    chart = {ids[number]: v for number, v in sheet.votes.items()}
    if n % 9 == 3:
        wrong_from, wrong_to = [(99, 44), (58, 948), (105, 905)][n % 3]
        number = 1 + n % len(sheet.votes)
        misread = str(sheet.votes[number]).replace(str(wrong_from)[:1], str(wrong_to)[:1], 1)
        chart[ids[number]] = int(misread) + wrong_to % 7
    return (
        tps.code,
        {
            "chart": chart,
            "images": [f"https://sirekap.example/{tps.code}-{k}.jpg" for k in (1, 2)],
            "administrasi": {
                "pengguna_dpt_j": sheet.get("pengguna_dpt"),
                "pengguna_dptb_j": 0,
                "pengguna_non_dpt_j": 0,
                "pengguna_total_j": sheet.voters,
                "suara_sah": sheet.get("suara_sah"),
                "suara_tidak_sah": sheet.get("suara_tidak_sah"),
                "pemilih_dpt_j": sheet.get("dpt"),
            },
            "ts": timezone.localtime(at, ZONE).strftime("%Y-%m-%d %H:%M:%S"),
        },
    )


def seed(*, now: dt.datetime, say: Callable[[str], None]) -> None:
    contests = {c.code: c for c in Contest.objects.filter(code__in=SHARE_WEIGHTS).select_related("election", "region")}
    for contest in contests.values():
        ensure_totals(contest)
    people = {u.username: u for u in User.objects.filter(username__in=[OPERATOR, PPK, KPPS])}
    regions = {
        r.code: r for r in Region.objects.filter(level__in=[Level.REGENCY, Level.DISTRICT], code__startswith="32.71")
    }
    all_tps = list(Tps.objects.order_by("code").select_related("kelurahan"))
    events, sirekap = timeline(all_tps)
    done = _Done(contests)
    written = 0
    for e in events:
        if e.at > now:
            break
        contest = contests[e.contest]
        if done.has(e, contest):
            continue
        with clock.at(e.at):
            _apply(e, contest, people, regions)
        done.add(e, contest)
        written += 1
    for code, contest in contests.items():
        have = set(ExternalSheet.objects.filter(contest=contest, source="sirekap").values_list("tps_id", flat=True))
        items = [
            _sirekap_item(contest, tps, sheet, at, n)
            for n, (tps, sheet, at) in enumerate(sirekap[code])
            if at <= now and tps.pk not in have
        ]
        if items:
            import_sirekap(items, by=None, contest=contest)
        if TallySheet.objects.filter(contest=contest).exists():
            with clock.at(now):
                publish_checkpoint(by=None, contest=contest)
    say(f"Penghitungan: {numbers.number(written)} peristiwa sampai {timezone.localtime(now, ZONE):%d-%m-%Y %H:%M} WIB")
