"""Public intake, shared by the form at /lapor/ and POST /api/v1/reports: the per-client limit, the
tracking code as a reporter types it, and what the public may see of its own case."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import ngettext

from deskpilkada import ratelimit
from deskpilkada.audit.transitions import history
from deskpilkada.cases.models import TRACKING_ALPHABET, TRACKING_LENGTH, Case


def wait_seconds(client: str) -> int:
    """0 if this client may report now, else the seconds until it may (counted across processes)."""
    return ratelimit.hit(f"lapor:{client}", limit=settings.CASE_REPORT_LIMIT, window=settings.CASE_REPORT_WINDOW)


def too_many_message(seconds: int) -> str:
    return ngettext(
        "Terlalu banyak laporan dari perangkat ini. Coba lagi dalam %(n)d detik.",
        "Terlalu banyak laporan dari perangkat ini. Coba lagi dalam %(n)d detik.",
        seconds,
    ) % {"n": seconds}


def clean_code(raw: str) -> str | None:
    """The tracking code as typed (spaces, dashes, lower case allowed), or None if it cannot be one."""
    code = "".join(ch for ch in (raw or "").upper() if ch not in " -")
    if len(code) != TRACKING_LENGTH or any(ch not in TRACKING_ALPHABET for ch in code):
        return None
    return code


def find_by_code(raw: str) -> Case | None:
    code = clean_code(raw)
    return Case.objects.filter(tracking_code=code).first() if code else None


def public_status(case: Case) -> dict:
    """What the reporter may see: the status and when it changed, never a name, contact, assignee or note.
    A report grouped with an earlier one (a sighting) is handled as that case: while nobody has handled
    the sighting itself, the reporter follows the group's first case (its statuses and times only)."""
    followed = case.group if case.group_id and case.status == Case.Status.NEW and case.group else case
    steps = [{"status": case.Status.NEW.value, "at": case.created_at}]
    steps += [{"status": s.after, "at": s.at} for s in history(followed) if s.at >= case.created_at]
    return {
        "tracking_code": case.tracking_code,
        "category": case.category,
        "status": followed.status,
        "updated_at": max(case.updated_at, followed.updated_at),
        "history": steps,
    }
