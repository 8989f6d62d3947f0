"""The demo's officers: a full registry for Kota Bogor (PPK 5 per kecamatan, PPS 3 per kelurahan, KPPS 7
and Linmas 2 per TPS) of generated people who look generated (every name ends in "(demo)", every NIK
begins with 99, a province code that does not exist), loaded through the import; two bimtek rounds
per kecamatan with attendance and scores, a refresher for chairs the evening of the demo clock;
screenings by the health office. Realistic gaps: a few crews short, some chairs untrained, some
officers unscreened, some unfit (a few replaced, the rest waiting). Deterministic, idempotent."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable

from deskpilkada.elections.models import Election
from deskpilkada.officers import actions
from deskpilkada.officers.models import Officer, Participant, Role
from deskpilkada.officers.rules import crew_rules, topics
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps

FIRST = [
    "Ahmad",
    "Siti",
    "Dedi",
    "Rina",
    "Asep",
    "Nur",
    "Yanti",
    "Agus",
    "Dewi",
    "Eko",
    "Lina",
    "Budi",
    "Ratna",
    "Iwan",
]
LAST = ["Suryana", "Hidayat", "Rahmawati", "Setiawan", "Kurniasih", "Saputra", "Lestari", "Permana", "Wulandari"]
PPK_SINCE, PPS_SINCE, KPPS_SINCE = dt.date(2024, 5, 16), dt.date(2024, 5, 31), dt.date(2024, 11, 6)


def _person(rng: random.Random, serial: int, since: dt.date, ages=(20, 53)) -> list[str]:
    age = rng.randint(*ages)
    born = dt.date(since.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)} (demo)"
    return [
        f"99{serial:014d}",
        name,
        born.isoformat(),
        rng.choice("LP"),
        f"0812{serial:08d}"[:13],
        f"Jl. Contoh No. {serial % 200 + 1} (demo)",
    ]


def registry_csv(election: Election, rng: random.Random) -> tuple[bytes, set[str]]:
    """The whole city's recruitment export as CSV, with a few crews left short; the short TPS codes."""
    rules = crew_rules(election)
    lines = [",".join(actions.COLUMNS)]  # generated values hold no comma or quote: plain lines
    serial = 0

    def row(role: str, chair: bool, region: str, tps: str, since: dt.date) -> None:
        nonlocal serial
        serial += 1
        p = _person(rng, serial, since)
        lines.append(",".join([*p, role.upper(), "Ketua" if chair else "Anggota", region, tps, since.isoformat()]))

    for kec in Region.objects.filter(code__startswith="32.71.").kecamatan().order_by("code"):
        for i in range(rules[Role.PPK].size):
            row(Role.PPK, i == 0, kec.code, "", PPK_SINCE)
    for kel in Region.objects.filter(code__startswith="32.71.").kelurahan().order_by("code"):
        for i in range(rules[Role.PPS].size):
            row(Role.PPS, i == 0, kel.code, "", PPS_SINCE)
    all_tps = list(Tps.objects.filter(code__startswith="3271").select_related("kelurahan").order_by("code"))
    short = {t.code for t in rng.sample(all_tps, min(14, len(all_tps)))}
    for t in all_tps:
        kpps = rules[Role.KPPS].size - (1 if t.code in short else 0)
        linmas = rules[Role.LINMAS].size - (1 if t.code in short and t.number % 2 else 0)
        for i in range(kpps):
            row(Role.KPPS, i == 0, t.kelurahan.code, str(t.number), KPPS_SINCE)
        for _i in range(linmas):
            row(Role.LINMAS, False, t.kelurahan.code, str(t.number), KPPS_SINCE)
    return ("\n".join(lines) + "\n").encode(), short


def seed(*, now: dt.datetime, say: Callable[[str], None]) -> None:
    election = Election.objects.current()
    if election is None or Officer.objects.filter(election=election).exists():
        return
    if not Tps.objects.filter(code__startswith="3271").exists():
        return
    rng = random.Random(13)
    data, _short = registry_csv(election, rng)
    result = actions.import_officers(io.BytesIO(data), by=None, election=election)
    say(f"Petugas demo: {result.summary()}")
    _training(election, rng, now)
    _screenings(election, rng, now)


