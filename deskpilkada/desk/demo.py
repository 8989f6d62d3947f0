"""The demo data set: real Kota Bogor regions and candidates, generated TPS and demo users.

Deterministic (a fixed random seed) and idempotent: every write is an upsert through the
audited actions, so a second run changes nothing and duplicates nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from pathlib import Path

from django.db import transaction

from deskpilkada.accounts import actions as accounts
from deskpilkada.accounts.models import Organisation, Role, User
from deskpilkada.elections import actions as elections
from deskpilkada.health.actions import save_hospital
from deskpilkada.regions.actions import import_regions, set_region_location
from deskpilkada.regions.codes import dotted
from deskpilkada.regions.models import Level, Region, RegionHazard
from deskpilkada.tally import rules
from deskpilkada.tps.actions import _write_import
from deskpilkada.tps.codes import make_tps_code
from deskpilkada.tps.models import MAX_VOTERS_PER_TPS, Tps

DATA = Path(__file__).parent / "demo_data"
REGIONS = Path(__file__).parent.parent / "regions" / "data" / "idn-area-data-kota-bogor"
SEED = 20241127
TOTAL_DPT = 815_249
DEMO_PASSWORD = "demo-pilkada-2024"

# Approximate centres of the six kecamatan (degrees); kelurahan and TPS are placed around them.
KECAMATAN_CENTRES = {
    "32.71.01": (-6.6330, 106.8120),  # Bogor Selatan
    "32.71.02": (-6.6080, 106.8230),  # Bogor Timur
    "32.71.03": (-6.5960, 106.7960),  # Bogor Tengah
    "32.71.04": (-6.5850, 106.7640),  # Bogor Barat
    "32.71.05": (-6.5600, 106.8150),  # Bogor Utara
    "32.71.06": (-6.5480, 106.7820),  # Tanah Sareal
}
LAPAS_PALEDANG = ("32.71.03.1002", -6.59830, 106.79280, "Lapas Kelas IIA Paledang, Jl. Paledang No. 2")

STREETS = ["Melati", "Kenanga", "Mawar", "Cempaka", "Flamboyan", "Anggrek"]

HAZARD_KINDS = {
    "banjir": "banjir",
    "longsor": "longsor",
    "angin puting beliung": "angin",
    "pohon tumbang": "pohon_tumbang",
    "kekeringan": "kekeringan",
    "bahaya": "lain",
}

PAIRS = {
    "pilwalkot-bogor-2024": [
        ("Sendi Fardiansyah", "Melli Darsa"),
        ("Atang Trisnanto", "Annida Allivia"),
        ("Dedie A. Rachim", "Jenal Mutaqin"),
        ("Rena Da Frina", "Teddy Risandi"),
        ("Raendi Rayendra", "Eka Maulana"),
    ],
    "pilgub-jabar-2024": [
        ("Acep Adang Ruhiat", "Gitalis Dwi Natarina"),
        ("Jeje Wiradinata", "Ronal Surapradja"),
        ("Ahmad Syaikhu", "Ilham Akbar Habibie"),
        ("Dedi Mulyadi", "Erwan Setiawan"),
    ],
}

ORGANISATIONS = [
    ("kesbangpol-bogor", "Kesbangpol Kota Bogor", "pemda"),
    ("setda-bogor", "Sekretariat Daerah Kota Bogor", "pemda"),
    ("kpu-bogor", "KPU Kota Bogor", "kpu"),
    ("ppk-bogor-barat", "PPK Bogor Barat", "kpu"),
    ("pps-kebon-pedes", "PPS Kebon Pedes", "kpu"),
    ("kpps-kebon-pedes-028", "KPPS TPS 028 Kebon Pedes", "kpu"),
    ("bawaslu-bogor", "Bawaslu Kota Bogor", "bawaslu"),
    ("polresta-bogor", "Polresta Bogor Kota", "keamanan"),
    ("dinkes-bogor", "Dinas Kesehatan Kota Bogor", "kesehatan"),
    ("diskominfo-bogor", "Diskominfo Kota Bogor", "pemda"),
    ("bkpsdm-bogor", "BKPSDM Kota Bogor", "pemda"),
    ("kec-bogor-barat", "Kecamatan Bogor Barat", "pemda"),
    ("kel-kebon-pedes", "Kelurahan Kebon Pedes", "pemda"),
]

# username, full name, organisation, role, area (region code or 13-digit TPS code)
USERS = [
    ("admin.kesbangpol", "Admin Desk (demo)", "kesbangpol-bogor", "desk_admin", "32.71"),
    ("sekda", "Sekda Kota Bogor (demo)", "setda-bogor", "desk_viewer", "32.71"),
    ("operator.kpu", "Operator KPU Kota (demo)", "kpu-bogor", "kpu_operator", "32.71"),
    ("ppk.bogorbarat", "Ketua PPK Bogor Barat (demo)", "ppk-bogor-barat", "ppk", "32.71.04"),
    ("pps.kebonpedes", "Ketua PPS Kebon Pedes (demo)", "pps-kebon-pedes", "pps", "32.71.06.1002"),
    ("kpps.kebonpedes028", "Ketua KPPS TPS 028 Kebon Pedes (demo)", "kpps-kebon-pedes-028", "kpps", "3271061002028"),
    ("bawaslu", "Staf Bawaslu Kota (demo)", "bawaslu-bogor", "bawaslu", "32.71"),
    ("polresta", "Perwira Polresta (demo)", "polresta-bogor", "security", "32.71"),
    ("dinkes", "Petugas Dinkes (demo)", "dinkes-bogor", "health", "32.71"),
    ("diskominfo", "Analis Diskominfo (demo)", "diskominfo-bogor", "communications", "32.71"),
    ("bkpsdm", "Analis BKPSDM (demo)", "bkpsdm-bogor", "civil_service", "32.71"),
    ("camat.bogorbarat", "Camat Bogor Barat (demo)", "kec-bogor-barat", "area_head", "32.71.04"),
    ("lurah.kebonpedes", "Lurah Kebon Pedes (demo)", "kel-kebon-pedes", "area_head", "32.71.06.1002"),
]


def _read(name: str) -> list[dict]:
    with (DATA / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def allocate(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split `total` over keys in proportion to `weights` (largest remainder, at least 1 each)."""
    wsum = sum(weights.values())
    raw = {k: total * w / wsum for k, w in weights.items()}
    out = {k: max(1, math.floor(v)) for k, v in raw.items()}
    order = sorted(weights, key=lambda k: (raw[k] - math.floor(raw[k]), weights[k], k), reverse=True)
    i = 0
    while sum(out.values()) < total:
        out[order[i % len(order)]] += 1
        i += 1
    while sum(out.values()) > total:
        k = max((k for k in out if out[k] > 1), key=lambda k: out[k] - raw[k])
        out[k] -= 1
    return out


