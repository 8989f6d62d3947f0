"""Point 4 benchmarks: the DPT import (815,249 generated rows, keyed hashing) and the public
TPS look-up over HTTP. Usage: python bench/bench_voters.py [sqlite]   (see bench/README.md)"""

import csv
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASE = sys.argv[2] if len(sys.argv) > 2 else "all"
TMP = Path(sys.argv[3]) if len(sys.argv) > 3 else Path(tempfile.mkdtemp(prefix="deskpilkada-bench-voters-"))
os.environ.update(
    {
        "DESKPILKADA_DEV": "1",
        "DESKPILKADA_VAR_DIR": str(TMP),
        "DJANGO_SETTINGS_MODULE": "deskpilkada.settings",
        "VOTER_LOOKUP_LIMIT": "100000000",
    }
)
os.environ.pop("DATABASE_URL", None)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import have_wrk, peak_rss_mb, serve, wrk  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from deskpilkada.elections.models import Election  # noqa: E402
from deskpilkada.tps.models import Tps  # noqa: E402
from deskpilkada.voters.actions import COLUMNS, import_dpt  # noqa: E402

CSV = TMP / "dpt.csv"


def line(name, ours, unit, ref, ref_name, goal, ok):
    print(
        f"[sqlite  ] {name:<46} {ours:10.1f} {unit:<5}| raw {ref_name}: {ref:9.1f} {unit}"
        f"| x{ours / ref if ref else 0:6.2f} | {goal}: {'meets goal' if ok else 'MISSES goal'}",
        flush=True,
    )


def generate() -> int:
    rng = random.Random(3)
    n = 0
    with CSV.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for tps in Tps.objects.order_by("code").only("code", "dpt_male", "dpt_female"):
            for sex, count in (("L", tps.dpt_male), ("P", tps.dpt_female)):
                for _ in range(count):
                    n += 1
                    w.writerow(
                        [
                            f"99{n:014d}",
                            f"99{n // 4:014d}",
                            f"PEMILIH BENCH {n:06d}",
                            "BOGOR",
                            f"{rng.randint(1950, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                            sex,
                            "ALAMAT BENCH",
                            "001",
                            "002",
                            tps.code,
                        ]
                    )
    return n


def child_import():
    election = Election.objects.get(code="pilkada-2024")
    start = time.perf_counter()
    with CSV.open("rb") as fh:
        result = import_dpt(fh, by=None, election=election)
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "rows": result.imported,
                "seconds": seconds,
                "peak_mb": peak_rss_mb(),
            }
        )
    )


def raw_import() -> float:
    db = sqlite3.connect(TMP / "raw.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(
        "CREATE TABLE raw_voter (nik text, nkk text, nama text, tempat text, lahir text, jk text, alamat text,"
        " rt text, rw text, tps text)"
    )
    start = time.perf_counter()
    with CSV.open(newline="") as fh, db:
        reader = csv.reader(fh)
        next(reader)
        db.executemany("INSERT INTO raw_voter VALUES (?,?,?,?,?,?,?,?,?,?)", reader)
    db.close()
    return time.perf_counter() - start


LUA = r"""
local lines = {}
for l in io.lines(os.getenv("BENCH_VOTERS")) do lines[#lines + 1] = l end
math.randomseed(os.time())
request = function()
  local nik, dob = lines[math.random(#lines)]:match("([^,]+),([^,]+)")
  return wrk.format("GET", "/api/v1/voters/lookup?nik=" .. nik .. "&confirm=" .. dob)
end
"""


def lookups():
    if not have_wrk():
        print("[sqlite  ]   wrk is not installed (Debian: apt-get install wrk): look-up figure skipped")
        return
    sample = TMP / "voters.txt"
    with CSV.open(newline="") as src, sample.open("w") as dst:
        reader = csv.reader(src)
        next(reader)
        for i, row in enumerate(reader):
            if i % 80 == 0:  # right and wrong NIK mixed: every other one is no voter's
                dst.write(f"{row[0] if i % 160 else '98' + row[0][2:]},{row[4]}\n")
    script = TMP / "lookup.lua"
    script.write_text(LUA)
    call_command("collectstatic", "--noinput", verbosity=0)
    connection.close()
    with serve() as base:
        wrk(base + "/", 2, str(script), {"BENCH_VOTERS": str(sample)}, connections=16)
        run = wrk(base + "/", 10, str(script), {"BENCH_VOTERS": str(sample)}, connections=16)
        rps, p99, bad = run["rps"], run["p99_ms"], run["bad"]
        static = wrk(base + "/static/vendor/htmx/htmx.min.js", 5, connections=16)
        static_rps, static_p99 = static["rps"], static["p99_ms"]
        line(
            "public look-up over HTTP (2 workers), req/s",
            rps,
            "/s",
            static_rps,
            "static file",
            "goal >= 2,000/s",
            rps >= 2000,
        )
        line("public look-up over HTTP, p99", p99, "ms", static_p99, "static file", "goal p99 <= 50 ms", p99 <= 50)
        share = 100 * rps / static_rps if static_rps else 0
        line(
            "public look-up, share of the static file's rate",
            share,
            "%",
            100,
            "static file",
            "goal >= 30 %",
            share >= 30,
        )
        print(
            f"[sqlite  ]   look-up: {bad} non-2xx answers (half the NIK are no voter's: 404; the rate limit is"
            f" lifted for this run, but every look-up still counts against it); load average"
            f" {os.getloadavg()[0]:.1f} on 2 shared cores",
            flush=True,
        )


def main():
    if PHASE == "import":
        child_import()
        return
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--quiet-logins", stdout=open(os.devnull, "w"))  # noqa: SIM115
    rows = generate()
    ref = raw_import()
    connection.close()
    out = subprocess.run(
        [sys.executable, __file__, "sqlite", "import", str(TMP)], capture_output=True, text=True, cwd=ROOT
    )
    data = json.loads(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else None
    if data is None:
        print(f"[sqlite  ]   DPT import failed: {out.stderr[-1500:]}")
        return
    line(
        f"DPT import, {data['rows']:,} rows (keyed hashing)",
        data["seconds"],
        "s",
        ref,
        "executemany",
        "goal <= 15 s",
        data["seconds"] <= 15,
    )
    line("DPT import, peak RSS", data["peak_mb"], "MB", 0, "-", "goal <= 300 MB", data["peak_mb"] <= 300)
    print(f"[sqlite  ]   {rows:,} rows generated (NIK 99…, names PEMILIH BENCH …)", flush=True)
    lookups()


try:
    main()
finally:
    connection.close()
    if PHASE == "all":
        shutil.rmtree(TMP, ignore_errors=True)
