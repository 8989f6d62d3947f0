"""The officers benchmarks (issue 13): a synthetic province of about 75,000 TPS (25 cities × 20
kecamatan × 10 kelurahan × 15 TPS) and its recruitment export of about 600,000 officers (5 PPK per
kecamatan, 3 PPS per kelurahan, 7 KPPS and 1 Linmas per TPS), half of the KPPS trained in one
required topic. Measured, each beside a raw reference in the same run:

- the import of the whole export through `deskpilkada import_officers` (goal ≤ 30 s, peak memory of
  the importing process ≤ 300 MB), beside a plain executemany of the same rows;
- the coverage of the whole province (`officers.coverage.tps_coverage`, every TPS: crew, chair,
  trained per topic, screened, unfit; goal ≤ 1 s), beside the bare GROUP BY of the officer table.

Usage: python bench/bench_officers.py sqlite|postgres [--tps N]  (N rounded to whole kelurahan)
"""

import csv
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from common import drop_postgres, report, setup_django, timed

ROOT = Path(__file__).resolve().parent.parent
ENGINE = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
N_TPS = int(sys.argv[sys.argv.index("--tps") + 1]) if "--tps" in sys.argv else 75_000
PG_DB = "deskpilkada_bench_officers"
NOW = "2024-11-26T15:00+07:00"
CITIES, KECAMATAN, KELURAHAN = 25, 20, 10

TMP = setup_django(ENGINE, PG_DB, now=NOW)
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

line = report(ENGINE)


def setup() -> Path:
    """The province, its TPS and the election in bulk, and the recruitment export as a CSV file."""
    from deskpilkada.elections.models import Election
    from deskpilkada.officers.actions import COLUMNS
    from deskpilkada.regions.models import Region
    from deskpilkada.tps.models import Tps

    call_command("migrate", verbosity=0)
    per_kelurahan = max(1, round(N_TPS / (CITIES * KECAMATAN * KELURAHAN)))
    with transaction.atomic():
        province = Region.objects.create(code="32", name="Jawa Barat (sintetis)", level=1)
        cities = Region.objects.bulk_create(
            [Region(code=f"32.{c:02d}", name=f"Kota {c}", level=2, parent=province) for c in range(1, CITIES + 1)]
        )
        kecamatan = Region.objects.bulk_create(
            [
                Region(code=f"{c.code}.{k:02d}", name=f"Kecamatan {c.code}.{k:02d}", level=3, parent=c)
                for c in cities
                for k in range(1, KECAMATAN + 1)
            ]
        )
        kelurahan = Region.objects.bulk_create(
            [
                Region(code=f"{k.code}.{1000 + n}", name=f"Kelurahan {k.code}.{n}", level=4, parent=k)
                for k in kecamatan
                for n in range(1, KELURAHAN + 1)
            ]
        )
        Tps.objects.bulk_create(
            [
                Tps(code=kel.code.replace(".", "") + f"{n:03d}", kelurahan=kel, number=n, dpt_male=200, dpt_female=200)
                for kel in kelurahan
                for n in range(1, per_kelurahan + 1)
            ],
            batch_size=5000,
        )
        Election.objects.create(
            code="bench", name="Pilkada sintetis", voting_date=dt.date(2024, 11, 27), is_current=True
        )
    path = TMP / "petugas.csv"
    serial = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)

        def row(role: str, chair: bool, region: str, tps: str) -> None:
            nonlocal serial
            serial += 1
            born = f"{1970 + serial % 30}-{serial % 12 + 1:02d}-{serial % 28 + 1:02d}"
            writer.writerow(
                [
                    f"99{serial:014d}",
                    f"Petugas {serial} (demo)",
                    born,
                    "LP"[serial % 2],
                    f"0812{serial:08d}",
                    f"Jl. Contoh {serial % 300}",
                    role,
                    "Ketua" if chair else "Anggota",
                    region,
                    tps,
                    "2024-11-06",
                ]
            )

        for k in kecamatan:
            for i in range(5):
                row("PPK", i == 0, k.code, "")
        for kel in kelurahan:
            for i in range(3):
                row("PPS", i == 0, kel.code, "")
            for n in range(1, per_kelurahan + 1):
                for i in range(7):
                    row("KPPS", i == 0, kel.code, str(n))
                row("LINMAS", False, kel.code, str(n))
    return path


