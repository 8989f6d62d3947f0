from django import template

from deskpilkada import numbers

register = template.Library()


@register.filter
def number(value, digits=None) -> str:
    """A number in the active language's format: 1530 -> "1.530" / "1,530"; `|number:1` -> "12,3"."""
    return numbers.number(value, None if digits is None else int(digits))


@register.filter
def percent(value, digits: int = 1) -> str:
    """A fraction (0.123) as a percentage in the active language's format ("12,3%")."""
    return numbers.percent(value, int(digits))


@register.simple_tag(takes_context=True)
def audit_entry(context, entry, show_private: bool = False):
    """`{% audit_entry e show_private as a %}`: the entry as its readers see it, `a.action` (the
    action's label) and `a.changes` ((label, before, after) in words); token hints only for readers
    who may see them (the desk admin). The rows its foreign keys name are read once per page."""
    from deskpilkada.audit.labels import Entry

    return Entry(entry, show_private, rows=context.render_context.setdefault("audit_rows", {}))


@register.filter
def draft_saved(message) -> str:
    """The key of the browser draft a message says was saved ("" for other messages)."""
    from deskpilkada.drafts import saved_key

    return saved_key(message)
