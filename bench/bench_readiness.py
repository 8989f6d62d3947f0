"""The readiness benchmarks (issue 12): a synthetic province of about 75,000 TPS — one kota of 1,530
TPS (6 kecamatan × 17 kelurahan × 15) beside 24 cities of 3,000 (20 × 10 × 15) — each with its
checklist (most complete, some flags and open warnings), BPBD hazards on a third of the kelurahan and
refinements at some TPS, mitigation plans for most risky TPS, a vulnerability class for every TPS and
the deployment of Polri, TNI and Linmas with some gaps. Measured, each beside a raw reference in the
same run:

- the map data of the kota (1,530 TPS, every layer), `/kesiapan/peta/data.json?wilayah=<kota>`
  (goal p95 ≤ 100 ms);
- the readiness summary of the province: the totals of every TPS and per city, the overview page
  `/kesiapan/` of a province desk (goal ≤ 500 ms).

Usage: python bench/bench_readiness.py sqlite|postgres [--tps N]  (N rounded to whole kelurahan)
"""

import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

from common import drop_postgres, p95, report, setup_django, timed

ROOT = Path(__file__).resolve().parent.parent
ENGINE = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
N_TPS = int(sys.argv[sys.argv.index("--tps") + 1]) if "--tps" in sys.argv else 75_000
PG_DB = "deskpilkada_bench_readiness"
NOW = "2024-11-26T15:00+07:00"  # H-1 afternoon
KOTA = (6, 17)  # the measured kota: kecamatan, kelurahan per kecamatan (× 15 TPS = 1,530)
CITY = (20, 10)  # every other city
PER_KELURAHAN = 15

TMP = setup_django(ENGINE, PG_DB, now=NOW)
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from deskpilkada import clock  # noqa: E402

line = report(ENGINE)


def raw_p95(sql: str, runs: int = 30) -> float:
    samples = []
    with connection.cursor() as cur:
        for _ in range(runs):
            start = time.perf_counter()
            cur.execute(sql)
            cur.fetchall()
            samples.append(time.perf_counter() - start)
    return p95(samples)


