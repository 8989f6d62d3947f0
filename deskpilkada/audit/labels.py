"""What the audit log says to its readers: each action by its label ("TPS dibuat", not
`tps.created`), each changed field by the label users know ("DPT laki-laki", not `dpt_male`) and
each value in words and in the reader's number format ("tidak", not `False`; "1.530").

Every app names its own actions, and the fields of its entries that are no model field, on its
AppConfig (the core imports no point's app):

    audit_actions = {"tps.created": _("TPS dibuat"), …}
    audit_fields = {"figures": _("Angka C.Hasil"), …}
    def audit_value(self, key, value) -> str | None: …   # optional: a code said as its name

A model field is labelled by its verbose name, a choice by its label, a foreign key by the row it
names. An action or a field nobody labels shows its code, and the audit app's tests fail.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from deskpilkada import numbers

# Bookkeeping the reader does not need: the row's id, its optimistic-lock counter, its own times.
HIDDEN = {"id", "version", "created_at", "updated_at"}
# Audit fields only the desk admin reads (with the client addresses).
PRIVATE = {"hint"}


@cache
def _registry() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    actions: dict[str, Any] = {}
    fields: dict[str, dict[str, Any]] = {}
    for config in apps.get_app_configs():
        actions.update(getattr(config, "audit_actions", {}))
        fields[config.label] = dict(getattr(config, "audit_fields", {}))
    return actions, fields


def known_actions() -> dict[str, Any]:
    """Every labelled action: {code: label}."""
    return dict(_registry()[0])


def action_label(code: str) -> str:
    label = _registry()[0].get(code)
    return str(label) if label is not None else code


def _app(code: str) -> str:
    return code.split(".", 1)[0]


def _model(target_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(target_type) if target_type else None
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    """The model's own field of that name or column (`kelurahan_id`); a reverse relation is none."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
        if isinstance(field, models.Field) and field.concrete:
            return field
    except FieldDoesNotExist:
        pass
    return next((f for f in model._meta.concrete_fields if f.attname == key), None)


class Entry:
    """One audit entry as its readers see it: the action's label and its changes in words."""

    def __init__(self, entry, show_private: bool = False, rows: dict | None = None) -> None:
        self.entry = entry
        self.rows = {} if rows is None else rows  # foreign keys' rows already read, shared by a page
        self.app = _app(entry.action)
        self.model = _model(entry.target_type)
        self.show_private = show_private
        self.config = next((c for c in apps.get_app_configs() if c.label == self.app), None)

    @property
    def action(self) -> str:
        return action_label(self.entry.action)

    @property
    def only_after(self) -> bool:
        """Nothing before (a row created, an import's summary): its values are shown, not changes."""
        return not self.entry.before

    def label(self, key: str) -> str:
        own = _registry()[1].get(self.app, {})
        if key in own:
            return str(own[key])
        field = _field(self.model, key)
        if field is not None:
            return capfirst(str(field.verbose_name))
        for labels in _registry()[1].values():  # a key another app names (a TPS's "tps", a "region")
            if key in labels:
                return str(labels[key])
        return key

    def value(self, key: str, value: Any) -> str:
        say = getattr(self.config, "audit_value", None)
        said = say(key, value) if say is not None else None
        if said is not None:
            return said
        field = _field(self.model, key)
        if value is None or value == "" or value == [] or value == {}:
            return numbers.NONE
        if field is not None and field.choices and not isinstance(value, (list, dict)):
            return str(dict(field.flatchoices).get(value, value))
        if field is not None and field.is_relation and isinstance(field.related_model, type):
            return self._row(field.related_model, value)
        if isinstance(value, bool):
            return _("ya") if value else _("tidak")
        if isinstance(value, (int, float)):
            return numbers.number(value)
        if isinstance(value, str) and isinstance(field, (models.DateTimeField, models.DateField)):
            return _when(value)
        if isinstance(value, dict):
            if "message" in value:  # a stored problem: its message
                return str(value["message"])
            if {"field", "first", "second"} <= value.keys():  # a second entry's difference
                first, second = numbers.number(value["first"]), numbers.number(value["second"])
                return f"{self.label(value['field'])} {first} → {second}"
            return "; ".join(f"{self.label(k)} {self.value(k, v)}" for k, v in value.items())
        if isinstance(value, list):
            return "; ".join(self.value(key, v) for v in value)
        if isinstance(value, str) and field is None and _looks_like_number(value):
            return numbers.number(value)
        return str(value)

    def _row(self, model: type[models.Model], pk: Any) -> str:
        """A foreign key by the row it names (by its id, or by its code where the entry keeps the
        code: a region's "32.71.04"), each row read once per page."""
        key = (model._meta.label_lower, pk)
        if key not in self.rows:
            try:
                row = model._default_manager.filter(pk=pk).first()
            except (TypeError, ValueError, ValidationError):
                has_code = any(f.name == "code" for f in model._meta.concrete_fields)
                row = model._default_manager.filter(code=pk).first() if has_code else None
            self.rows[key] = str(row) if row is not None else str(pk)
        return self.rows[key]

    def changes(self) -> list[tuple[str, str, str]]:
        """(label, before, after) of each field the entry records, bookkeeping left out."""
        before, after = self.entry.before or {}, self.entry.after or {}
        if not isinstance(before, dict) or not isinstance(after, dict):
            return [("", self.value("", before), self.value("", after))]
        rows = []
        for key in dict.fromkeys([*after, *before]):
            if key in HIDDEN:
                continue
            if key in PRIVATE and not self.show_private:
                rows.append((self.label(key), "***", "***"))
                continue
            old = self.value(key, before[key]) if key in before else numbers.NONE
            new = self.value(key, after[key]) if key in after else numbers.NONE
            rows.append((self.label(key), old, new))
        return rows


def _looks_like_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and "e" not in text.lower() and text.lower() not in {"nan", "inf", "-inf", "infinity"}


def _when(text: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= 10:
        return formats.date_format(moment.date(), "j M Y")
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "j M Y H:i")
