"""The case desk's benchmarks (issue 10): with 50,000 generated cases, the inbox page for the desk
admin and for Bawaslu, the near-duplicate grouping of a new report, and public reports over HTTP —
each beside a raw reference measured in the same run.

Usage: python bench/bench_cases.py sqlite|postgres [--cases N]
"""

import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

from common import drop_postgres, p95, report, setup_django

ROOT = Path(__file__).resolve().parent.parent
ENGINE = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
N_CASES = int(sys.argv[sys.argv.index("--cases") + 1]) if "--cases" in sys.argv else 50_000
PG_DB = "deskpilkada_bench_cases"
NOW = "2024-11-27T20:00+07:00"

# One client sends every report of the HTTP run: its per-client limit is lifted.
TMP = setup_django(ENGINE, PG_DB, now=NOW, env={"CASE_REPORT_LIMIT": "100000000"})
from common import have_wrk, serve, wrk  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from deskpilkada import clock  # noqa: E402

line = report(ENGINE)


def setup() -> None:
    """The demo's regions, election, TPS and users (no count, no demo cases), then N generated cases."""
    from deskpilkada.accounts import demo as accounts
    from deskpilkada.elections import demo as elections
    from deskpilkada.regions import demo as regions
    from deskpilkada.tps import demo as tps

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    now = clock.now()
    with clock.at(now):
        for part in (regions, elections, tps, accounts):
            part.seed(now=now, say=lambda _m: None)
    generate(N_CASES)


