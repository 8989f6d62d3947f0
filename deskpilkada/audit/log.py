"""Writing to the audit log. Every audited action calls `record` inside its transaction."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from deskpilkada.audit import chain
from deskpilkada.audit.models import AuditEntry

SECRET_FIELDS = {"password", "token", "token_hash", "key", "nik", "nkk", "nik_hash", "nkk_hash"}
MASK = "***"

M = TypeVar("M", bound=models.Model)

# The client address of the request being served, set by the middleware.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_ip", default=None)


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: (MASK if k in SECRET_FIELDS else _plain(v)) for k, v in value.items()}
    return value


def snapshot(obj: models.Model | None, fields: Iterable[str] | None = None) -> dict | None:
    """The audited state of `obj`: its concrete fields, secrets masked."""
    if obj is None:
        return None
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: (MASK if name in SECRET_FIELDS else _plain(getattr(obj, name))) for name in names}


# The region widths of an undotted code: province, kabupaten/kota, kecamatan, kelurahan, TPS.
AREA_WIDTHS = (2, 4, 6, 10, 13)
# Foreign keys through which an audited row belongs to an area, tried in order.
AREA_LINKS = ("tps", "kelurahan", "region", "sheet", "contest", "election", "user")


def common_area(codes: Iterable[str]) -> str:
    """The smallest area holding all these undotted codes ("" when they share no province)."""
    codes = [c for c in codes if c]
    if not codes:
        return ""
    shared = min(codes, key=len)
    for code in codes:
        while not code.startswith(shared):
            shared = shared[:-1]
    return max((shared[:w] for w in AREA_WIDTHS if w <= len(shared)), key=len, default="")


def area_of(obj: Any) -> str:
    """The undotted code of the area an audited object belongs to, or "".

    A model may say it itself with `audit_area()`; otherwise its TPS, kelurahan, region, sheet,
    contest, election or user is asked, in that order."""
    if obj is None:
        return ""
    if hasattr(obj, "audit_area"):
        return obj.audit_area()
    names = {f.name for f in obj._meta.concrete_fields}
    for link in AREA_LINKS:
        if link in names and getattr(obj, f"{link}_id", None) is not None:
            return area_of(getattr(obj, link))
    return ""


def record(
    action: str,
    *,
    by,
    target: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    target_repr: str = "",
    area: str | None = None,
) -> AuditEntry:
    """One audit row. Its area is the target's, else the actor's (an import of many rows), unless given."""
    entry = build_entry(action, by=by, target=target, before=before, after=after, target_repr=target_repr, area=area)
    with transaction.atomic(savepoint=False):
        _chain([entry], chain.lock_head())
        entry.save(force_insert=True)
    return entry


def build_entry(
    action: str,
    *,
    by,
    target: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    target_repr: str = "",
    area: str | None = None,
) -> AuditEntry:
    """The row `record` writes, not yet chained nor saved (for `record_entries`)."""
    actor = by if getattr(by, "pk", None) else None
    if area is None:
        area = area_of(target) or area_of(actor)
    return AuditEntry(
        area=area,
        actor=actor,
        actor_name=(by.get_username() if actor else (str(by) if by else "sistem"))[:150],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=(target_repr or (str(target) if target is not None else ""))[:200],
        before=_plain(before) if before else before,
        after=_plain(after) if after else after,
        ip=current_ip.get(),
    )


def record_entries(entries: Sequence[AuditEntry]) -> None:
    """Rows of `build_entry`, each with its own action, chained in order and written in one statement
    (a batch of C.Hasil: one row per sheet, one lock of the chain head for all)."""
    if not entries:
        return
    with transaction.atomic(savepoint=False):
        _chain(entries, chain.lock_head())
        AuditEntry.objects.bulk_create(entries, batch_size=1000)


_IP = AuditEntry._meta.get_field("ip")


def _chain(entries: Sequence[AuditEntry], prev: str) -> None:
    """Give each entry its time and its link in the hash chain, after `prev` (the locked head)."""
    now = timezone.now()
    for entry in entries:
        entry.at = now
        values = {name: getattr(entry, name) for name in chain.COLUMNS}
        values["before"], values["after"] = chain.stored_json(entry.before), chain.stored_json(entry.after)
        values["ip"] = _IP.get_prep_value(entry.ip)
        entry.prev_hash = prev
        entry.hash = prev = chain.entry_hash(prev, values)


def changes(before: dict | None, after: dict | None) -> tuple[dict, dict]:
    """Only the fields that changed, for a compact before/after pair."""
    before, after = before or {}, after or {}
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def upsert(model: type[M], lookup: dict, values: dict, *, by, action: str) -> M:
    """The row matching `lookup`, created with `values` or updated to them, audited as
    `<action>_created` (its snapshot) or `<action>_updated` (only the fields that changed; nothing
    is written or recorded when none did). Runs inside the caller's transaction."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values)
        record(f"{action}_created", by=by, target=obj, after=snapshot(obj))
        return obj
    before = snapshot(obj)
    for k, v in values.items():
        setattr(obj, k, v)
    b, a = changes(before, snapshot(obj))
    if a:
        obj.save(update_fields=list(values))
        record(f"{action}_updated", by=by, target=obj, before=b, after=a)
    return obj


def record_many(action: str, *, by, items: Sequence[tuple[models.Model, dict | None, dict | None]]) -> None:
    """One audit row per (target, before, after), written in one statement (imports)."""
    actor = by if getattr(by, "pk", None) else None
    name = (by.get_username() if actor else "sistem")[:150]
    ip = current_ip.get()
    entries = [
        AuditEntry(
            area=area_of(obj),
            actor=actor,
            actor_name=name,
            action=action,
            target_type=obj._meta.label_lower,
            target_id=str(obj.pk),
            target_repr=str(obj)[:200],
            before=_plain(before) if before else before,
            after=_plain(after) if after else after,
            ip=ip,
        )
        for obj, before, after in items
    ]
    record_entries(entries)