def tps_plan() -> list[dict]:
    """1,530 TPS: per kecamatan as the Pilkada figures, per kelurahan by the Pemilu 2024 spread."""
    rng = random.Random(SEED)
    per_kecamatan = {
        r["kecamatan_kode"]: int(r["jumlah_tps_pilkada_2024"])
        for r in _read("kota_bogor_tps_per_kecamatan_pilkada2024.csv")
    }
    weights: dict[str, dict[str, int]] = {}
    for r in _read("kota_bogor_tps_count_per_kelurahan_pemilu2024.csv"):
        k = r["kelurahan_kode"]
        village = dotted(k)
        weights.setdefault(village[:8], {})[village] = int(r["jumlah_tps_sirekap"])
    special_village = LAPAS_PALEDANG[0]
    plan = []
    for kec, count in sorted(per_kecamatan.items()):
        regular = count - (2 if kec == special_village[:8] else 0)
        counts = allocate(regular, weights[kec])
        villages = sorted(counts)
        clat, clon = KECAMATAN_CENTRES[kec]
        for idx, village in enumerate(villages):
            angle = 2 * math.pi * idx / len(villages)
            vlat = clat + 0.012 * math.sin(angle) * (0.5 + (idx % 3) / 3)
            vlon = clon + 0.012 * math.cos(angle) * (0.5 + (idx % 3) / 3)
            for n in range(1, counts[village] + 1):
                plan.append(
                    {
                        "village": village,
                        "number": n,
                        "lat": round(vlat + rng.uniform(-0.004, 0.004), 6),
                        "lon": round(vlon + rng.uniform(-0.004, 0.004), 6),
                        "address": f"Jl. Contoh {rng.choice(STREETS)} No. {rng.randint(1, 120)} (alamat demo)",
                        "rt": f"{rng.randint(1, 12):03d}",
                        "rw": f"{rng.randint(1, 15):03d}",
                        "special_kind": "",
                        "special_place": "",
                        "wheelchair_accessible": rng.random() < 0.55,
                    }
                )
    village, lat, lon, place = LAPAS_PALEDANG
    for n in (901, 902):
        plan.append(
            {
                "village": village,
                "number": n,
                "lat": lat,
                "lon": lon + (n - 901) * 0.0003,
                "address": place,
                "rt": "",
                "rw": "",
                "special_kind": Tps.SpecialKind.PRISON,
                "special_place": "Lapas Paledang",
                "wheelchair_accessible": True,
            }
        )
    _assign_dpt(plan, rng)
    return plan


