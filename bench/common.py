"""What the benchmarks share: a real server on loopback, wrk, and peak memory."""

from __future__ import annotations

import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


PG_ADMIN = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _admin():
    import psycopg

    return psycopg.connect(PG_ADMIN.replace("postgres://", "postgresql://"), autocommit=True)


def scratch_postgres(name: str) -> str:
    """A new, empty PostgreSQL database `name` (dropped first if it is there); its DATABASE_URL."""
    with _admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def setup_django(engine: str, name: str, *, now: str | None = None, env: dict | None = None) -> Path:
    """Django for one benchmark on `engine`: a scratch folder for its files (returned), a scratch
    PostgreSQL database `name` when asked for, the demo clock at `now`, and `env` on top."""
    tmp = Path(tempfile.mkdtemp(prefix=f"{name.replace('_', '-')}-"))
    os.environ.update(
        {"DESKPILKADA_DEV": "1", "DESKPILKADA_VAR_DIR": str(tmp), "DJANGO_SETTINGS_MODULE": "deskpilkada.settings"}
    )
    if now:
        os.environ["DESKPILKADA_DEMO_NOW"] = now
    os.environ.update(env or {})
    sys.path.insert(0, str(ROOT))
    if engine == "postgres":
        os.environ["DATABASE_URL"] = scratch_postgres(name)
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    return tmp


def drop_postgres(name: str) -> None:
    with _admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM). ru_maxrss would also count the parent's pages at
    fork time, because Linux keeps it across exec."""
    with open("/proc/self/status") as fh:
        for row in fh:
            if row.startswith("VmHWM:"):
                return int(row.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(workers: int = 2):
    """granian with `workers` WSGI workers on a free loopback port, for the duration of the block."""
    port = free_port()
    granian = shutil.which("granian", path=str(Path(sys.executable).parent)) or "granian"
    server = subprocess.Popen(
        [
            granian,
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "deskpilkada.wsgi:application",
        ],
        env={**os.environ, "SECURE": "0"},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/v1/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(10)


def wrk(url: str, seconds: int, script: str | None = None, env: dict | None = None, connections: int = 8) -> dict:
    """Requests/s, p99 in ms and non-2xx answers of a bounded wrk run (2 threads) against `url`."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *(["-s", script] if script else []), url]
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)] if m else 0.0
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p99_ms": p99, "bad": int(bad.group(1)) if bad else 0}


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def report(engine: str):
    """line(name, ours, unit, ref, ref_name, goal, ok): one figure printed beside its raw reference,
    against its goal, tagged with the engine — the benchmarks' one output format."""

    def line(name: str, ours: float, unit: str, ref: float, ref_name: str, goal: str, ok: bool) -> None:
        ratio = ours / ref if ref else float("inf")
        verdict = "meets goal" if ok else "MISSES goal"
        print(
            f"[{engine:8}] {name:<44} {ours:10.1f} {unit:<3} | raw {ref_name}: {ref:8.2f} {unit} "
            f"| x{ratio:6.1f} | {goal}: {verdict}",
            flush=True,
        )

    return line


def p95(samples: list[float]) -> float:
    """The 95th percentile of samples in seconds, in ms."""
    return statistics.quantiles(samples, n=100)[94] * 1000


def timed(fn, runs: int = 5) -> float:
    """The median of `runs` calls after one warm-up, in ms."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000
