from django import forms
from django.utils.translation import gettext_lazy as _

from deskpilkada.forms import StyledForm
from deskpilkada.tally import rules


def _number(label, required=True):
    return forms.IntegerField(
        label=label,
        required=required,
        max_value=rules.MAX_FIGURE,
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]*", "min": 0, "class": "form-control-lg"}
        ),
        error_messages={
            "required": _("Wajib diisi."),
            "invalid": _("Isi dengan angka."),
            "max_value": _("Angka terlalu besar untuk satu TPS."),
        },
    )


class SheetForm(StyledForm, forms.Form):
    """The C.Hasil form of one contest: required numbers, votes per paslon, optional numbers."""

    def __init__(self, *args, contest, correction: bool = False, with_reason: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(contest.candidates.all())
        fields = {}
        for c in self.candidates:
            fields[rules.vote_key(c.number)] = _number(f"{c.number}. {c.head_name} – {c.deputy_name}")
        for key, label in rules.FIELDS:
            fields[key] = _number(label)
        for key, label in rules.OPTIONAL:
            fields[key] = _number(label, required=False)
        if with_reason:
            fields["alasan"] = forms.CharField(
                label=_("Alasan koreksi"),
                max_length=300,
                required=correction,
                help_text=_("Wajib untuk koreksi C.Hasil yang sudah dihitung."),
                error_messages={"required": _("Koreksi wajib disertai alasan.")},
            )
            fields["foto"] = forms.ImageField(label=_("Foto plano C.Hasil"), required=False)
        for name, field in fields.items():
            self.fields[name] = field
        for field in self.fields.values():
            if not isinstance(field.widget, forms.FileInput):
                field.widget.attrs["class"] = (field.widget.attrs.get("class", "") + " form-control").strip()

    def vote_fields(self):
        return [self[rules.vote_key(c.number)] for c in self.candidates]

    def main_fields(self):
        return [self[k] for k in rules.FIELD_KEYS]

    def optional_fields(self):
        return [self[k] for k in rules.OPTIONAL_KEYS]

    def optional_errors(self) -> bool:
        """Whether a field of the folded part has an error (the part is then shown open)."""
        return self.is_bound and any(k in self.errors for k in rules.OPTIONAL_KEYS)

    def to_sheet(self) -> rules.Sheet:
        data = self.cleaned_data
        return rules.Sheet(
            numbers={k: data[k] for k in rules.FIELD_KEYS},
            votes={c.number: data[rules.vote_key(c.number)] for c in self.candidates},
            extra={k: data[k] for k in rules.OPTIONAL_KEYS if data.get(k) is not None},
        )

    def add_problems(self, problems: list[dict]) -> None:
        for p in problems:
            self.add_error(p["field"] if p["field"] in self.fields else None, rules.message(p))


class DHasilForm(StyledForm, forms.Form):
    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(contest.candidates.all())
        for c in self.candidates:
            self.fields[rules.vote_key(c.number)] = _number(f"{c.number}. {c.head_name} – {c.deputy_name}")
        self.fields["suara_sah"] = _number(_("Suara sah"))
        self.fields["suara_tidak_sah"] = _number(_("Suara tidak sah"))
        self.fields["pengguna"] = _number(_("Pengguna hak pilih"))
        for field in self.fields.values():
            field.widget.attrs["class"] = (field.widget.attrs.get("class", "") + " form-control").strip()


class RootForm(StyledForm, forms.Form):
    """A checkpoint root someone saved, pasted into the public verify page."""

    akar = forms.CharField(
        label=_("Akar checkpoint"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "font-monospace"}),
        help_text=_("64 digit heksadesimal, seperti yang tertera di halaman hasil atau di API."),
    )

    def clean_akar(self) -> str:
        value = self.cleaned_data["akar"].strip().lower()
        if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
            raise forms.ValidationError(_("Akar checkpoint adalah 64 digit heksadesimal (0–9, a–f)."))
        return value