def _assign_dpt(plan: list[dict], rng: random.Random) -> None:
    """DPT per TPS summing exactly to 815,249, none above 600, split by sex."""
    totals = [rng.randint(330, 420) if p["special_kind"] else rng.randint(470, 596) for p in plan]
    diff = TOTAL_DPT - sum(totals)
    step = 1 if diff > 0 else -1
    i = 0
    while diff:
        j = i % len(totals)
        if not plan[j]["special_kind"] and 300 < totals[j] + step <= MAX_VOTERS_PER_TPS:
            totals[j] += step
            diff -= step
        i += 1
    for p, total in zip(plan, totals, strict=False):
        male = round(total * rng.uniform(0.485, 0.515)) if not p["special_kind"] else round(total * 0.93)
        p["dpt_male"], p["dpt_female"] = male, total - male


@transaction.atomic
def seed(*, stdout=None) -> dict:
    def say(msg: str) -> None:
        if stdout:
            stdout.write(msg)

    accounts.sync_roles(by=None)
    result = import_regions(REGIONS, by=None, progress=False)
    say(f"Wilayah: {result.summary()}")
    villages = {r.code: r for r in Region.objects.filter(level=Level.VILLAGE, code__startswith="32.71.")}
    for code, (lat, lon) in KECAMATAN_CENTRES.items():
        set_region_location(by=None, region=Region.objects.get(code=code), lat=lat, lon=lon)
    _seed_hazards(villages)
    _seed_elections()
    _seed_hospitals()
    plan = tps_plan()
    rows = [
        {
            "code": make_tps_code(p["village"], p["number"]),
            "kelurahan": villages[p["village"]],
            **{k: v for k, v in p.items() if k != "village"},
        }
        for p in plan
    ]
    tps = _write_import(rows, by=None)
    say(f"TPS: {tps.summary()}")
    _seed_users()
    _seed_tally()
    _seed_dpt()
    _seed_invitations()
    _seed_outreach()
    from deskpilkada.tally.chain import publish_all_checkpoints

    publish_all_checkpoints(by=None)
    return {"tps": Tps.objects.count()}


def _seed_hazards(villages: dict[str, Region]) -> None:
    from deskpilkada.audit.log import record

    for r in _read("kota_bogor_kelurahan_rawan_bencana_bpbd.csv"):
        region = villages[r["kelurahan_kode"]]
        hazard, created = RegionHazard.objects.get_or_create(
            region=region, kind=HAZARD_KINDS[r["bahaya"]], defaults={"source": r["source"][:300]}
        )
        if created:
            record("regions.hazard_added", by=None, target=hazard, after={"region": region.code, "kind": hazard.kind})


