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
from django.db import connection, transaction
from django.db.models import F
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deskpilkada import clock, ratelimit
from deskpilkada.api_errors import error_response
from deskpilkada.elections.models import Election
from deskpilkada.memo import ProcessCache
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Relocation, Tps
from deskpilkada.voters import keys
from deskpilkada.voters.actions import parse_date
from deskpilkada.voters.models import LookupDay, Voter
from deskpilkada.writelock import serialized_writes

DUMMY = "0" * 32


def answer(client: str, nik: str, confirm: str) -> JsonResponse:
    """The answer of GET /api/v1/voters/lookup, for the API view and the fast path alike."""
    wait = wait_seconds(client)
    if wait:
        return error_response(429, too_many_message(wait), headers={"Retry-After": str(wait)})
    try:
        nik = keys.clean_number(nik, "NIK")
    except keys.InvalidNumber as exc:
        return error_response(422, str(exc), [{"field": "nik", "message": str(exc)}])
    election_id = _elections.get(("current", clock.today()), _current_election_id)
    found = find_voter_row(election_id, nik, confirm) if election_id else None
    if found is None:
        return error_response(
            404,
            _("Data tidak ditemukan. Cek di cekdptonline.kpu.go.id atau hubungi PPS."),
            headers={"Cache-Control": "no-store"},
        )
    tps_id, name_masked = found
    place = _places.get(tps_id, lambda: tps_place(tps_id))
    assert place is not None  # the voter's TPS exists (a foreign key)
    body = {**place["tps"], "name_masked": name_masked, "relocated": place["relocated"]}  # the answer's order
    return JsonResponse(body, headers={"Cache-Control": "no-store"})


# Held per process for 30 s (deskpilkada/memo.py; a change in this process drops them at once):
# the current election, and the public part of a TPS (code, number, address, kelurahan and
# kecamatan names, coordinates, its latest relocation).
_elections: ProcessCache = ProcessCache(30, Election)
_places: ProcessCache = ProcessCache(30, Tps, Relocation, Region)


def _current_election_id() -> int | None:
    election = Election.objects.current()
    return election.pk if election else None


def tps_place(tps_id: int) -> dict:
    """What the look-up says about a TPS: the place, and its latest relocation."""
    tps = Tps.objects.select_related("kelurahan__parent").get(pk=tps_id)
    moved = tps.relocation()
    return {
        "tps": {
            "tps_code": tps.code,
            "tps_number": tps.number,
            "address": tps.address,
            "kelurahan": tps.kelurahan.name,
            "kecamatan": tps.kelurahan.parent.name if tps.kelurahan.parent else "",
            "lat": tps.lat,
            "lon": tps.lon,
        },
        "relocated": (
            {"from": moved.from_address, "at": moved.at.isoformat(), "reason": moved.reason} if moved else None
        ),
    }


def find_voter_row(election_id: int, nik: str, confirm: str) -> tuple[int, str] | None:
    """(TPS id, masked name) of the voter with this NIK (already clean) and confirmation, else
    None: one indexed read and the same keyed hashes whichever of the two is wrong."""
    confirm = (confirm or "").strip()
    try:
        given = keys.confirm_dob(nik, parse_date(confirm).isoformat())
        column = 1
    except ValueError:
        given = keys.confirm_name(nik, confirm)
        column = 2
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tps_id, confirm_dob, confirm_name, name_masked FROM voters_voter"
            " WHERE election_id = %s AND nik_hash = %s",
            [election_id, keys.nik_hash(nik)],
        )
        row = cursor.fetchone()
    expected = row[column] if row is not None else DUMMY
    ok = hmac.compare_digest(expected, given)
    note_lookup(found=bool(row is not None and ok))
    return (row[0], row[3]) if row is not None and ok else None


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
    with serialized_writes(), transaction.atomic():  # queued with the other writers (writelock.py)
        LookupDay.objects.get_or_create(day=day)
        LookupDay.objects.filter(day=day).update(lookups=F("lookups") + lookups, found=F("found") + hits)