def setup():
    """The province, its TPS and the readiness registers, written in bulk (a data generator, not the
    thing measured), then every TPS's TpsState computed by the app's own `summary.refresh`."""
    from deskpilkada.accounts.actions import assign_role, create_organisation, create_user, sync_roles
    from deskpilkada.accounts.models import Role
    from deskpilkada.elections.models import Election
    from deskpilkada.readiness import rules as ruledata
    from deskpilkada.readiness import summary
    from deskpilkada.readiness.models import (
        ChecklistAnswer,
        Deployment,
        MitigationPlan,
        ReadinessWarning,
        TpsHazard,
        TpsVulnerability,
    )
    from deskpilkada.regions.models import Region, RegionHazard
    from deskpilkada.tps.models import Tps

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    rng = random.Random(12)
    cities_n = max(1, round((N_TPS - 1530) / (CITY[0] * CITY[1] * PER_KELURAHAN))) + 1
    now = clock.now()
    with transaction.atomic():
        province = Region.objects.create(code="32", name="Jawa Barat (sintetis)", level=1, lat=-6.9, lon=107.6)
        cities = Region.objects.bulk_create(
            [
                Region(code=f"32.{c:02d}", name=f"Kota Sintetis {c}", level=2, parent=province)
                for c in range(1, cities_n + 1)
            ]
        )
        kecamatan = Region.objects.bulk_create(
            [
                Region(
                    code=f"{city.code}.{k:02d}",
                    name=f"Kecamatan {city.code}.{k:02d}",
                    level=3,
                    parent=city,
                    lat=-6.9 + i * 0.01,
                    lon=107.0 + k * 0.01,
                )
                for i, city in enumerate(cities)
                for k in range(1, (KOTA if i == 0 else CITY)[0] + 1)
            ]
        )
        kelurahan = Region.objects.bulk_create(
            [
                Region(code=f"{kec.code}.{1000 + n}", name=f"Kelurahan {kec.code}.{n}", level=4, parent=kec)
                for kec in kecamatan
                for n in range(1, (KOTA if kec.code.startswith("32.01.") else CITY)[1] + 1)
            ]
        )
        RegionHazard.objects.bulk_create(
            [
                RegionHazard(region=k, kind=rng.choice(["banjir", "longsor"]), source="sintetis")
                for k in kelurahan
                if rng.random() < 0.33
            ]
        )
        tps = []
        for kel in kelurahan:
            for n in range(1, PER_KELURAHAN + 1):
                m = rng.randint(100, 290)
                tps.append(
                    Tps(
                        code=kel.code.replace(".", "") + f"{n:03d}",
                        kelurahan=kel,
                        number=n,
                        dpt_male=m,
                        dpt_female=m + rng.randint(-20, 20),
                        address=f"Jl. Sintetis {n}",
                        lat=round((kel.parent.lat or -6.9) + rng.uniform(-0.01, 0.01), 6),
                        lon=round((kel.parent.lon or 107.0) + rng.uniform(-0.01, 0.01), 6),
                    )
                )
        Tps.objects.bulk_create(tps, batch_size=5000)
        election = Election.objects.create(
            code="bench", name="Pilkada sintetis", voting_date=dt.date(2024, 11, 27), is_current=True
        )
        items = ruledata.checklist(election)
        indicators = ruledata.indicators(election)
        rules = ruledata.rules(election)
        sync_roles(by=None)
        org = create_organisation(by=None, code="bench", name="Desk sintetis", kind="pemda")
        user = create_user(
            by=None, username="bench.desk", password="bench-pass-123", organisation=org, full_name="Desk"
        )
        assign_role(by=None, user=user, role=Role.objects.get(code="desk_viewer"), region=province)

    tps = list(Tps.objects.all().only("pk", "code", "kelurahan_id"))
    flood = set(RegionHazard.objects.filter(kind="banjir").values_list("region_id", flat=True))
    prone = set(RegionHazard.objects.values_list("region_id", flat=True))
    answers, hazards, plans, vulns, deployments = [], [], [], [], []
    for t in tps:
        roll = rng.random()
        if roll >= 0.10:
            wanted = [i for i in items if i.applies_to(t.kelurahan_id in flood)]
            if roll < 0.25:
                wanted = rng.sample(wanted, rng.randint(3, len(wanted) - 1))
            for item in wanted:
                bad = rng.random() < 0.02
                value = {"angka": "20" if bad else "500", "pilihan": "lemah" if bad else "baik"}.get(
                    item.kind, "tidak" if bad else "ya"
                )
                answers.append(
                    ChecklistAnswer(tps=t, item=item, value=value, flagged=item.flags(value), answered_at=now)
                )
        if t.kelurahan_id in prone and rng.random() < 0.05:
            hazards.append(TpsHazard(tps=t, kind="banjir", level=rng.choice([0, 3])))
        if t.kelurahan_id in prone and rng.random() < 0.7:
            plans.append(
                MitigationPlan(
                    tps=t,
                    measures="Tenda ditinggikan",
                    responsible="PPS",
                    due_on=dt.date(2024, 11, 26),
                    backup_address="Aula RW" if rng.random() < 0.85 else "",
                    updated_at=now,
                )
            )
        codes = [i for i in indicators if rng.random() < 0.12]
        score = sum(i.weight for i in codes)
        vulns.append(
            (TpsVulnerability(tps=t, election=election, score=score, klass=rules.klass(score), assessed_at=now), codes)
        )
        for force in ("polri", "tni", "linmas"):
            need = rules.need(rules.klass(score), force)
            count = need - 1 if need and rng.random() < 0.08 else need
            if count:
                deployments.append(Deployment(tps=t, force=force, count=count, updated_at=now))
    with transaction.atomic():
        made = ChecklistAnswer.objects.bulk_create(answers, batch_size=5000)
        ReadinessWarning.objects.bulk_create(
            [
                ReadinessWarning(
                    tps_id=a.tps_id,
                    item=a.item,
                    answer=a,
                    owner_role=a.item.owner_role,
                    opened_at=now,
                    due_at=now + dt.timedelta(hours=12),
                )
                for a in made
                if a.flagged
            ],
            batch_size=5000,
        )
        TpsHazard.objects.bulk_create(hazards, batch_size=5000)
        MitigationPlan.objects.bulk_create(plans, batch_size=5000)
        saved = TpsVulnerability.objects.bulk_create([v for v, _c in vulns], batch_size=5000)
        through = TpsVulnerability.indicators.through
        through.objects.bulk_create(
            [
                through(tpsvulnerability_id=v.pk, vulnerabilityindicator_id=i.pk)
                for v, (_v, codes) in zip(saved, vulns, strict=True)
                for i in codes
            ],
            batch_size=5000,
        )
        Deployment.objects.bulk_create(deployments, batch_size=5000)
        summary.refresh([t.pk for t in tps], election)
    with connection.cursor() as cur:  # statistics and a vacuumed table, as a database in use has them
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return user, len(tps), len(made)


