"""Election-night soak (issue 15): sheets, voter look-ups and results reads at once, then a recount.

Usage: python bench/bench_soak.py [postgres|sqlite] [--minutes 10]
On the demo data set (Kota Bogor, 1,530 TPS, the demo DPT): granian with 2 workers; four Python
threads post C.Hasil (first entries, then corrections with a reason, each with its own
Idempotency-Key, every answer kept); wrk reads the public look-up (right NIK and confirmation) and the
city's results at the same time. At the end: every answer 2xx, every stored version answered once
(none lost, none doubled: versions = idempotency keys = 2xx answers), the maintained totals equal to
a recount, and the workers' memory at the start and the end.
"""

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from common import drop_postgres, scratch_postgres

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "deskpilkada_bench_soak"
CONTEST = "pilwalkot-bogor-2024"

parser = argparse.ArgumentParser()
parser.add_argument("engine", nargs="?", default="postgres", choices=["postgres", "sqlite"])
parser.add_argument("--minutes", type=float, default=10)
parser.add_argument("--senders", type=int, default=4, help="threads posting sheets")
ARGS = parser.parse_args()
ENGINE = ARGS.engine
TMP = Path(tempfile.mkdtemp(prefix="deskpilkada-bench-soak-"))
ENV = {
    "DESKPILKADA_DEV": "1",
    "DESKPILKADA_VAR_DIR": str(TMP),
    "DJANGO_SETTINGS_MODULE": "deskpilkada.settings",
    "VOTER_LOOKUP_LIMIT": "100000000",  # every look-up comes from one address
    # Election night in the demo's calendar: sheets are coming in and no recap is final yet (at the
    # real date the demo's Kota Bogor recap is final and every sheet would be refused).
    "DESKPILKADA_DEMO_NOW": "2024-11-27T20:00+07:00",
}
if ENGINE == "postgres":
    ENV["DATABASE_URL"] = scratch_postgres(PG_DB)
else:
    os.environ.pop("DATABASE_URL", None)
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import django  # noqa: E402
from common import have_wrk, serve, wrk  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from deskpilkada.accounts.actions import create_api_token  # noqa: E402
from deskpilkada.accounts.models import User  # noqa: E402
from deskpilkada.elections.models import Contest  # noqa: E402
from deskpilkada.tally import rollup, rules  # noqa: E402
from deskpilkada.tally.models import IdempotencyKey, SheetVersion  # noqa: E402
from deskpilkada.tps.models import Tps  # noqa: E402
from deskpilkada.voters.demo import demo_voter_rows  # noqa: E402


def note(text):
    print(f"[{ENGINE:8}] soak: {text}", flush=True)


def children_rss_mb(port: int) -> float:
    """granian's workers are its children (multiprocessing), named like it: their RSS with the main's."""
    main = [
        p
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and str(port).encode() in _cmdline(p) and b"granian" in _cmdline(p)
    ]
    pids = {p.name for p in main}
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
        except OSError:
            continue
        fields = dict(r.split(":", 1) for r in status.splitlines() if ":" in r)
        if proc.name in pids or fields.get("PPid", "").strip() in pids:
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


def _cmdline(proc: Path) -> bytes:
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:
        return b""


