"""Deadlines: a due date on any record, computed from rules kept as data per election
(`elections.DeadlineRule`), the QuerySet questions `due_soon()` and `overdue()`, and the one
periodic check that notifies what is about to be or became overdue.

A register gets deadlines by inheriting `Deadlined` (its fields and QuerySet), saying which users
hear about them (`DEADLINE_CAP`, the capability of those who handle the record, reached through
its area) — or naming a function `DEADLINE_RECIPIENTS(obj) -> users` when one capability cannot say
it — and calling `apply_rule(obj, rule)` in its actions when the anchor is known. Records
anchored on an event expose `event_at`; a record whose status is in `DEADLINE_CLOSED` needs
nothing more (`clear_deadline`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deskpilkada import clock
from deskpilkada.audit.log import area_of
from deskpilkada.audit.transitions import entered_at
from deskpilkada.elections.models import DeadlineRule, Election
from deskpilkada.notifications.actions import notify


class DeadlineQuerySet(models.QuerySet):
    def pending(self) -> DeadlineQuerySet:
        return self.filter(due_at__isnull=False)

    def due_soon(self, at: dt.datetime | None = None) -> DeadlineQuerySet:
        """Inside their warning window, not yet overdue."""
        at = at or clock.now()
        return self.pending().filter(warn_at__lte=at, due_at__gt=at)

    def overdue(self, at: dt.datetime | None = None) -> DeadlineQuerySet:
        return self.pending().filter(due_at__lte=at or clock.now())


class Deadlined(models.Model):
    """Fields of a record with a deadline. `due_at` is None once nothing is due."""

    due_at = models.DateTimeField(gettext_lazy("tenggat"), null=True, blank=True, db_index=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    deadline_name = models.CharField(gettext_lazy("tenggat untuk"), max_length=160, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)  # the "due soon" notice went out
    overdue_noted_at = models.DateTimeField(null=True, blank=True)  # the "overdue" notice went out

    DEADLINE_FIELDS = ["due_at", "warn_at", "deadline_name", "warned_at", "overdue_noted_at"]

    class Meta:
        abstract = True


def rule_for(election: Election, subject: str, code: str) -> DeadlineRule | None:
    return DeadlineRule.objects.filter(election=election, subject=subject, code=code).first()


def due_from(rule: DeadlineRule, obj: models.Model, *, at: dt.datetime | None = None) -> dt.datetime | None:
    """When `obj` is due under `rule`; None when the anchor is not known yet."""
    if rule.anchor == DeadlineRule.Anchor.VOTING_DAY:
        start = dt.datetime.combine(rule.election.voting_date, dt.time(0, 0))
        return timezone.make_aware(start) + rule.offset()
    if rule.anchor == DeadlineRule.Anchor.EVENT:
        anchor = getattr(obj, "event_at", None)
    else:
        anchor = at if at is not None else entered_at(obj, rule.status)
    return anchor + rule.offset() if anchor else None


def apply_rule(obj: Deadlined, rule: DeadlineRule, *, at: dt.datetime | None = None) -> list[str]:
    """Set `obj`'s deadline from `rule` (not saved: the calling action saves the returned fields and
    audits them). `at` is the anchor time when the action itself is the anchor (a status just entered)."""
    due = due_from(rule, obj, at=at)
    obj.due_at = due
    obj.warn_at = due - dt.timedelta(hours=rule.warn_hours) if due else None
    obj.deadline_name = rule.name
    obj.warned_at = obj.overdue_noted_at = None
    return Deadlined.DEADLINE_FIELDS


def clear_deadline(obj: Deadlined) -> list[str]:
    obj.due_at = obj.warn_at = None
    obj.deadline_name = ""
    return Deadlined.DEADLINE_FIELDS


@dataclass
class CheckResult:
    warned: int = 0
    overdue: int = 0
    by_model: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"warned": self.warned, "overdue": self.overdue, "by_model": self.by_model}


def deadlined_models() -> list[type[Deadlined]]:
    return [m for m in apps.get_models() if issubclass(m, Deadlined)]


def check_deadlines(at: dt.datetime | None = None, models: list[type[Deadlined]] | None = None) -> CheckResult:
    """The periodic check: notify, once each, the records that became due soon or overdue."""
    at = at or clock.now()
    result = CheckResult()
    for model in models if models is not None else deadlined_models():
        label = model._meta.label_lower
        manager = model._default_manager
        cap = getattr(model, "DEADLINE_CAP", None)
        recipients = getattr(model, "DEADLINE_RECIPIENTS", None)
        people = import_string(recipients) if recipients else None
        for kind, rows, mark in (
            ("deadline.due_soon", manager.due_soon(at).filter(warned_at__isnull=True), "warned_at"),  # type: ignore[attr-defined]
            ("deadline.overdue", manager.overdue(at).filter(overdue_noted_at__isnull=True), "overdue_noted_at"),  # type: ignore[attr-defined]
        ):
            for obj in rows.iterator():
                with transaction.atomic():
                    if not manager.filter(pk=obj.pk, **{f"{mark}__isnull": True}).update(**{mark: at}):
                        continue  # another check got there first
                    title = (
                        _("Tenggat segera: %(what)s — %(obj)s")
                        if kind == "deadline.due_soon"
                        else _("Lewat tenggat: %(what)s — %(obj)s")
                    ) % {"what": obj.deadline_name, "obj": obj}
                    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
                    if people is not None:
                        notify(kind=kind, title=title, url=url, target=obj, users=people(obj))
                    else:
                        notify(kind=kind, title=title, url=url, target=obj, cap=cap, area=area_of(obj) or None)
                if kind == "deadline.due_soon":
                    result.warned += 1
                else:
                    result.overdue += 1
                result.by_model[label] = result.by_model.get(label, 0) + 1
    return result
