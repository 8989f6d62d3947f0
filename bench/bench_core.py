"""Foundation benchmarks: the region import and the TPS list / map data, each beside a raw reference.

Usage: python bench/bench_core.py sqlite|postgres
"""

import csv
import json
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

from common import drop_postgres, setup_django

ROOT = Path(__file__).resolve().parent.parent
FULL = ROOT.parent / "shared" / "data" / "idn-area-data-4.0.1"
SUBSET = ROOT / "deskpilkada" / "regions" / "data" / "idn-area-data-kota-bogor"
ENGINE = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
PG_DB = "deskpilkada_bench"

TMP = setup_django(ENGINE, PG_DB)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402


def line(name: str, ours: float, unit: str, ref: float, ref_name: str, goal: str, ok: bool) -> None:
    ratio = ours / ref if ref else float("inf")
    verdict = "meets goal" if ok else "MISSES goal"
    print(
        f"[{ENGINE:8}] {name:<44} {ours:10.1f} {unit:<3} | raw {ref_name}: {ref:8.1f} {unit} "
        f"| x{ratio:5.1f} | {goal}: {verdict}"
    )


def region_rows(directory: Path) -> list[tuple]:
    rows = []
    for level, name, parent in (
        (1, "provinces.csv", None),
        (2, "regencies.csv", "province_code"),
        (3, "districts.csv", "regency_code"),
        (4, "villages.csv", "district_code"),
    ):
        with (directory / name).open(newline="", encoding="utf-8") as fh:
            rows += [(r["code"], r["name"], level, r[parent] if parent else None) for r in csv.DictReader(fh)]
    return rows


def raw_region_insert(rows: list[tuple]) -> float:
    start = time.perf_counter()
    if ENGINE == "postgres":
        with connection.cursor() as cur:
            cur.execute(
                "CREATE TEMP TABLE raw_region "
                "(code varchar(13) primary key, name varchar(120), level int, parent varchar(13))"
            )
            cur.executemany("INSERT INTO raw_region VALUES (%s, %s, %s, %s)", rows)
            cur.execute("DROP TABLE raw_region")
    else:
        db = sqlite3.connect(TMP / "raw.sqlite3")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE raw_region (code text primary key, name text, level int, parent text)")
        with db:
            db.executemany("INSERT INTO raw_region VALUES (?, ?, ?, ?)", rows)
        db.close()
    return time.perf_counter() - start


def bench_region_import() -> None:
    from deskpilkada.regions.actions import import_regions

    source = FULL if (FULL / "villages.csv").exists() else SUBSET
    rows = region_rows(source)
    villages = sum(1 for r in rows if r[2] == 4)
    ref = raw_region_insert(rows)
    start = time.perf_counter()
    import_regions(source, by=None, progress=False)
    ours = time.perf_counter() - start
    line(
        f"import_regions: {villages:,} villages ({len(rows):,} rows)",
        ours,
        "s",
        ref,
        "executemany",
        "goal <= 30 s",
        ours <= 30,
    )
    start = time.perf_counter()
    import_regions(source, by=None, progress=False)
    again = time.perf_counter() - start
    line("import_regions again (nothing changes)", again, "s", ref, "executemany", "goal <= 30 s", again <= 30)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[94] * 1000


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def bench_tps_pages() -> None:
    from deskpilkada.accounts.models import User

    call_command("seed_demo", "--quiet-logins", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    client.force_login(User.objects.get(username="admin.kesbangpol"))
    n = 100

    def list_page():
        r = client.get("/tps/", {"kecamatan": "32.71.04", "q": "", "page": 3})
        assert r.status_code == 200

    def map_data():
        r = client.get("/tps/peta/data.geojson")
        assert r.status_code == 200 and len(r.json()["features"]) >= 1530

    sql_list = (
        "SELECT t.code, t.number, t.address, t.dpt_male, t.dpt_female, k.name, d.name FROM tps_tps t "
        "JOIN regions_region k ON k.id = t.kelurahan_id JOIN regions_region d ON d.id = k.parent_id "
        "WHERE t.code LIKE '327104%%' ORDER BY t.code LIMIT 50 OFFSET 100"
    )
    sql_map = (
        "SELECT t.code, t.number, k.name, t.address, t.dpt_male, t.dpt_female, t.special_kind, t.lat, t.lon "
        "FROM tps_tps t JOIN regions_region k ON k.id = t.kelurahan_id WHERE t.lat IS NOT NULL ORDER BY t.code"
    )
    if ENGINE == "sqlite":
        sql_list = sql_list.replace("%%", "%")

    def raw(sql):
        def run():
            with connection.cursor() as cur:
                cur.execute(sql)
                rows = cur.fetchall()
            json.dumps([list(r) for r in rows])

        return run

    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        for name, fn, ref_fn in (
            ("TPS list page (p95, server time)", list_page, raw(sql_list)),
            ("TPS map data, 1,530 TPS (p95, server time)", map_data, raw(sql_map)),
        ):
            timed(fn, 5)
            ours = p95(timed(fn, n))
            ref = p95(timed(ref_fn, n))
            line(name, ours, "ms", ref, "cursor+json", "goal p95 <= 150 ms", ours <= 150)


def main() -> None:
    call_command("migrate", verbosity=0)
    bench_region_import()
    bench_tps_pages()


try:
    main()
finally:
    connection.close()
    if ENGINE == "postgres":
        drop_postgres(PG_DB)
