"""The hash chain of the audit log: each entry carries the hash of the one before it.

An entry's hash is SHA-256 over the previous entry's hash and the entry's canonical content (its
time, actor, action, target, before and after, client address and area), so an entry edited,
deleted or slipped in behind the app's back breaks the chain at that point; `verify()` names the
first broken link (`deskpilkada verify_audit_chain`).

The head of the chain (the newest entry's id and hash) is one row of `AuditChainHead`. A writer
locks it (`SELECT … FOR UPDATE` on PostgreSQL; SQLite writers are serialised by the database), so
two transactions writing audit rows at once never fork the chain; a database trigger moves the
head on every insert, so the write costs one statement more than before. The head also shows a
deleted tail: the newest remaining entry is then not the head.

Like the C.Hasil chain, the hashes alone prove nothing against someone who rewrites the table and
recomputes every hash: write down the head hash the command prints (a rakor's minutes, a
Bawaslu officer's notebook) and hold it to the log later with `--against`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

GENESIS = hashlib.sha256(b"deskpilkada-audit-genesis").hexdigest()

# True while Django's `flush` empties the tables (management/commands/flush.py): the one DELETE of
# audit rows the SQLite trigger lets through.
FLUSHING = False

# The columns an entry's hash covers, in this order.
COLUMNS = (
    "at",
    "actor_id",
    "actor_name",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "before",
    "after",
    "ip",
    "area",
)


def _at(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def stored_json(value: Any) -> Any:
    """A JSON value as the database hands it back (what the hash must cover)."""
    return None if value is None else json.loads(json.dumps(value))


def entry_hash(prev_hash: str, values: dict[str, Any]) -> str:
    content = json.dumps(
        {**{k: values[k] for k in COLUMNS}, "at": _at(values["at"])},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256((prev_hash + content).encode()).hexdigest()


def lock_head() -> str:
    """The hash of the newest entry, the head row locked until the transaction ends (one statement)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT hash FROM audit_auditchainhead WHERE id = 1{lock}")  # noqa: S608 (constant)
        row = cursor.fetchone()
        if row is not None:
            return row[0]
        # No head (an emptied database, e.g. after a test flush): the chain starts again.
        cursor.execute(
            "INSERT INTO audit_auditchainhead (id, entry_id, hash) VALUES (1, 0, %s) ON CONFLICT DO NOTHING", [GENESIS]
        )
        cursor.execute(f"SELECT hash FROM audit_auditchainhead WHERE id = 1{lock}")  # noqa: S608 (constant)
        return cursor.fetchone()[0]


def head() -> tuple[int, str]:
    """(id, hash) of the newest entry as the head row says; (0, GENESIS) before the first entry."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT entry_id, hash FROM audit_auditchainhead WHERE id = 1")
        row = cursor.fetchone()
    return (int(row[0]), row[1]) if row else (0, GENESIS)


@dataclass
class Check:
    checked: int
    broken: str | None  # the first broken link, in words, or None
    head_id: int
    head_hash: str
    seen_against: bool | None = None  # whether the `against` hash is in the chain (None: not asked)

    @property
    def ok(self) -> bool:
        return self.broken is None and self.seen_against is not False


def _rows(chunk: int = 2000) -> Iterator[tuple]:
    """Every entry in id order, in chunks by id (a server-side cursor is not needed)."""
    from deskpilkada.audit.models import AuditEntry

    last = 0
    fields = ("id", "prev_hash", "hash", *COLUMNS)
    while True:
        rows = list(AuditEntry.objects.filter(pk__gt=last).order_by("pk").values_list(*fields)[:chunk])
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def _where(pk: int, values: dict[str, Any]) -> str:
    return _("catatan audit #%(id)d (%(at)s, %(action)s)") % {
        "id": pk,
        "at": _at(values["at"]),
        "action": values["action"],
    }


def verify(rows: Iterable[tuple] | None = None, *, against: str = "") -> Check:
    """Recompute every entry's hash in id order; the first broken link, named by the entry."""
    prev, prev_id, checked = GENESIS, 0, 0
    seen = against == GENESIS if against else None
    for row in rows if rows is not None else _rows():
        pk, prev_hash, stored = row[0], row[1], row[2]
        values = dict(zip(COLUMNS, row[3:], strict=True))
        where = _where(pk, values)
        if prev_hash != prev:
            broken = (
                _(
                    "%(w)s: hash sebelumnya tidak cocok dengan catatan #%(p)d — ada catatan yang dihapus atau "
                    "disisipkan di antaranya"
                )
                % {"w": where, "p": prev_id}
                if prev_id
                else _("%(w)s: bukan awal rantai — ada catatan sebelumnya yang dihapus") % {"w": where}
            )
            return Check(checked, broken, *head())
        if entry_hash(prev, values) != stored:
            return Check(checked, _("%(w)s: isinya diubah setelah dicatat") % {"w": where}, *head())
        prev, prev_id = stored, pk
        checked += 1
        if against and stored == against:
            seen = True
    head_id, head_hash = head()
    if (head_id, head_hash) != (prev_id, prev):
        broken = _(
            "ujung rantai menunjuk catatan #%(h)d, padahal catatan terakhir #%(l)d — catatan terakhir dihapus atau "
            "disisipkan di luar aplikasi"
        ) % {"h": head_id, "l": prev_id}
        return Check(checked, broken, head_id, head_hash, seen)
    return Check(checked, None, head_id, head_hash, seen)
