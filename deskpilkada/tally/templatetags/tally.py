from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from deskpilkada.tally import rules

register = template.Library()


@register.filter
def problems(stored: list[dict]) -> list[dict]:
    """A version's stored problems as shown: each with its field's label and its message in the
    reader's language and number format."""
    return rules.described(stored or [])


@register.simple_tag
def rule_messages() -> SafeString:
    """The counting rules' messages in the active language, as JSON for the form's own check
    (tally-form.js), so that the browser and the server say the same words."""
    messages = {rule: _(text) for rule, text in rules.RULES.items()}
    messages["whole"] = _("Isi dengan bilangan bulat.")
    return json_script(messages, "rule-messages")


@register.filter
def differences(diffs: list[dict], contest) -> list[dict]:
    """A second entry's differences from the first, each with the label users know: "Suara sah",
    "Paslon 1 (Sendi Fardiansyah – Melli Darsa)"."""
    names = getattr(contest, "_paslon_names", None)
    if names is None:
        names = {c.number: f"{c.head_name} – {c.deputy_name}" for c in contest.candidates.all()}
        contest._paslon_names = names
    return [{**d, "label": rules.label(d["field"], names)} for d in diffs or []]
