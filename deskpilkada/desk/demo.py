"""The demo: real Kota Bogor regions and candidates, generated TPS, users, voters and a count.

Each app seeds its own part through its own actions (`<app>/demo.py`, `seed(now=..., say=...)`);
this module only calls them in order. The demo follows one clock: nothing in it happens after
`now` (by default `clock.now()`, i.e. `DESKPILKADA_DEMO_NOW`). Deterministic for a given clock and
idempotent: a second run writes nothing new. The clock a database was seeded for is kept in the
audit log (`desk.demo_seeded`), so that `seed_demo --rebuild` knows when to start again.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from deskpilkada import clock
from deskpilkada.accounts import demo as accounts
from deskpilkada.accounts.models import User
from deskpilkada.audit.log import record
from deskpilkada.audit.models import AuditEntry
from deskpilkada.cases import demo as cases
from deskpilkada.elections import demo as elections
from deskpilkada.health import demo as health
from deskpilkada.health import demo_voting as health_voting
from deskpilkada.logistics import demo as logistics
from deskpilkada.officers import demo as officers
from deskpilkada.outreach import demo as outreach
from deskpilkada.readiness import demo as readiness
from deskpilkada.regions import demo as regions
from deskpilkada.tally import demo as tally
from deskpilkada.tps import demo as tps
from deskpilkada.tps.models import Tps
from deskpilkada.voters import demo as voters

# In this order: each part needs only what the parts before it wrote.
PARTS = (
    regions,
    elections,
    health,
    tps,
    accounts,
    voters,
    outreach,
    tally,
    cases,
    readiness,
    logistics,
    officers,
    health_voting,
)
SEEDED = "desk.demo_seeded"
REAL_TIME = ""  # what is recorded for a demo that follows the real time


@transaction.atomic
def seed(*, now: dt.datetime | None = None, stdout=None) -> dict:
    def say(msg: str) -> None:
        if stdout:
            stdout.write(msg)

    fixed = now is not None or clock.is_fixed()
    now = now or clock.now()
    with clock.at(now):
        for part in PARTS:
            part.seed(now=now, say=say)
    record(SEEDED, by=None, target_repr="data demo", after={"clock": now.isoformat() if fixed else REAL_TIME})
    return {"tps": Tps.objects.count(), "now": now}


def seeded_for() -> str | None:
    """The clock of the demo in this database: an ISO time, REAL_TIME, "unknown" for a demo seeded
    before the clock was recorded, or None when the database holds no demo."""
    entry = AuditEntry.objects.filter(action=SEEDED).order_by("-id").first()
    if entry is not None:
        return (entry.after or {}).get("clock", "unknown")
    if User.objects.filter(username=accounts.USERS[0][0]).exists():
        return "unknown"
    return None


def same_clock(seeded: str, wanted: str) -> bool:
    if REAL_TIME in (seeded, wanted):
        return seeded == wanted
    try:
        return dt.datetime.fromisoformat(seeded) == dt.datetime.fromisoformat(wanted)
    except ValueError:
        return False


def logins_text() -> str:
    lines = [f"Login demo (kata sandi semua akun: {accounts.DEMO_PASSWORD}):"]
    for username, full_name, _org, role, area in accounts.USERS:
        lines.append(f"  {username:<20} {role:<15} {area:<15} {full_name}")
    nik, born = voters.demo_voter_example()
    lines.append(
        f"Cek TPS publik (/cek-tps/): NIK demo {nik}, tanggal lahir {born} (pemilih Kebon Pedes dibangkitkan)."
    )
    code = cases.demo_tracking_code()
    if code:
        lines.append(f"Status laporan publik (/lapor/status/): kode lacak demo {code}.")
    return "\n".join(lines)
