"""The demo's point 9, seeded once the TPS, the users and the cases exist (desk/demo.py):

- in-patients who moved their vote to eight hospitals before H-7 (generated: PASIEN DEMO <n>, NIK 98…,
  which no province has), most from Kota Bogor, some from elsewhere in West Java (governor only);
- the TPS serving each hospital and the visit schedule on voting day — RS Umum Hermina has patients and a
  serving TPS but no schedule, RS Umum Vania patients and neither, so that both warnings show; visits
  whose time has passed by the demo's clock are done, with the voters served;
- a health post, an on-call puskesmas and an ambulance per kecamatan;
- officers' health incidents on H-2 and H-1 as cases of the "health" category, some closed;
- the crews' duty notes, once the counting night has passed by the clock.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from zoneinfo import ZoneInfo

from deskpilkada import clock
from deskpilkada.accounts.models import User
from deskpilkada.cases import actions as cases
from deskpilkada.cases.models import Case
from deskpilkada.elections.models import Election
from deskpilkada.health import actions
from deskpilkada.health.demo import link_organisations
from deskpilkada.health.models import HealthPost, Hospital, InpatientVoter, Visit
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps.models import Tps

ZONE = ZoneInfo("Asia/Jakarta")
SEED = 20241127 + 13
NIK_PREFIX = "98"  # no province has code 98: a demo NIK can never be a real one
# hospital code: (patients, wards visited, serving TPS or not)
PATIENTS = {
    "3271104": (38, ("Melati", "Anggrek", "ICU"), True),  # RSUD Kota Bogor
    "3271013": (26, ("Dahlia", "Kenanga"), True),  # PMI
    "3271046": (22, ("Bangsal Arimbi",), True),  # Marzoeki Mahdi
    "3271024": (14, ("Seroja",), True),  # Salak
    "3271072": (9, ("Lantai 3",), True),  # Azra
    "3271164": (7, ("Lantai 2",), True),  # Mulia Pajajaran
    "3271115": (12, (), True),  # Hermina: a serving TPS but no schedule
    "3271163": (5, (), False),  # Vania: neither
}
ELSEWHERE = ("32.01", "32.76", "32.04", "32.16")  # Kab. Bogor, Kota Depok, Kab. Bandung, Kab. Bekasi
OFFICER_INCIDENTS: list[tuple[dt.datetime, int, str, str, str, dict, list[tuple[float, str]]]] = [
    # known at, TPS index, title, text, severity, details, steps (hours after, status)
    (
        dt.datetime(2024, 11, 25, 10, 30, tzinfo=ZONE),
        3,
        "Anggota KPPS pingsan saat bimtek (demo)",
        "Anggota KPPS pingsan di akhir bimtek, diduga kelelahan dan belum makan.",
        "medium",
        {"person": "PETUGAS DEMO 101", "person_role": "anggota KPPS", "kind": "fainting", "taken_to": "Puskesmas"},
        [(1, "verified"), (2, "in_progress"), (5, "action_taken"), (20, "closed")],
    ),
    (
        dt.datetime(2024, 11, 25, 16, 0, tzinfo=ZONE),
        41,
        "Ketua KPPS tekanan darah tinggi (demo)",
        "Ketua KPPS mengeluh pusing; tensi 180/110 saat diperiksa petugas puskesmas.",
        "high",
        {
            "person": "PETUGAS DEMO 102",
            "person_role": "ketua KPPS",
            "kind": "hypertension",
            "symptoms": "pusing, tensi 180/110",
            "taken_to": "RSUD Kota Bogor",
            "condition": "referred",
        },
        [(1, "verified"), (1.5, "in_progress"), (6, "action_taken"), (17, "closed")],
    ),
    (
        dt.datetime(2024, 11, 26, 9, 15, tzinfo=ZONE),
        77,
        "Linmas terjatuh saat memasang tenda (demo)",
        "Anggota Linmas terjatuh dari tangga saat memasang tenda TPS; pergelangan tangan bengkak.",
        "medium",
        {"person": "PETUGAS DEMO 103", "person_role": "Linmas", "kind": "injury", "taken_to": "Puskesmas"},
        [(0.5, "verified"), (1, "in_progress")],
    ),
    (
        dt.datetime(2024, 11, 26, 13, 40, tzinfo=ZONE),
        120,
        "Anggota KPPS sesak napas (demo)",
        "Anggota KPPS sesak napas saat mengangkut logistik ke lokasi TPS di tengah hujan.",
        "high",
        {"person": "PETUGAS DEMO 104", "person_role": "anggota KPPS", "kind": "other", "condition": "treated"},
        [],
    ),
    (
        dt.datetime(2024, 11, 27, 23, 30, tzinfo=ZONE),
        9,
        "Ketua KPPS kelelahan saat penghitungan (demo)",
        "Ketua KPPS lemas dan nyeri dada menjelang tengah malam; penghitungan dilanjutkan anggota lain.",
        "critical",
        {"person": "PETUGAS DEMO 105", "person_role": "ketua KPPS", "kind": "chest_pain", "taken_to": "RS PMI"},
        [(0.3, "verified"), (0.5, "in_progress"), (3, "action_taken")],
    ),
]


def _patients(election: Election, dinkes: User | None, now: dt.datetime) -> int:
    rng = random.Random(SEED)
    villages = list(
        Region.objects.filter(level=Level.VILLAGE, code__startswith="32.71.").values_list("code", flat=True)
    )
    deadline = election.h_minus(election.pindah_memilih_days)
    n = 0
    for code, (count, _wards, _serving) in PATIENTS.items():
        hospital = Hospital.objects.get(code=code)
        for _i in range(count):
            n += 1
            origin = rng.choice(ELSEWHERE) if rng.random() < 0.2 else rng.choice(villages)
            on = deadline - dt.timedelta(days=rng.randint(0, 10))
            if on > now.date():
                continue
            with clock.at(dt.datetime.combine(on, dt.time(10, 0), tzinfo=ZONE)):
                actions.register_inpatient(
                    by=dinkes,
                    hospital=hospital,
                    nik=f"{NIK_PREFIX}{n:014d}",
                    name=f"PASIEN DEMO {n:04d}",
                    origin_code=origin,
                    registered_on=on,
                    ward=rng.choice(("Melati", "Anggrek", "Dahlia", "Kenanga", "Seroja")),
                    election=election,
                )
    return n


def _schedule(election: Election, kpu: User | None, now: dt.datetime) -> None:
    rng = random.Random(SEED + 1)
    for code, (count, wards, serving) in PATIENTS.items():
        hospital = Hospital.objects.select_related("region").get(code=code)
        if not serving:
            continue
        area = hospital.region if hospital.region.level == Level.DISTRICT else Region.objects.get(code="32.71.03")
        tps = Tps.objects.within(area).order_by("code").first()
        if tps is None:
            continue
        actions.add_serving_tps(by=kpu, hospital=hospital, tps_code=tps.code)
        for i, ward in enumerate(wards):
            starts = dt.datetime.combine(election.voting_date, dt.time(10 + i, 0), tzinfo=ZONE)
            visit = actions.schedule_visit(
                by=kpu,
                hospital=hospital,
                tps_code=tps.code,
                ward=ward,
                starts_at=starts,
                ballots=count // max(len(wards), 1) + 5,
                election=election,
            )
            if starts + dt.timedelta(hours=1) <= now and visit.status == Visit.Status.PLANNED:
                with clock.at(starts + dt.timedelta(hours=1)):
                    actions.mark_visit_done(
                        by=kpu, visit=visit, voters_served=max(visit.ballots - rng.randint(5, 8), 0), version=None
                    )


def _posts(election: Election, dinkes: User | None) -> None:
    day = election.voting_date
    opens = dt.datetime.combine(day, dt.time(6, 0), tzinfo=ZONE)
    closes = opens + dt.timedelta(hours=24)
    for kecamatan in Region.objects.filter(level=Level.DISTRICT, code__startswith="32.71.").order_by("code"):
        name = kecamatan.name.title()
        for kind, label, staff in (
            (HealthPost.Kind.PUSKESMAS, f"Puskesmas {name} (demo)", 6),
            (HealthPost.Kind.POST, f"Pos Kesehatan Kantor Kecamatan {name} (demo)", 3),
            (HealthPost.Kind.AMBULANCE, f"Ambulans siaga {name} (demo)", 2),
        ):
            actions.save_health_post(
                by=dinkes,
                kecamatan=kecamatan,
                kind=kind,
                name=label,
                opens_at=opens,
                closes_at=closes,
                address=f"Kecamatan {name}",
                phone="0251-000-000 (demo)",
                staff=staff,
            )


def _incidents(election: Election, dinkes: User, now: dt.datetime) -> None:
    if Case.objects.filter(category="health", title__in=[i[2] for i in OFFICER_INCIDENTS]).exists():
        return
    tps = list(Tps.objects.order_by("code"))
    for at, index, title, text, severity, details, steps in OFFICER_INCIDENTS:
        if at > now or not tps:
            continue
        place = tps[index % len(tps)]
        with clock.at(at):
            case = cases.report_case(
                by=dinkes,
                category="health",
                title=title,
                description=text,
                place_code=place.code,
                occurred_at=at - dt.timedelta(minutes=20),
                known_at=at,
                severity=severity,
                details=details,
                election=election,
            )
        for hours, to in steps:
            when = at + dt.timedelta(hours=hours)
            if when > now:
                break
            with clock.at(when):
                case = cases.move(case, to, by=dinkes, note="(demo)")
                if to == "action_taken":
                    cases.add_comment(
                        case, by=dinkes, text="Petugas sudah ditangani dan dipantau (demo).", is_outcome=True
                    )


def _duty_notes(election: Election, now: dt.datetime) -> None:
    night_over = dt.datetime.combine(election.voting_date + dt.timedelta(days=1), dt.time(8, 0), tzinfo=ZONE)
    if now < night_over:
        return
    rng = random.Random(SEED + 2)
    for tps in Tps.objects.order_by("code")[::25]:
        start = dt.datetime.combine(election.voting_date, dt.time(5, 30), tzinfo=ZONE)
        end = start + dt.timedelta(hours=rng.uniform(14, 24))
        actions.save_duty_note(
            by=None, tps=tps, started_at=start, ended_at=end, crew_present=rng.randint(6, 9), election=election
        )


def seed(*, now: dt.datetime, say: Callable[[str], None]) -> None:
    election = Election.objects.current()
    if election is None:
        return
    link_organisations()
    people = {u.username: u for u in User.objects.filter(username__in=["dinkes", "operator.kpu"])}
    dinkes, kpu = people.get("dinkes"), people.get("operator.kpu")
    if not InpatientVoter.objects.filter(election=election).exists():
        _patients(election, dinkes, now)
    _schedule(election, kpu, now)
    _posts(election, dinkes)
    if dinkes is not None:
        _incidents(election, dinkes, now)
    _duty_notes(election, now)
    say(
        f"Kesehatan: {InpatientVoter.objects.filter(election=election).count()} pasien rawat inap pindah memilih, "
        f"{Visit.objects.count()} jadwal kunjungan, {HealthPost.objects.count()} pos kesehatan"
    )