CHILD = """
import os, sys, time, json
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
import django; django.setup()
from common import peak_rss_mb
from deskpilkada.elections.models import Election
from deskpilkada.officers.actions import import_officers
start = time.perf_counter()
with open({path!r}, "rb") as fh:
    result = import_officers(fh, by=None, election=Election.objects.get(code="bench"))
print(json.dumps({{"seconds": time.perf_counter() - start, "rows": result.imported, "mb": peak_rss_mb()}}))
"""


def import_in_child(path: Path) -> dict:
    code = CHILD.format(root=str(ROOT), bench=str(ROOT / "bench"), path=str(path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, cwd=ROOT)
    if out.returncode:
        print(out.stderr[-3000:])
        raise SystemExit(1)
    return json.loads(out.stdout.strip().splitlines()[-1])


def raw_insert(rows: int) -> float:
    """A plain executemany of `rows` rows of the officer's shape into a scratch table, in seconds."""
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE bench_raw (a integer, b varchar(10), c boolean, d varchar(120), e varchar(32), "
            "f date, g varchar(1), h varchar(20), i varchar(255), j varchar(13), k integer, l integer, m date)"
        )
    data = [
        (
            1,
            "kpps",
            False,
            f"Petugas {n}",
            f"{n:032x}",
            "1990-01-01",
            "L",
            "081200000000",
            "Jl.",
            "3201011001001",
            1,
            n,
            "2024-11-06",
        )
        for n in range(rows)
    ]
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        for i in range(0, rows, 5000):
            cur.executemany(f"INSERT INTO bench_raw VALUES ({', '.join(['%s'] * 13)})", data[i : i + 5000])
    seconds = time.perf_counter() - start
    with connection.cursor() as cur:
        cur.execute("DROP TABLE bench_raw")
    return seconds


def add_training() -> None:
    """Half of the KPPS attended one session of the first required topic (bulk, a data generator)."""
    from deskpilkada.elections.models import Election
    from deskpilkada.officers.models import Officer, Participant, Session
    from deskpilkada.officers.rules import required_topics
    from deskpilkada.regions.models import Region

    election = Election.objects.get(code="bench")
    topic = required_topics(election)[0]
    start = dt.datetime.fromisoformat("2024-11-16T08:00+07:00")
    session = Session.objects.create(
        election=election,
        topic=topic,
        title="Bimtek",
        starts_at=start,
        ends_at=start,
        place="Aula",
        trainer="KPU",
        target_roles=["kpps"],
        region=Region.objects.get(code="32"),
        area_code="32",
    )
    ids = Officer.objects.filter(role="kpps").values_list("pk", "area_code", "is_chair")
    Participant.objects.bulk_create(
        (
            Participant(session=session, officer_id=pk, topic=topic, area_code=area, is_chair=chair, attended=True)
            for n, (pk, area, chair) in enumerate(ids.iterator(chunk_size=10000))
            if n % 2 == 0
        ),
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def main() -> None:
    from deskpilkada.elections.models import Election
    from deskpilkada.officers.coverage import tps_coverage

    path = setup()
    got = import_in_child(path)
    ref = raw_insert(got["rows"])
    line(
        f"import {got['rows']:,} officers (s)", got["seconds"], "s", ref, "executemany", "≤ 30 s", got["seconds"] <= 30
    )
    line("import peak memory (MB)", got["mb"], "MB", 0.0, "—", "≤ 300 MB", got["mb"] <= 300)
    add_training()
    election = Election.objects.get(code="bench")
    ours = timed(lambda: tps_coverage(election, "32"), 3)
    cov = tps_coverage(election, "32")

    def bare():
        with connection.cursor() as cur:
            cur.execute("SELECT area_code, role, count(*) FROM officers_officer GROUP BY area_code, role")
            cur.fetchall()

    ref = timed(bare, 3)
    line(f"coverage of {len(cov.tps):,} TPS (ms)", ours, "ms", ref, "GROUP BY officer", "≤ 1000 ms", ours <= 1000)


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        if ENGINE == "postgres":
            drop_postgres(PG_DB)