def bench_map(user) -> None:
    client = Client()
    client.force_login(user)
    url = "/kesiapan/peta/data.json?wilayah=32.01"
    for _ in range(3):
        response = client.get(url)
    features = [f for f in response.json()["features"] if f["properties"]["kind"] == "tps"]
    assert len(features) == 1530, len(features)
    samples = []
    for _ in range(30):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200
    ref = raw_p95(
        "SELECT t.code, t.number, t.address, t.lat, t.lon, s.answered, s.flagged, s.open_warnings, s.polri, s.tni, "
        "s.linmas, s.vuln_class, s.has_plan, s.relocated FROM tps_tps t LEFT JOIN readiness_tpsstate s "
        "ON s.tps_id = t.id WHERE t.code >= '3201' AND t.code < '3202' ORDER BY t.code"
    )
    ours = p95(samples)
    line(
        "map data of a kota (1,530 TPS, all layers), p95",
        ours,
        "ms",
        ref,
        "state SELECT",
        "goal p95 <= 100 ms",
        ours <= 100,
    )


def bench_summary(user) -> None:
    from deskpilkada.readiness import summary
    from deskpilkada.tps.models import Tps

    client = Client()
    client.force_login(user)

    def page():
        response = client.get("/kesiapan/")
        assert response.status_code == 200

    def totals():
        summary.area_totals(Tps.objects.all(), 4)

    ours_page = timed(page)
    ours_totals = timed(totals)
    with connection.cursor() as cur:

        def raw_sum():
            cur.execute(
                "SELECT substr(t.code, 1, 4), count(*), sum(s.answered), "
                "sum(CASE WHEN s.open_warnings > 0 THEN 1 ELSE 0 END), sum(s.polri), "
                "sum(s.tni), sum(s.linmas) FROM tps_tps t LEFT JOIN readiness_tpsstate s ON s.tps_id = t.id "
                "GROUP BY substr(t.code, 1, 4)"
            )
            cur.fetchall()

        ref = timed(raw_sum)
    line(
        "readiness summary of the province (page)",
        ours_page,
        "ms",
        ref,
        "GROUP BY of the state",
        "goal <= 500 ms",
        ours_page <= 500,
    )
    line(
        "readiness summary of the province (totals)",
        ours_totals,
        "ms",
        ref,
        "GROUP BY of the state",
        "goal <= 500 ms",
        ours_totals <= 500,
    )


def main() -> None:
    start = time.perf_counter()
    user, n_tps, n_answers = setup()
    print(
        f"[{ENGINE:8}]   set-up: {n_tps:,} TPS, {n_answers:,} checklist answers in {time.perf_counter() - start:.0f} s",
        flush=True,
    )
    bench_map(user)
    bench_summary(user)
    print(json.dumps({"engine": ENGINE, "tps": n_tps}))


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        if ENGINE == "postgres":
            drop_postgres(PG_DB)
