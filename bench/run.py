"""Run every benchmark on SQLite, and on PostgreSQL when it answers. See bench/README.md."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def postgres_url() -> str | None:
    url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    try:
        import psycopg

        psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=2).close()
    except Exception as exc:
        print(f"PostgreSQL not reachable ({exc.__class__.__name__}): PostgreSQL figures skipped")
        return None
    return url


def main() -> int:
    engines = ["sqlite"] + (["postgres"] if postgres_url() else [])
    status = 0
    tps = os.environ.get("BENCH_TPS", "426000")
    for engine in engines:
        for script, extra in (
            ("bench_core.py", []),
            ("bench_tally.py", ["--tps", tps]),
            ("bench_cases.py", []),
            ("bench_logistics.py", []),
            ("bench_readiness.py", []),
            ("bench_officers.py", []),
        ):
            result = subprocess.run([sys.executable, str(ROOT / "bench" / script), engine, *extra], cwd=ROOT)
            status |= result.returncode
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_voters.py"), "sqlite"], cwd=ROOT)
    return status | result.returncode


if __name__ == "__main__":
    sys.exit(main())