def _seed_elections() -> None:
    election = elections.save_election(
        by=None,
        code="pilkada-2024",
        name="Pemilihan Serentak 2024 — Kota Bogor",
        voting_date=dt.date(2024, 11, 27),
        is_current=True,
    )
    for name, start, end in [
        ("Kampanye", dt.date(2024, 9, 25), dt.date(2024, 11, 23)),
        ("Batas pindah memilih (H-7)", dt.date(2024, 11, 20), dt.date(2024, 11, 20)),
        ("Distribusi undangan C.Pemberitahuan", dt.date(2024, 11, 22), dt.date(2024, 11, 26)),
        ("Masa tenang", dt.date(2024, 11, 24), dt.date(2024, 11, 26)),
        ("Pemungutan dan penghitungan suara", dt.date(2024, 11, 27), dt.date(2024, 11, 27)),
        ("Rekapitulasi kecamatan (D.Hasil)", dt.date(2024, 11, 28), dt.date(2024, 12, 3)),
        ("Rekapitulasi KPU Kota", dt.date(2024, 11, 29), dt.date(2024, 12, 6)),
    ]:
        elections.save_phase(by=None, election=election, name=name, starts_on=start, ends_on=end)
    contests = {
        "pilwalkot-bogor-2024": ("Pemilihan Wali Kota dan Wakil Wali Kota Bogor 2024", "pilwalkot", "32.71"),
        "pilgub-jabar-2024": ("Pemilihan Gubernur dan Wakil Gubernur Jawa Barat 2024", "pilgub", "32"),
    }
    for code, (name, kind, region) in contests.items():
        contest = elections.save_contest(
            by=None, code=code, election=election, name=name, kind=kind, region=Region.objects.get(code=region)
        )
        for number, (head, deputy) in enumerate(PAIRS[code], start=1):
            elections.save_candidate(by=None, contest=contest, number=number, head_name=head, deputy_name=deputy)


def _seed_hospitals() -> None:
    city = Region.objects.get(code="32.71")
    for r in _read("kota_bogor_rumah_sakit_kemenkes_copy_2021.csv"):
        note = "Mungkin terletak di Kabupaten Bogor." if "Hassan Toto" in r["nama_rs"] else ""
        save_hospital(
            by=None,
            code=r["kode_rs"],
            name=r["nama_rs"],
            kind=r["jenis_rs"],
            hospital_class=r["kelas"],
            owner=r["pemilik"],
            beds=int(r["total_tt"] or 0),
            region=city,
            note=note,
        )


def _seed_users() -> None:
    orgs = {}
    for code, name, kind in ORGANISATIONS:
        orgs[code] = Organisation.objects.filter(code=code).first() or accounts.create_organisation(
            by=None, code=code, name=name, kind=kind
        )
    roles = {r.code: r for r in Role.objects.all()}
    for username, full_name, org, role, area in USERS:
        user = User.objects.filter(username=username).first() or accounts.create_user(
            by=None, username=username, password=DEMO_PASSWORD, organisation=orgs[org], full_name=full_name
        )
        if len(area.replace(".", "")) == 13:
            accounts.assign_role(by=None, user=user, role=roles[role], tps=Tps.objects.get(code=area))
        else:
            accounts.assign_role(by=None, user=user, role=roles[role], region=Region.objects.get(code=area))


def logins_text() -> str:
    lines = [f"Login demo (kata sandi semua akun: {DEMO_PASSWORD}):"]
    for username, full_name, _org, role, area in USERS:
        lines.append(f"  {username:<20} {role:<15} {area:<15} {full_name}")
    nik, born = demo_voter_example()
    lines.append(
        f"Cek TPS publik (/cek-tps/): NIK demo {nik}, tanggal lahir {born} (pemilih Kebon Pedes dibangkitkan)."
    )
    return "\n".join(lines)


# --- the count: an election night in progress (generated figures, clearly not real results) ---

SIREKAP_IDS = {
    "pilwalkot-bogor-2024": {str(100100 + n): n for n in range(1, 6)},
    "pilgub-jabar-2024": {str(100200 + n): n for n in range(1, 5)},
}
SHARE_WEIGHTS = {"pilwalkot-bogor-2024": [14, 27, 36, 15, 8], "pilgub-jabar-2024": [8, 6, 22, 64]}
COUNTED_SHARE = {"pilwalkot-bogor-2024": 0.55, "pilgub-jabar-2024": 0.35}


def demo_sheet(rng: random.Random, dpt: int, weights: list[int]) -> rules.Sheet:
    voters = round(dpt * rng.uniform(0.52, 0.76))
    invalid = round(voters * rng.uniform(0.01, 0.04))
    valid = voters - invalid
    raw = [w * rng.uniform(0.6, 1.4) for w in weights]
    votes = [int(valid * r / sum(raw)) for r in raw]
    votes[0] += valid - sum(votes)
    received = math.ceil(dpt * 1.025)
    damaged = rng.randint(0, 3)
    return rules.Sheet(
        numbers={
            "dpt": dpt,
            "dptb": 0,
            "dpk": 0,
            "pengguna_dpt": voters,
            "pengguna_dptb": 0,
            "pengguna_dpk": 0,
            "surat_suara_diterima": received,
            "surat_suara_digunakan": voters,
            "surat_suara_rusak": damaged,
            "surat_suara_sisa": received - voters - damaged,
            "suara_sah": valid,
            "suara_tidak_sah": invalid,
        },
        votes=dict(enumerate(votes, start=1)),
    )