def sheet_body(tps: Tps, n: int) -> dict:
    rng = random.Random(n)
    voters = int(tps.dpt * rng.uniform(0.55, 0.8))
    invalid = voters // 40
    valid = voters - invalid
    votes = [valid // 5] * 5
    votes[0] += valid - sum(votes)
    flat = rules.balanced_sheet(tps.dpt, votes, invalid=invalid).as_flat()
    data = {k: v for k, v in flat.items() if not k.startswith("paslon_")}
    data["paslon"] = {k.split("_")[1]: v for k, v in flat.items() if k.startswith("paslon_")}
    data.update(kode_tps=tps.code, pemilihan=CONTEST, alasan="soak: koreksi dari plano")
    return data


class Senders:
    """Threads posting sheets until told to stop, every answer kept (status by key)."""

    def __init__(self, base: str, token: str, tps: list[Tps]):
        self.base, self.token, self.tps = base, token, tps
        self.answers: dict[str, int] = {}
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def run(self, me: int) -> None:
        n = me
        while not self.stop.is_set():
            tps = self.tps[n % len(self.tps)]
            key = f"soak-{me}-{n}"
            request = urllib.request.Request(
                self.base + "/api/v1/tally-sheets",
                data=json.dumps(sheet_body(tps, n)).encode(),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {self.token}",
                    "Idempotency-Key": key,
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:
                    status = answer.status
            except urllib.error.HTTPError as exc:
                status = exc.code
                with self.lock:
                    self.failures.append(f"{status} {exc.read()[:200]!r}")
            except OSError as exc:
                status = 0
                with self.lock:
                    self.failures.append(repr(exc))
            with self.lock:
                self.answers[key] = status
            n += ARGS.senders


LOOKUP_SCRIPT = r"""
local lines = {}
for l in io.lines(os.getenv("BENCH_NIK_FILE")) do lines[#lines + 1] = l end
local i = 0
request = function()
  i = i % #lines + 1
  local nik, born = lines[i]:match("([^,]+),([^,]+)")
  return wrk.format("GET", "/api/v1/voters/lookup?nik=" .. nik .. "&confirm=" .. born)
end
"""


def main():
    if not have_wrk():
        note("wrk is not installed (Debian: apt-get install wrk): soak skipped")
        return
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--quiet-logins", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", "--noinput", verbosity=0)
    contest = Contest.objects.select_related("region").get(code=CONTEST)
    tps = list(Tps.objects.filter(code__startswith=contest.region.undotted_code).order_by("code"))
    _token, raw = create_api_token(by=None, user=User.objects.get(username="operator.kpu"), name="soak")
    nik_file = TMP / "nik.txt"
    with nik_file.open("w") as fh:
        for n, row in enumerate(demo_voter_rows()):
            if n >= 2000:
                break
            fh.write(f"{row[0]},{row[4]}\n")
    script = TMP / "lookup.lua"
    script.write_text(LOOKUP_SCRIPT)
    versions_before = SheetVersion.objects.count()
    keys_before = IdempotencyKey.objects.count()
    note(f"demo set up in {time.perf_counter() - start:.0f} s: {len(tps):,} TPS, {versions_before:,} versions")
    connection.close()
    seconds = max(5, int(ARGS.minutes * 60))
    with serve() as base:
        port = int(base.rsplit(":", 1)[1])
        time.sleep(1)
        rss_start = children_rss_mb(port)
        senders = Senders(base, raw, tps)
        threads = [threading.Thread(target=senders.run, args=(i,)) for i in range(ARGS.senders)]
        for t in threads:
            t.start()
        results: dict = {}

        def read(name, url, script_path=None, env=None):
            results[name] = wrk(url, seconds, script_path, env, connections=4)

        readers = [
            threading.Thread(target=read, args=("lookup", base + "/", str(script), {"BENCH_NIK_FILE": str(nik_file)})),
            threading.Thread(target=read, args=("results", f"{base}/api/v1/results/{CONTEST}/32.71")),
        ]
        for t in readers:
            t.start()
        time.sleep(seconds / 3)
        rss_third = children_rss_mb(port)  # after the warm-up: the caches are full, the pools open
        for t in readers:
            t.join()
        senders.stop.set()
        for t in threads:
            t.join()
        rss_end = children_rss_mb(port)
    answers = senders.answers
    ok = sum(1 for s in answers.values() if 200 <= s < 300)
    stored = SheetVersion.objects.count() - versions_before
    keyed = IdempotencyKey.objects.count() - keys_before
    errors = len(answers) - ok + results["lookup"]["bad"] + results["results"]["bad"]
    note(
        f"{seconds} s: {len(answers):,} sheets posted ({ok / seconds:.0f}/s), "
        f"look-ups {results['lookup']['rps']:.0f}/s (p99 {results['lookup']['p99_ms']:.0f} ms), "
        f"results reads {results['results']['rps']:.0f}/s (p99 {results['results']['p99_ms']:.0f} ms)"
    )
    note(
        f"errors: {errors} (sheets {len(answers) - ok}, look-ups {results['lookup']['bad']}, "
        f"results {results['results']['bad']})" + (f"; first: {senders.failures[:3]}" if senders.failures else "")
    )
    lost, doubled = max(0, ok - stored), max(0, stored - ok)
    note(f"sheets answered 2xx {ok:,}, versions stored {stored:,}, keys kept {keyed:,}: lost {lost}, doubled {doubled}")
    differences = rollup.recount_differences(contest)
    note(f"recount against the maintained roll-up: {len(differences)} differences {differences[:3]}")
    grew = rss_end - rss_third
    flat = grew <= 0.05 * rss_third  # flat: at most 5 % more from a third of the run to its end
    note(
        f"workers' RSS: {rss_start:.0f} MB at the start, {rss_third:.0f} MB after a third of the run, "
        f"{rss_end:.0f} MB at the end ({grew:+.0f} MB since the third)"
    )
    verdict = errors == 0 and lost == 0 and doubled == 0 and keyed == ok and not differences and flat
    goal = "goal 0 errors, 0 lost or doubled, recount = roll-up, memory flat"
    note(f"{goal}: {'meets goal' if verdict else 'MISSES goal'}")


try:
    main()
finally:
    connection.close()
    if ENGINE == "postgres":
        drop_postgres(PG_DB)
    shutil.rmtree(TMP, ignore_errors=True)
