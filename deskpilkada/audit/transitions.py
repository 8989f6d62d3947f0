"""Status transitions with their history: one mechanism for every register with a status.

A model declares its statuses (a `TextChoices` field) and the allowed steps as data::

    class Case(models.Model):
        class Status(models.TextChoices): ...
        status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
        STATUS_STEPS = {"received": {"checking"}, "checking": {"hoax", "not_hoax"}, ...}

`transition(obj, to, by=..., note=...)` locks the row, refuses a step that is not allowed (the
message names the current status), saves the status with `update_fields` and writes the audit
row `<app>.status_changed` (from, to, note, and the time of the step by the app's clock, which the
demo can fix: the audit log's own timestamps stay real) in the same transaction. The history of an
object is read back from the audit log (`history(obj)`): it is never kept twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models, transaction
from django.utils.translation import gettext as _

from deskpilkada import clock
from deskpilkada.audit.log import record
from deskpilkada.audit.models import AuditEntry


class TransitionRefused(ValueError):
    """A step the model's STATUS_STEPS do not allow; the message says why, in Indonesian."""


def _field(model: type[models.Model]) -> str:
    return getattr(model, "STATUS_FIELD", "status")


def _label(obj: models.Model, value: str) -> str:
    field = obj._meta.get_field(_field(type(obj)))
    choices = getattr(field, "flatchoices", None) or []
    return str(dict(choices).get(value, value))


def allowed_steps(obj: models.Model) -> list[str]:
    """The statuses `obj` may move to from where it is now."""
    steps: dict[str, set[str]] = type(obj).STATUS_STEPS  # type: ignore[attr-defined]
    return sorted(steps.get(getattr(obj, _field(type(obj))), set()))


def transition(obj: models.Model, to: str, *, by, note: str = "", also: dict | None = None) -> models.Model:
    """Move `obj` to status `to` if its declared steps allow it; `also` sets further fields in the same save
    (e.g. a closing date). Returns `obj`, updated."""
    model = type(obj)
    field = _field(model)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=obj.pk)
        before = getattr(current, field)
        if to == before:
            raise TransitionRefused(_("Status sudah «%(now)s».") % {"now": _label(obj, before)})
        if to not in model.STATUS_STEPS.get(before, set()):  # type: ignore[attr-defined]
            raise TransitionRefused(
                _("Dari status «%(now)s» tidak dapat berpindah ke «%(to)s».")
                % {"now": _label(obj, before), "to": _label(obj, to)}
            )
        fields = {field: to, **(also or {})}
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save(update_fields=list(fields))
        record(
            f"{model._meta.app_label}.status_changed",
            by=by,
            target=obj,
            before={"status": before},
            after={"status": to, "note": note, "at": clock.now().isoformat()},
        )
    return obj


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    by: str
    before: str
    after: str
    note: str


def _at(entry: AuditEntry) -> dt.datetime:
    """When the step happened by the app's clock (recorded with it), else the audit row's own time."""
    recorded = (entry.after or {}).get("at")
    return dt.datetime.fromisoformat(recorded) if recorded else entry.at


def history(obj: models.Model) -> list[Step]:
    """The object's status changes, oldest first, read from the audit log."""
    rows = (
        AuditEntry.objects.for_target(obj).filter(action=f"{obj._meta.app_label}.status_changed").order_by("at", "id")
    )
    return [
        Step(
            _at(e),
            e.actor_name,
            (e.before or {}).get("status", ""),
            (e.after or {}).get("status", ""),
            (e.after or {}).get("note", ""),
        )
        for e in rows
    ]


def entered_at(obj: models.Model, status: str) -> dt.datetime | None:
    """When `obj` last entered `status` (for deadlines counted from a status change)."""
    entry = (
        AuditEntry.objects.for_target(obj)
        .filter(action=f"{obj._meta.app_label}.status_changed", after__status=status)
        .order_by("-at", "-id")
        .first()
    )
    return _at(entry) if entry else None
