"""A desk in processes of its own, for the tests that need real processes: the backup round-trip
and the faults (a server killed mid-batch, the database out of reach). Each desk has its own var
directory (SQLite file, uploads) and, when asked for PostgreSQL, a scratch database of its own on
the server DATABASE_URL names, dropped at the end.

`python -m deskpilkada.testing_desk world N` builds the tests' world plus N TPS in Kebon Pedes and
prints, as JSON, a KPU operator's API token and every (TPS, contest, DPT) a sheet may be sent for;
`… check` prints what a fault may have left half-written."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ELECTION_NIGHT = "2024-11-27T20:00+07:00"


def _admin_url() -> str:
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"


def pg(sql: str, params: tuple = ()) -> list:
    import psycopg

    with psycopg.connect(_admin_url().replace("postgres://", "postgresql://"), autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Desk:
    """A desk of its own: a var directory, and a PostgreSQL database when `postgres`."""

    def __init__(self, var: Path, *, postgres: bool = False, **env: str):
        self.var = var
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))},
            "DESKPILKADA_DEV": "1",
            "DESKPILKADA_VAR_DIR": str(var),
            "DESKPILKADA_DEMO_NOW": ELECTION_NIGHT,
            "DJANGO_SETTINGS_MODULE": "deskpilkada.settings",
            "SECURE": "0",
            **env,
        }
        self.pg_name = ""
        if postgres:
            self.pg_name = f"deskpilkada_test_{uuid.uuid4().hex[:10]}"
            self.env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + self.pg_name
            pg(f"CREATE DATABASE {self.pg_name}")
        else:
            self.env.pop("DATABASE_URL", None)

    @property
    def sqlite_path(self) -> Path:
        return self.var / "deskpilkada.sqlite3"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(  # noqa: S603 (this interpreter, our arguments)
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=900
        )
        if check and done.returncode != 0:
            raise AssertionError(f"{args} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return done

    def command(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run("-m", "deskpilkada", *args, check=check)

    def json(self, module: str, *args: str) -> dict:
        return json.loads(self.run("-m", module, *args).stdout.strip().splitlines()[-1])

    def wipe(self) -> None:
        """Nothing left of the desk: the database and the uploaded files gone."""
        if self.pg_name:
            pg(f"DROP DATABASE {self.pg_name} WITH (FORCE)")
            pg(f"CREATE DATABASE {self.pg_name}")
        else:
            for path in self.var.glob("deskpilkada.sqlite3*"):
                path.unlink()
        shutil.rmtree(self.var / "media", ignore_errors=True)

    def terminate_connections(self) -> int:
        """Every server connection to the desk's own database cut, as a PostgreSQL restart would."""
        rows = pg(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (self.pg_name,),
        )
        return len(rows)

    @contextmanager
    def server(self):
        """granian (one worker) on a free port: yields (base URL, the process)."""
        port = free_port()
        granian = shutil.which("granian", path=str(Path(sys.executable).parent)) or "granian"
        options = ["--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
        proc = subprocess.Popen(  # noqa: S603 (the venv's granian, our arguments)
            [granian, *options, "--no-access-log", "deskpilkada.wsgi:application"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/api/v1/", timeout=2)  # noqa: S310 (loopback)
                    break
                except OSError:
                    if proc.poll() is not None:
                        raise AssertionError("the server did not start") from None
                    time.sleep(0.2)
            yield base, proc
        finally:
            kill(proc)

    def close(self) -> None:
        if self.pg_name:
            pg(f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)")


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL to the server and its workers: no shutdown, no flush, as a power cut."""
    if proc.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)


# --- inside the desk's own process -------------------------------------------------------------


def _world(extra: int) -> dict:
    from deskpilkada import testing
    from deskpilkada.accounts.actions import create_api_token
    from deskpilkada.elections.models import Contest
    from deskpilkada.tps.models import Tps

    testing.build_world()
    for number in range(100, 100 + extra):
        testing.make_tps("32.71.06.1002", number)
    _token, raw = create_api_token(by=None, user=testing.operator(), name="uji")
    pairs = [
        (t.code, c.code, t.dpt)
        for t in Tps.objects.order_by("code")
        for c in Contest.objects.order_by("code")
        if t.code.startswith(c.region.code.replace(".", ""))
    ]
    return {"token": raw, "pairs": pairs}


def _check() -> dict:
    """What a fault may leave half-written: a sheet whose latest version is missing, a version without
    its votes, votes of no version; and the counts."""
    from django.db.models import Count

    from deskpilkada.tally.models import SheetVersion, TallySheet

    versions = SheetVersion.objects.annotate(n=Count("votes")).select_related("sheet__contest")
    without_votes = [v.pk for v in versions if v.n != v.sheet.contest.candidates.count()]
    return {
        "sheets": {
            f"{s.tps.code}:{s.contest.code}": [s.latest.hash, s.version_count] if s.latest else None
            for s in TallySheet.objects.select_related("tps", "contest", "latest")
        },
        "versions": SheetVersion.objects.count(),
        "sheets_without_latest": TallySheet.objects.filter(latest__isnull=True).count(),
        "versions_without_votes": without_votes,
    }


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "world":
        print(json.dumps(_world(int(sys.argv[2]))))
    elif sys.argv[1] == "check":
        print(json.dumps(_check()))
