import json

from django import forms
from django.utils.translation import gettext_lazy as _

from deskpilkada.forms import StyledForm


class SirekapIdsForm(StyledForm, forms.Form):
    """One Sirekap id per paslon of the contest; `expected` is the mapping the form showed."""

    expected = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, candidates, **kwargs):
        self.candidates = list(candidates)
        super().__init__(*args, **kwargs)
        for c in self.candidates:
            self.fields[f"paslon_{c.number}"] = forms.RegexField(
                label=_("%(n)d. %(h)s – %(d)s") % {"n": c.number, "h": c.head_name, "d": c.deputy_name},
                regex=r"^\d{1,20}$",
                required=False,
                max_length=20,
                error_messages={"invalid": _("Hanya angka (id paslon di Sirekap), paling banyak 20.")},
            )
        # StyledForm styled the fields made before; style these too.
        for c in self.candidates:
            self.fields[f"paslon_{c.number}"].widget.attrs.update({"class": "form-control", "inputmode": "numeric"})

    def clean_expected(self):
        try:
            value = json.loads(self.cleaned_data["expected"] or "{}")
        except ValueError:
            value = None
        return value if isinstance(value, dict) else None

    def clean(self):
        data = super().clean() or {}
        seen: dict[str, int] = {}
        for c in self.candidates:
            sid = (data.get(f"paslon_{c.number}") or "").strip()
            if sid and sid in seen:
                self.add_error(f"paslon_{c.number}", _("Id ini sudah dipakai untuk paslon %(n)d.") % {"n": seen[sid]})
            elif sid:
                seen[sid] = c.number
        return data

    def ids(self) -> dict[int, str]:
        return {c.number: self.cleaned_data.get(f"paslon_{c.number}") or "" for c in self.candidates}
