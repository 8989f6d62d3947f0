"""The forms of points 2 and 7. The checklist form is built from the election's items (rules.py)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from deskpilkada.readiness.models import ChecklistItem, Force, Level, SecurityPost
from deskpilkada.regions.models import RegionHazard

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            widget = f.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, (forms.Select, forms.RadioSelect)) else "form-control"
            if not isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", css)


class ChecklistForm(BootstrapForm):
    """One field per item (answer), with a note and a photo for each."""

    def __init__(self, *args, items: list[ChecklistItem], current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            if item.kind == ChecklistItem.Kind.NUMBER:
                field: forms.Field = forms.CharField(
                    label=item.label,
                    required=False,
                    help_text=item.help or item.unit,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
                )
            else:
                choices = (
                    [("ya", _("ya")), ("tidak", _("tidak"))] if item.kind == ChecklistItem.Kind.YES_NO else item.choices
                )
                field = forms.ChoiceField(
                    label=item.label,
                    required=False,
                    choices=[("", "—"), *[(v, lbl) for v, lbl in choices]],
                    help_text=item.help,
                )
            field.initial = current.get(item.code, "")
            self.fields[item.code] = field
            self.fields[f"catatan_{item.code}"] = forms.CharField(
                label=_("Catatan"),
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            self.fields[f"foto_{item.code}"] = forms.FileField(
                label=_("Foto"),
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={
                        "accept": "image/jpeg,image/png,image/webp",
                        "capture": "environment",
                        "class": "form-control",
                    }
                ),
            )

    def rows(self):
        """(item, answer field, note field, photo field) per item, for the template."""
        return [(i, self[i.code], self[f"catatan_{i.code}"], self[f"foto_{i.code}"]) for i in self.items]


class HazardForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Jenis bahaya"), choices=RegionHazard.Kind.choices)
    level = forms.TypedChoiceField(label=_("Tingkat di TPS ini"), choices=Level.choices, coerce=int)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=300)


class PlanForm(BootstrapForm):
    measures = forms.CharField(label=_("Langkah mitigasi"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.CharField(label=_("Penanggung jawab"), max_length=160)
    due_on = forms.DateField(label=_("Selesai paling lambat"), widget=DATE)
    backup_address = forms.CharField(label=_("Lokasi cadangan"), required=False, max_length=255)
    backup_lat = forms.FloatField(label=_("Lintang lokasi cadangan"), required=False, min_value=-11.5, max_value=6.5)
    backup_lon = forms.FloatField(label=_("Bujur lokasi cadangan"), required=False, min_value=94.5, max_value=141.5)


class RelocationForm(BootstrapForm):
    address = forms.CharField(label=_("Alamat tempat baru"), max_length=255)
    lat = forms.FloatField(label=_("Lintang tempat baru"), required=False, min_value=-11.5, max_value=6.5)
    lon = forms.FloatField(label=_("Bujur tempat baru"), required=False, min_value=94.5, max_value=141.5)
    reason = forms.CharField(label=_("Alasan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    decided_by = forms.CharField(
        label=_("Diputuskan oleh"), max_length=160, help_text=_("Nama dan jabatan, misalnya Ketua KPU Kota.")
    )
    at = forms.DateTimeField(
        label=_("Waktu pemindahan"), required=False, widget=DATETIME, help_text=_("Kosong: sekarang.")
    )
    confirm_outside_kelurahan = forms.BooleanField(
        label=_("Saya pastikan: tempat baru boleh di luar kelurahan"), required=False
    )


class WeatherForm(BootstrapForm):
    region = forms.ChoiceField(label=_("Wilayah"))
    kind = forms.ChoiceField(label=_("Jenis bahaya"), choices=RegionHazard.Kind.choices)
    starts_at = forms.DateTimeField(label=_("Mulai"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Berakhir"), widget=DATETIME)
    raise_by = forms.TypedChoiceField(
        label=_("Menaikkan risiko"), choices=[(1, _("1 tingkat")), (2, _("2 tingkat")), (3, _("3 tingkat"))], coerce=int
    )
    text = forms.CharField(label=_("Isi peringatan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.CharField(label=_("Sumber"), max_length=160, initial="BMKG")

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [(r.code, r.display_name) for r in regions]


class VulnerabilityForm(BootstrapForm):
    indicators = forms.MultipleChoiceField(
        label=_("Indikator yang ada di TPS ini"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=300)

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["indicators"]).choices = [
            (i.code, f"{i.variable}: {i.label} ({i.weight})") for i in indicators
        ]


class DeploymentForm(BootstrapForm):
    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for force, label in Force.choices:
            row = current.get(force)
            self.fields[f"{force}_count"] = forms.IntegerField(
                label=_("%(f)s: jumlah personel") % {"f": label},
                min_value=0,
                max_value=100,
                initial=row.count if row else 0,
            )
            self.fields[f"{force}_unit"] = forms.CharField(
                label=_("%(f)s: kesatuan") % {"f": label},
                required=False,
                max_length=160,
                initial=row.unit if row else "",
            )
            self.fields[f"{force}_names"] = forms.CharField(
                label=_("%(f)s: nama (boleh kosong)") % {"f": label},
                required=False,
                max_length=500,
                initial=row.names if row else "",
            )
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-control")


class PostForm(BootstrapForm):
    region = forms.ChoiceField(label=_("Wilayah"))
    kind = forms.ChoiceField(label=_("Jenis"), choices=SecurityPost.Kind.choices)
    name = forms.CharField(label=_("Nama"), max_length=160)
    place = forms.CharField(label=_("Tempat / rute"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    lat = forms.FloatField(label=_("Lintang"), required=False, min_value=-11.5, max_value=6.5)
    lon = forms.FloatField(label=_("Bujur"), required=False, min_value=94.5, max_value=141.5)
    unit = forms.CharField(label=_("Kesatuan"), required=False, max_length=160)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [(r.code, r.display_name) for r in regions]


class ImportForm(BootstrapForm):
    file = forms.FileField(label=_("Berkas CSV atau Excel (.xlsx)"))
