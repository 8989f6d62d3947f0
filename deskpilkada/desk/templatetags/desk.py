from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value, digits: int = 1) -> str:
    """A fraction (0.123) as a percentage in the active language's format ("12,3%")."""
    if value is None or value == "":
        return "—"
    return f"{number_format(float(value) * 100, int(digits))}%"


@register.filter
def audit_changes(entry, show_private: bool = False) -> list[tuple[str, object, object]]:
    """An audit entry's changed fields as (field, before, after) for display; token hints only for
    readers who may see them (the desk admin)."""
    before, after = entry.before or {}, entry.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", before, after)]
    keys = list(dict.fromkeys([*after, *before]))
    rows = [(k, before.get(k, "—") if before else "—", after.get(k, "—") if after else "—") for k in keys]
    if not show_private:
        rows = [(k, "***", "***") if k in PRIVATE_AUDIT_FIELDS else (k, old, new) for k, old, new in rows]
    return rows


# Audit fields only the desk admin reads (with the client addresses).
PRIVATE_AUDIT_FIELDS = {"hint"}


@register.filter
def draft_saved(message) -> str:
    """The key of the browser draft a message says was saved ("" for other messages)."""
    from deskpilkada.drafts import saved_key

    return saved_key(message)
