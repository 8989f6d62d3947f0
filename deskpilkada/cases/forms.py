"""The case forms: the staff form (any category, its details), the public report form, the actions."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from deskpilkada import clock
from deskpilkada.cases.categories import BOOL, CATEGORIES, CHOICE, DATE, INT, LONG, URL
from deskpilkada.cases.models import Case, CaseStep, Severity
from deskpilkada.forms import StyledForm
from deskpilkada.regions.models import Level, Region

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def detail_field(d) -> forms.Field:
    label, help_text = d.label, d.help
    if d.kind == BOOL:
        return forms.BooleanField(label=label, required=False, help_text=help_text)
    if d.kind == CHOICE:
        return forms.ChoiceField(label=label, required=False, choices=[("", "—"), *d.choices], help_text=help_text)
    if d.kind == INT:
        return forms.IntegerField(label=label, required=False, min_value=0, max_value=1_000_000, help_text=help_text)
    if d.kind == DATE:
        return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))
    if d.kind == URL:
        return forms.URLField(label=label, required=False, max_length=500, assume_scheme="https")
    widget = forms.Textarea(attrs={"rows": 2}) if d.kind == LONG else forms.TextInput()
    return forms.CharField(label=label, required=False, max_length=4000, widget=widget, help_text=help_text)


class CaseForm(StyledForm, forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), choices=[(c.code, c.label) for c in CATEGORIES.values()])
    title = forms.CharField(label=_("Judul singkat"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Apa yang terjadi"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    place_code = forms.CharField(
        label=_("Tempat (kode TPS, kelurahan atau kecamatan)"),
        max_length=20,
        help_text=_("Mis. 3271061002028 untuk TPS 028 Kebon Pedes, atau 32.71.06.1002 untuk kelurahannya."),
    )
    occurred_at = forms.DateTimeField(label=_("Waktu kejadian"), widget=DATETIME)
    known_at = forms.DateTimeField(
        label=_("Waktu diketahui"), widget=DATETIME, required=False, help_text=_("Kosong: sekarang.")
    )
    severity = forms.ChoiceField(label=_("Tingkat"), choices=Severity.choices, initial=Severity.MEDIUM)
    reporter_name = forms.CharField(label=_("Nama pelapor"), max_length=120, required=False)
    reporter_contact = forms.CharField(label=_("Kontak pelapor"), max_length=120, required=False)
    attachment = forms.FileField(label=_("Lampiran (foto atau PDF)"), required=False)

    def __init__(self, *args, category: str = "fraud", **kwargs):
        super().__init__(*args, **kwargs)
        self.chosen = category if category in CATEGORIES else "fraud"
        self.fields["category"].initial = self.chosen
        self.fields["category"].widget.attrs["data-autosubmit"] = ""
        self.detail_names = add_detail_fields(self, self.chosen)
        self.fields["occurred_at"].initial = clock.now()

    def details(self) -> dict:
        return details_of(self, self.detail_names)


def add_detail_fields(form: forms.Form, category: str, initial: dict | None = None) -> list[str]:
    """Add the fields of the category's details (categories.py) to `form`, named d_<name>; their names."""
    names = []
    for d in CATEGORIES[category].details:
        name = f"d_{d.name}"
        field = detail_field(d)
        if initial and d.name in initial:
            field.initial = initial[d.name]
        widget = field.widget
        widget.attrs["class"] = (
            "form-check-input"
            if isinstance(widget, forms.CheckboxInput)
            else ("form-select" if isinstance(widget, forms.Select) else "form-control")
        )
        form.fields[name] = field
        names.append(name)
    return names


def details_of(form: forms.Form, names: list[str]) -> dict:
    """The details as the case keeps them: dates as ISO text, empty answers left out (a tick box kept)."""
    out = {}
    for name in names:
        value = form.cleaned_data.get(name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        if value not in (None, "") or isinstance(form.fields[name], forms.BooleanField):
            out[name[2:]] = value
    return out


class DetailsForm(StyledForm, forms.Form):
    """The category's details of a case already taken in, to complete or correct them."""

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.detail_names = add_detail_fields(self, case.category, initial=case.details)

    def details(self) -> dict:
        return details_of(self, self.detail_names)


class KelurahanField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} — {obj.parent.name}" if obj.parent else obj.name


class PublicReportForm(StyledForm, forms.Form):
    category = forms.ChoiceField(
        label=_("Apa yang ingin dilaporkan?"),
        choices=[(c.code, c.label) for c in CATEGORIES.values() if c.public],
    )
    description = forms.CharField(
        label=_("Ceritakan kejadiannya"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Apa, siapa (bila tahu), dan apa yang Anda lihat atau dengar."),
    )
    kelurahan = KelurahanField(
        label=_("Di kelurahan mana?"), queryset=Region.objects.none(), empty_label=_("— pilih kelurahan —")
    )
    tps_number = forms.IntegerField(label=_("Nomor TPS (bila tahu)"), required=False, min_value=1, max_value=999)
    occurred_at = forms.DateTimeField(label=_("Kapan?"), widget=DATETIME)
    photo = forms.FileField(
        label=_("Foto (tidak wajib)"), required=False, help_text=_("JPEG, PNG atau WebP, paling besar 10 MB.")
    )
    contact = forms.CharField(
        label=_("Nomor HP atau email (tidak wajib)"),
        max_length=120,
        required=False,
        help_text=_("Hanya dilihat petugas yang menangani laporan, bila mereka perlu bertanya."),
    )
    anonymous = forms.BooleanField(label=_("Laporkan tanpa nama dan kontak (anonim)"), required=False)

    def __init__(self, *args, city: Region | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        villages = Region.objects.filter(level=Level.VILLAGE).select_related("parent").order_by("parent__name", "name")
        if city is not None:
            villages = villages.filter(code__startswith=city.code + ".")
        cast(forms.ModelChoiceField, self.fields["kelurahan"]).queryset = villages
        self.fields["occurred_at"].initial = clock.now()

    def place_code(self) -> str:
        kelurahan = self.cleaned_data["kelurahan"]
        number = self.cleaned_data.get("tps_number")
        return f"{kelurahan.undotted_code}{number:03d}" if number else kelurahan.code


class StatusForm(StyledForm, forms.Form):
    to = forms.ChoiceField(label=_("Status baru"), choices=Case.Status.choices)
    note = forms.CharField(label=_("Catatan"), max_length=1000, required=False)


class StepForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(
        label=_("Langkah"), choices=[(k, v) for k, v in CaseStep.Kind.choices if k != CaseStep.Kind.ESCALATION]
    )
    on = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Nomor surat"), max_length=120, required=False)
    outcome = forms.CharField(
        label=_("Hasil"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(StyledForm, forms.Form):
    file = forms.FileField(label=_("Berkas CSV atau Excel (.xlsx)"))