def _training(election: Election, rng: random.Random, now: dt.datetime) -> None:
    by_code = {t.code: t for t in topics(election)}
    tz = now.tzinfo
    kecamatan = list(Region.objects.filter(code__startswith="32.71.").kecamatan().order_by("code"))
    rounds = [
        ("pemungutan", dt.datetime(2024, 11, 16, 8, 0, tzinfo=tz)),
        ("penghitungan", dt.datetime(2024, 11, 19, 8, 0, tzinfo=tz)),
    ]
    # Realistic gaps, not noise: most crews come whole; about one TPS in fourteen has a member who
    # missed a session (Kebon Pedes among them, where the PPS ticks a late sign-in), and a few chairs
    # skipped the counting round.
    crews = Officer.objects.filter(election=election, role=Role.KPPS).values_list("area_code", flat=True)
    tps_codes = sorted(set(crews))
    gaps = {c for c in tps_codes if rng.random() < 0.07}
    gaps |= set([c for c in tps_codes if c.startswith("3271061002")][:3])
    untrained_chairs = set()
    for kec in kecamatan:
        for code, start in rounds:
            if start > now:
                continue
            session = actions.create_session(
                by=None,
                election=election,
                topic=by_code[code],
                title=f"Bimtek KPPS {by_code[code].name} — {kec.name}",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=6),
                place=f"Aula Kecamatan {kec.name}",
                trainer="Narasumber KPU Kota Bogor (demo)",
                target_roles=[Role.KPPS],
                region=kec,
            )
            actions.invite(session, by=None)
            present, absent = [], set()
            for p in Participant.objects.filter(session=session).select_related("officer").order_by("pk"):
                skip = p.area_code in gaps and p.area_code not in absent and not p.officer.is_chair
                skip = skip and rng.random() < 0.6
                if skip:
                    absent.add(p.area_code)  # one member missing per crew and session at most
                if p.officer.is_chair and (
                    p.area_code in untrained_chairs or (code == "penghitungan" and rng.random() < 0.03)
                ):
                    untrained_chairs.add(p.area_code)
                    skip = True
                if not skip:
                    present.append(p.pk)
            with _at(start + dt.timedelta(hours=5)):
                actions.mark_attended(session, by=None, participant_ids=present)
            scores = {pk: rng.randint(60, 100) for pk in present}
            for score in set(scores.values()):
                Participant.objects.filter(pk__in=[pk for pk, s in scores.items() if s == score]).update(score=score)
    refresher = now.replace(hour=19, minute=0, second=0, microsecond=0)
    if refresher > now:
        session = actions.create_session(
            by=None,
            election=election,
            topic=by_code["penghitungan"],
            title="Bimtek ulang ketua KPPS: penghitungan dan C.Hasil",
            starts_at=refresher,
            ends_at=refresher + dt.timedelta(hours=2),
            place="Aula KPU Kota Bogor",
            trainer="Divisi Teknis KPU Kota Bogor (demo)",
            target_roles=[Role.KPPS],
            region=Region.objects.get(code="32.71"),
        )


def _at(moment: dt.datetime):
    from deskpilkada import clock

    return clock.at(moment)


def _screenings(election: Election, rng: random.Random, now: dt.datetime) -> None:
    officers = list(Officer.objects.filter(election=election, role__in=[Role.KPPS, Role.LINMAS]).order_by("pk"))
    rows = []
    day = dt.date(2024, 11, 12)
    late = {o.area_code for o in officers if rng.random() < 0.006}  # about one TPS in twenty-five
    for o in officers:
        if o.area_code in late and rng.random() < 0.3:  # not screened yet
            continue
        systolic = rng.randint(105, 150)
        unfit = rng.random() < 0.012
        if unfit:
            systolic = rng.randint(170, 200)
        outcome = "unfit" if unfit else ("fit_notes" if systolic >= 140 else "fit")
        rows.append(
            (
                o,
                {
                    "screened_on": day + dt.timedelta(days=int(o.area_code[4:6]) % 5),
                    "systolic": systolic,
                    "diastolic": rng.randint(65, 95),
                    "blood_sugar": rng.randint(80, 180),
                    "cholesterol": rng.randint(150, 260),
                    "outcome": outcome,
                    "notes": "kontrol tekanan darah" if outcome != "fit" else "",
                    "place": "Puskesmas (demo)",
                },
            )
        )
    actions.record_screenings(rows, by=None)
    unfit_officers = [o for o, v in rows if v["outcome"] == "unfit"]
    for i, o in enumerate(unfit_officers[: len(unfit_officers) // 2]):
        o.refresh_from_db()
        actions.replace_officer(
            o,
            by=None,
            on=dt.date(2024, 11, 18),
            reason="tidak lolos skrining kesehatan",
            nik=f"99{900000000 + i:014d}",
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)} (demo)",
            birth_date=dt.date(1990, 1, 1 + i % 28),
            sex=rng.choice("LP"),
            phone=f"0813{i:08d}",
            address="Jl. Contoh Pengganti (demo)",
        )