def _seed_tally() -> None:
    from deskpilkada.elections.models import Contest
    from deskpilkada.tally import actions as tally
    from deskpilkada.tally.models import TallySheet
    from deskpilkada.tally.rollup import ensure_totals

    operator = User.objects.get(username="operator.kpu")
    ppk = User.objects.get(username="ppk.bogorbarat")
    for code, ids in SIREKAP_IDS.items():
        contest = Contest.objects.get(code=code)
        if contest.sirekap_ids != ids:
            elections.save_contest(by=None, code=code, sirekap_ids=ids)
        ensure_totals(contest)
    if TallySheet.objects.exists():
        return
    rng = random.Random(SEED + 5)
    all_tps = list(Tps.objects.order_by("code"))
    for code, weights in SHARE_WEIGHTS.items():
        contest = Contest.objects.select_related("election", "region").get(code=code)
        chosen = [t for t in all_tps if rng.random() < COUNTED_SHARE[code] and t.code != "3271061002028"]
        external = []
        for i, tps in enumerate(chosen):
            sheet = demo_sheet(rng, tps.dpt, weights)
            if i % 97 == 5:  # a sheet whose valid votes do not add up: held
                sheet.numbers["suara_sah"] += 10
            tally.submit_sheet(by=operator, tps=tps, contest=contest, sheet=sheet, source="csv")
            if i % 11 == 0:
                external.append((tps.code, sheet))
        _seed_verifications(contest, ppk, operator)
        _seed_sirekap(contest, external, rng)


def _seed_verifications(contest, ppk, operator) -> None:
    from deskpilkada.tally import actions as tally
    from deskpilkada.tally.models import TallySheet

    in_bogor_barat = TallySheet.objects.counted().filter(contest=contest, tps__code__startswith="327104").order_by("pk")
    for i, sheet in enumerate(in_bogor_barat[:60]):
        figures = sheet.latest.as_sheet()
        if i % 25 == 7:  # a second entry that differs: a dispute
            figures.votes[1] += 9
        tally.submit_second_entry(by=ppk, sheet=sheet, figures=figures)


def _seed_sirekap(contest, external, rng) -> None:
    """Sirekap's figures for some TPS, with the kind of machine misreads seen in 2024."""
    from deskpilkada.tally.loading import import_sirekap

    misreads = [(99, 44), (58, 948), (105, 905)]
    ids = {n: sid for sid, n in contest.sirekap_ids.items()}
    items = []
    for i, (code, sheet) in enumerate(external):
        chart = {ids[n]: v for n, v in sheet.votes.items()}
        if i % 9 == 3:
            wrong_from, wrong_to = misreads[i % len(misreads)]
            n = rng.choice(list(sheet.votes))
            chart[ids[n]] = int(str(sheet.votes[n]).replace(str(wrong_from)[:1], str(wrong_to)[:1], 1)) + wrong_to % 7
        items.append(
            (
                code,
                {
                    "chart": chart,
                    "images": [f"https://sirekap.example/{code}-{k}.jpg" for k in (1, 2)],
                    "administrasi": {
                        "pengguna_dpt_j": sheet.get("pengguna_dpt"),
                        "pengguna_dptb_j": 0,
                        "pengguna_non_dpt_j": 0,
                        "pengguna_total_j": sheet.voters,
                        "suara_sah": sheet.get("suara_sah"),
                        "suara_tidak_sah": sheet.get("suara_tidak_sah"),
                        "pemilih_dpt_j": sheet.get("dpt"),
                    },
                    "ts": "2024-11-27 19:00:00",
                },
            )
        )
    import_sirekap(items, by=None, contest=contest)


# --- a generated DPT for one kelurahan, so that the public look-up can be tried -----------------

DEMO_DPT_KELURAHAN = "32.71.06.1002"  # Kebon Pedes
DEMO_NIK_PREFIX = "99"  # no province has code 99: demo NIKs can never be real ones