def generate(n: int) -> None:
    """Cases written in bulk (a data generator, not the thing measured): every category and kecamatan,
    statuses and deadlines as the workflow leaves them, a tenth of them grouped as sightings."""
    from deskpilkada.cases import deadlines
    from deskpilkada.cases.categories import CATEGORIES
    from deskpilkada.cases.models import Case, new_tracking_code
    from deskpilkada.elections.models import Election
    from deskpilkada.tps.models import Tps

    rng = random.Random(10)
    election = Election.objects.current()
    deadlines.rules(election)
    tps = list(Tps.objects.select_related("kelurahan"))
    statuses = ["new", "verified", "assigned", "in_progress", "action_taken", "closed", "invalid"]
    words = ["amplop", "uang", "spanduk", "kampanye", "tenang", "ancaman", "hujan", "banjir", "pohon", "pingsan"]
    now = clock.now()
    batch: list[Case] = []
    for _i in range(n):
        place = rng.choice(tps)
        category = rng.choice(list(CATEGORIES))
        known = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 14))
        case = Case(
            election=election,
            category=category,
            title=" ".join(rng.choices(words, k=4)),
            description=" ".join(rng.choices(words, k=20)),
            status=rng.choice(statuses),
            severity=rng.choice(["critical", "high", "medium", "low"]),
            tps=place,
            region=place.kelurahan,
            area=place.code,
            occurred_at=known - dt.timedelta(minutes=30),
            known_at=known,
            handling_region=place.kelurahan,
            tracking_code=new_tracking_code(),
            created_at=known,
            updated_at=known,
        )
        case.registered_at = known if case.status != "new" and category in deadlines.BAWASLU else None
        case.responded_at = known if case.status in ("in_progress", "action_taken", "closed") else None
        deadlines.refresh(case)
        batch.append(case)
        if len(batch) == 2000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    leaders = list(Case.objects.values_list("pk", flat=True)[: n // 10])
    sightings = list(Case.objects.values_list("pk", flat=True)[n // 10 : n // 5])
    for pk, leader in zip(sightings, leaders, strict=False):
        Case.objects.filter(pk=pk).update(group_id=leader, due_at=None)
    if connection.vendor == "postgresql":  # as autovacuum leaves a table after a bulk load: statistics, visibility map
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE cases_case")


def bench_inbox() -> None:
    from deskpilkada.accounts.models import User

    for username in ("admin.kesbangpol", "bawaslu"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        for _ in range(3):
            client.get("/kasus/")
        samples = []
        for _ in range(30):
            start = time.perf_counter()
            response = client.get("/kasus/")
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        ref = raw_inbox(username == "bawaslu")
        line(
            f"inbox page ({username}), p95",
            p95(samples),
            "ms",
            ref,
            "first page SELECT",
            "goal p95 <= 150 ms",
            p95(samples) <= 150,
        )


def raw_inbox(bawaslu: bool) -> float:
    """The first page of open cases, newest first, through a raw cursor (no ranking, no counts)."""
    where = "status NOT IN ('closed','invalid','duplicate') AND group_id IS NULL"
    if bawaslu:
        where += " AND category IN ('fraud','asn')"
    sql = (
        "SELECT id, title, category, status, severity, area, known_at, due_at FROM cases_case "
        f"WHERE {where} ORDER BY due_at, known_at DESC LIMIT 50"
    )
    samples = []
    with connection.cursor() as cur:
        for _ in range(30):
            start = time.perf_counter()
            cur.execute(sql)
            cur.fetchall()
            samples.append(time.perf_counter() - start)
    return p95(samples)


def bench_grouping() -> None:
    from deskpilkada.cases.models import Case
    from deskpilkada.cases.similarity import find_group
    from deskpilkada.tps.models import Tps

    rng = random.Random(11)
    tps = list(Tps.objects.select_related("kelurahan")[:500])
    samples, refs = [], []
    for i in range(200):
        place = rng.choice(tps)
        category = "hoax" if i % 2 else "fraud"
        case = Case(
            category=category,
            title="amplop uang kampanye tenang",
            description="amplop uang dibagikan di dekat tps oleh tim kampanye pada masa tenang",
            region=place.kelurahan,
            details={"claim": "pencoblosan diundur karena hujan banjir"} if category == "hoax" else {},
            occurred_at=clock.now(),
            known_at=clock.now(),
        )
        start = time.perf_counter()
        find_group(case)
        samples.append(time.perf_counter() - start)
        start = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(
                "SELECT id, title, description FROM cases_case WHERE category = %s AND region_id = %s "
                "AND status NOT IN ('closed','invalid','duplicate') LIMIT 2000",
                [category, place.kelurahan_id],
            )
            cur.fetchall()
        refs.append(time.perf_counter() - start)
    ours, ref = p95(samples), p95(refs)
    line(
        "near-duplicate grouping of a new report, p95", ours, "ms", ref, "candidate SELECT", "goal <= 20 ms", ours <= 20
    )


LUA = r"""
math.randomseed(os.time())
local places = {}
for p in string.gmatch(os.getenv("BENCH_PLACES"), "[^,]+") do places[#places + 1] = p end
local words = {"amplop", "uang", "spanduk", "kampanye", "ancaman", "banjir", "pohon", "pingsan", "video", "segel"}
request = function()
  local text = ""
  for i = 1, 12 do text = text .. words[math.random(#words)] .. " " end
  local body = '{"category":"fraud","description":"' .. text .. '","place_code":"' .. places[math.random(#places)]
    .. '","occurred_at":"2024-11-27T10:00:00+07:00","anonymous":true}'
  return wrk.format("POST", "/api/v1/reports", {["Content-Type"] = "application/json"}, body)
end
"""


def bench_public_reports() -> None:
    from deskpilkada.cases.models import Case
    from deskpilkada.regions.models import Level, Region

    if not have_wrk():
        print(f"[{ENGINE:8}]   wrk is not installed (Debian: apt-get install wrk): public report figure skipped")
        return
    places = ",".join(
        Region.objects.filter(level=Level.VILLAGE, code__startswith="32.71.").values_list("code", flat=True)
    )
    script = TMP / "report.lua"
    script.write_text(LUA)
    before = Case.objects.count()
    connection.close()
    with serve() as base:
        wrk(base + "/", 2, str(script), {"BENCH_PLACES": places})
        run = wrk(base + "/", 10, str(script), {"BENCH_PLACES": places})
        static = wrk(base + "/static/vendor/htmx/htmx.min.js", 5)
    accepted = Case.objects.count() - before
    line(
        "public reports over HTTP (2 workers), req/s",
        run["rps"],
        "/s",
        static["rps"],
        "static file",
        "goal >= 300/s",
        run["rps"] >= 300,
    )
    print(
        f"[{ENGINE:8}]   public reports: {run['bad']} non-2xx answers, {accepted:,} cases written, "
        f"p99 {run['p99_ms']:.1f} ms",
        flush=True,
    )


def main() -> None:
    start = time.perf_counter()
    setup()
    print(f"[{ENGINE:8}]   set-up: {N_CASES:,} generated cases in {time.perf_counter() - start:.0f} s", flush=True)
    bench_inbox()
    bench_grouping()
    bench_public_reports()
    print(json.dumps({"engine": ENGINE, "cases": N_CASES}))


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        if ENGINE == "postgres":
            drop_postgres(PG_DB)  # the scratch database, as the other benchmarks do
