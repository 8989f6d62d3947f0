"""The public "where is my TPS" look-up: one voter per request, never a list, no enumeration.

A wrong NIK and a wrong confirmation get the same answer after the same work (one indexed read,
the same keyed hashes, a constant-time comparison). Requests are limited per client address,
across every server process; the daily count is a number only.
"""

from __future__ import annotations

import hmac
import threading
import time

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import ngettext

from deskpilkada import ratelimit
from deskpilkada.voters import keys
from deskpilkada.voters.actions import parse_date
from deskpilkada.voters.models import LookupDay, Voter

DUMMY = "0" * 32


def find_voter(election, nik: str, confirm: str) -> Voter | None:
    """`nik` as typed (keys.clean_number: InvalidNumber for anything but 16 digits)."""
    nik = keys.clean_number(nik, "NIK")
    confirm = (confirm or "").strip()
    try:
        given = keys.confirm_dob(nik, parse_date(confirm).isoformat())
        field = "confirm_dob"
    except ValueError:
        given = keys.confirm_name(nik, confirm)
        field = "confirm_name"
    voter = (
        Voter.objects.filter(election=election, nik_hash=keys.nik_hash(nik))
        .select_related("tps__kelurahan__parent")
        .first()
    )
    expected = getattr(voter, field) if voter is not None else DUMMY
    ok = hmac.compare_digest(expected, given)
    note_lookup(found=bool(voter is not None and ok))
    return voter if voter is not None and ok else None


def wait_seconds(client: str) -> int:
    """0 if this client may look up now, else the seconds until it may: at most VOTER_LOOKUP_LIMIT
    look-ups in a window of VOTER_LOOKUP_WINDOW seconds from its first one, counted across every
    server process (deskpilkada/ratelimit.py)."""
    return ratelimit.hit(f"lookup:{client}", limit=settings.VOTER_LOOKUP_LIMIT, window=settings.VOTER_LOOKUP_WINDOW)


def too_many_message(seconds: int) -> str:
    return ngettext(
        "Terlalu banyak pencarian dari perangkat ini. Coba lagi dalam %(n)d detik.",
        "Terlalu banyak pencarian dari perangkat ini. Coba lagi dalam %(n)d detik.",
        seconds,
    ) % {"n": seconds}


_pending: dict[str, float] = {"lookups": 0, "found": 0, "since": time.monotonic()}
_lock = threading.Lock()


def note_lookup(found: bool) -> None:
    """Counted in memory and written every 100 look-ups or 30 seconds: a write per look-up would
    make every public request a database write."""
    with _lock:
        _pending["lookups"] += 1
        _pending["found"] += int(found)
        due = _pending["lookups"] >= 100 or time.monotonic() - _pending["since"] > 30
        if not due:
            return
        lookups, hits = int(_pending["lookups"]), int(_pending["found"])
        _pending.update(lookups=0, found=0, since=time.monotonic())
    flush(lookups, hits)


def flush(lookups: int | None = None, hits: int | None = None) -> None:
    if lookups is None:
        with _lock:
            lookups, hits = int(_pending["lookups"]), int(_pending["found"])
            _pending.update(lookups=0, found=0, since=time.monotonic())
    if not lookups:
        return
    day = timezone.localdate()
    LookupDay.objects.get_or_create(day=day)
    LookupDay.objects.filter(day=day).update(lookups=F("lookups") + lookups, found=F("found") + hits)