def demo_voter_rows(kelurahan_code: str = DEMO_DPT_KELURAHAN):
    """Generated voters that look generated: PEMILIH DEMO <n>, NIK 99…, matching each TPS's DPT."""
    rng = random.Random(SEED + 9)
    n = 0
    for tps in Tps.objects.filter(kelurahan__code=kelurahan_code).order_by("number"):
        for sex, count in (("L", tps.dpt_male), ("P", tps.dpt_female)):
            for _i in range(count):
                n += 1
                born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 56))
                yield [
                    f"{DEMO_NIK_PREFIX}{n:014d}",
                    f"{DEMO_NIK_PREFIX}{n // 4:014d}",
                    f"PEMILIH DEMO {n:06d}",
                    "BOGOR",
                    born.isoformat(),
                    sex,
                    "ALAMAT DEMO",
                    "001",
                    "002",
                    tps.code,
                ]


def _seed_dpt() -> None:
    import csv as csv_module
    import io

    from deskpilkada.elections.models import Election
    from deskpilkada.voters.actions import COLUMNS, import_dpt
    from deskpilkada.voters.models import Voter

    election = Election.objects.get(code="pilkada-2024")
    if Voter.objects.filter(election=election).exists():
        return
    buffer = io.StringIO()
    writer = csv_module.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(demo_voter_rows())
    import_dpt(io.BytesIO(buffer.getvalue().encode()), by=None, election=election)


def demo_voter_example() -> tuple[str, str]:
    """The first demo voter's NIK and birth date, for the README and the demo logins."""
    first = next(demo_voter_rows())
    return first[0], first[4]


def _seed_invitations() -> None:
    """Five days of invitation reports; kelurahan prone to floods fall behind (rain, as in 2024)."""
    from deskpilkada.elections.models import Election
    from deskpilkada.outreach.actions import load_invitation_days
    from deskpilkada.outreach.models import InvitationDay

    election = Election.objects.get(code="pilkada-2024")
    if InvitationDay.objects.filter(election=election).exists():
        return
    rng = random.Random(SEED + 11)
    flooded = set(RegionHazard.objects.filter(kind="banjir").values_list("region_id", flat=True))
    window = election.invitation_window()
    rows = []
    for tps in Tps.objects.order_by("code"):
        slow = tps.kelurahan_id in flooded and rng.random() < 0.55
        left = tps.dpt
        for i, day in enumerate(window):
            pace = rng.uniform(0.10, 0.16) if slow else rng.uniform(0.19, 0.24)
            share = 1.0 if (i == len(window) - 1 and not slow) else pace
            handled = min(left, round(tps.dpt * share) if i < len(window) - 1 else round(left * (0.7 if slow else 1)))
            undeliverable = round(handled * rng.uniform(0.01, 0.04))
            rows.append(
                InvitationDay(
                    election=election,
                    tps=tps,
                    day=day,
                    delivered=handled - undeliverable,
                    moved=undeliverable // 2,
                    unknown=undeliverable - undeliverable // 2,
                )
            )
            left -= handled
    load_invitation_days(rows, by=None)


def _seed_outreach() -> None:
    """Generated turnout history (labelled as demo figures) and some outreach activities."""
    from deskpilkada.elections.models import Election
    from deskpilkada.outreach.actions import add_activity
    from deskpilkada.outreach.models import OutreachActivity, TurnoutHistory

    election = Election.objects.get(code="pilkada-2024")
    if TurnoutHistory.objects.exists() or OutreachActivity.objects.exists():
        return
    rng = random.Random(SEED + 13)
    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith="32.71.").order_by("code"))
    TurnoutHistory.objects.bulk_create(
        [
            TurnoutHistory(
                region=v,
                label="Pemilu 2024 (angka demo)",
                year=2024,
                dpt=(d := rng.randint(6000, 20000)),
                voters=round(d * rng.uniform(0.70, 0.90)),
            )
            for v in villages
        ]
    )
    kinds, segments = OutreachActivity.Kind.values, OutreachActivity.Segment.values
    for i in range(45):
        add_activity(
            by=None,
            election=election,
            kind=kinds[i % len(kinds)],
            segment=segments[(i * 7) % len(segments)],
            date=election.h_minus(rng.randint(2, 40)),
            kelurahan=rng.choice(villages),
            organiser=rng.choice(["KPU Kota Bogor", "Diskominfo", "Kecamatan (demo)", "Karang Taruna (demo)"]),
            reach=rng.randint(20, 400),
            description="Kegiatan demo",
        )
