"""The deadlines of a case, from rules kept as data per election (elections.DeadlineRule, subject
"cases.case"), installed with their defaults the first time an election takes a case:

- Bawaslu's cases (fraud, ASN): registered within 7 days of becoming known; followed up within 3
  days of registration, 2 more when more information was requested (Perbawaslu 8/2020, 9/2020);
- every other category: a first response by severity (critical 2 h, high 12 h, medium 24 h, low
  72 h from becoming known, or from reopening).

A report grouped with an earlier one (similarity.py) is a sighting of it and has no deadline of
its own: the group's first case carries them.

`deadlines(case)` lists them with their state; `refresh(case)` puts the one still pending on the
case's Deadlined fields (not saved: the calling action saves the returned fields), so that the
shared periodic check (`check_deadlines`) warns and notes it overdue once each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from deskpilkada import clock
from deskpilkada.elections.deadlines import Deadlined
from deskpilkada.elections.models import DeadlineRule, Election

SUBJECT = "cases.case"
BAWASLU = ("fraud", "asn")
A, U = DeadlineRule.Anchor, DeadlineRule.Unit
DEFAULT_RULES = (
    # code, name, anchor, status, amount, unit, warn hours
    ("registrasi", _("Registrasi laporan/temuan (7 hari sejak diketahui)"), A.EVENT, "", 7, U.DAYS, 48),
    ("tindak-lanjut", _("Tindak lanjut (3 hari sejak registrasi)"), A.STATUS, "verified", 3, U.DAYS, 24),
    ("tambahan", _("Tambahan bila keterangan diminta"), A.STATUS, "verified", 2, U.DAYS, 24),
    ("respons-critical", _("Respons kasus kritis"), A.EVENT, "", 2, U.HOURS, 1),
    ("respons-high", _("Respons kasus tinggi"), A.EVENT, "", 12, U.HOURS, 3),
    ("respons-medium", _("Respons kasus sedang"), A.EVENT, "", 24, U.HOURS, 6),
    ("respons-low", _("Respons kasus rendah"), A.EVENT, "", 72, U.HOURS, 12),
)

PENDING, DUE_SOON, OVERDUE, MET, MISSED, CANCELLED = "pending", "due_soon", "overdue", "met", "missed", "cancelled"
STATE_LABELS = {
    PENDING: _("berjalan"),
    DUE_SOON: _("segera"),
    OVERDUE: _("lewat tenggat"),
    MET: _("terpenuhi"),
    MISSED: _("terlambat dipenuhi"),
    CANCELLED: _("tidak berlaku lagi"),
}


def rules(election: Election) -> dict[str, DeadlineRule]:
    """The election's case rules by code, the defaults written the first time (then kept as data)."""
    found = {r.code: r for r in DeadlineRule.objects.filter(election=election, subject=SUBJECT)}
    missing = [r for r in DEFAULT_RULES if r[0] not in found]
    for code, name, anchor, status, amount, unit, warn in missing:
        found[code] = DeadlineRule.objects.create(
            election=election,
            subject=SUBJECT,
            code=code,
            name=str(name),
            anchor=anchor,
            status=status,
            amount=amount,
            unit=unit,
            warn_hours=warn,
        )
    return found


@dataclass(frozen=True)
class Deadline:
    kind: str  # the rule's code, e.g. "tindak-lanjut"
    name: str
    due_at: dt.datetime
    warn_at: dt.datetime
    state: str
    rule: str  # the rule in words

    def as_api(self) -> dict:
        return {"kind": self.kind, "due_at": self.due_at, "state": self.state}


def _state(case, due: dt.datetime, warn: dt.datetime, done: dt.datetime | None, now: dt.datetime) -> str:
    if done is not None:
        return MET if done <= due else MISSED
    if not case.is_open:
        return CANCELLED
    if now >= due:
        return OVERDUE
    return DUE_SOON if now >= warn else PENDING


def deadlines(case, *, at: dt.datetime | None = None, table: dict[str, DeadlineRule] | None = None) -> list[Deadline]:
    if case.group_id:  # a sighting of another case: the group's first case carries the deadlines
        return []
    now = at or clock.now()
    table = table if table is not None else rules(case.election)
    out: list[Deadline] = []

    def add(code: str, start: dt.datetime, done: dt.datetime | None, extra: DeadlineRule | None = None) -> None:
        rule = table[code]
        due = start + rule.offset() + (extra.offset() if extra else dt.timedelta())
        warn = due - dt.timedelta(hours=rule.warn_hours)
        words = rule.describe() + (f" + {extra.describe()}" if extra else "")
        out.append(Deadline(code, rule.name, due, warn, _state(case, due, warn, done, now), words))

    if case.category in BAWASLU:
        add("registrasi", case.known_at, case.registered_at)
        if case.registered_at:
            add("tindak-lanjut", case.registered_at, case.acted_at, table["tambahan"] if case.info_requested else None)
    else:
        start = case.reopened_at or case.known_at
        add(f"respons-{case.severity}", start, case.responded_at)
    return out


def refresh(case) -> list[str]:
    """Put the case's pending deadline (if any) on its Deadlined fields; the fields to save.
    The notices already sent stay marked while the same deadline stands."""
    pending = [d for d in deadlines(case) if d.state in (PENDING, DUE_SOON, OVERDUE)]
    if not pending:
        case.due_at = case.warn_at = None
        case.deadline_name = ""
        return Deadlined.DEADLINE_FIELDS
    first = pending[0]
    if (case.due_at, case.deadline_name) != (first.due_at, first.name):
        case.warned_at = case.overdue_noted_at = None
    case.due_at, case.warn_at, case.deadline_name = first.due_at, first.warn_at, first.name
    return Deadlined.DEADLINE_FIELDS
