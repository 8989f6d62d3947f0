"""The forms of point 9. Every refusal names its field (the label first), in Indonesian."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from deskpilkada.health.models import HealthPost

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class HealthForm(forms.Form):
    """Bootstrap classes, and error messages that start with the field's label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            label = f.label or ""
            f.error_messages = {
                **f.error_messages,
                "required": _("%(label)s: wajib diisi.") % {"label": label},
                "invalid": _("%(label)s: isian tidak valid.") % {"label": label},
                "min_value": _("%(label)s: tidak boleh negatif.") % {"label": label},
                "max_value": _("%(label)s: terlalu besar.") % {"label": label},
                "invalid_choice": _("%(label)s: pilihan tidak dikenal.") % {"label": label},
            }
            if isinstance(f, forms.DateTimeField):
                f.error_messages["invalid"] = _("%(label)s: tanggal dan jam tidak valid.") % {"label": label}
            elif isinstance(f, forms.DateField):
                f.error_messages["invalid"] = _("%(label)s: tanggal tidak valid (TTTT-BB-HH).") % {"label": label}
            elif isinstance(f, forms.IntegerField):
                f.error_messages["invalid"] = _("%(label)s: isi bilangan bulat.") % {"label": label}
            widget = f.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class InpatientForm(HealthForm):
    nik = forms.CharField(
        label=_("NIK"), max_length=40, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    )
    name = forms.CharField(label=_("Nama pasien"), max_length=120)
    origin_code = forms.CharField(
        label=_("Asal (kode wilayah)"),
        max_length=20,
        help_text=_("kelurahan atau kabupaten/kota asal, mis. 32.71.06.1002 atau 32.01"),
    )
    ward = forms.CharField(label=_("Ruang rawat"), max_length=80, required=False)
    registered_on = forms.DateField(label=_("Tanggal pindah memilih"), widget=DATE)


class ServingTpsForm(HealthForm):
    tps_code = forms.CharField(label=_("Kode TPS"), max_length=20, help_text=_("13 angka, mis. 3271041001001"))


class VisitForm(HealthForm):
    tps_code = forms.ChoiceField(label=_("TPS pelayan"), choices=())
    ward = forms.CharField(label=_("Ruang"), max_length=80)
    starts_at = forms.DateTimeField(label=_("Waktu kunjungan"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    ballots = forms.IntegerField(label=_("Surat suara dibawa"), min_value=0, max_value=100_000)
    note = forms.CharField(label=_("Catatan"), max_length=255, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, tps_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tps_code"].choices = tps_choices  # type: ignore[attr-defined]


class VisitDoneForm(HealthForm):
    voters_served = forms.IntegerField(label=_("Pemilih dilayani"), min_value=0, max_value=100_000)
    note = forms.CharField(label=_("Catatan"), max_length=255, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HealthPostForm(HealthForm):
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), choices=())
    kind = forms.ChoiceField(label=_("Jenis"), choices=HealthPost.Kind.choices)
    name = forms.CharField(label=_("Nama"), max_length=120)
    address = forms.CharField(label=_("Alamat"), max_length=200, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    opens_at = forms.DateTimeField(label=_("Siaga mulai"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    closes_at = forms.DateTimeField(label=_("Siaga sampai"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    staff = forms.IntegerField(label=_("Tenaga kesehatan"), min_value=0, max_value=500, initial=0)

    def __init__(self, *args, kecamatan: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = kecamatan  # type: ignore[attr-defined]


class DutyNoteForm(HealthForm):
    started_at = forms.DateTimeField(label=_("Mulai bertugas"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    ended_at = forms.DateTimeField(label=_("Selesai bertugas"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    crew_present = forms.IntegerField(label=_("Anggota yang bertugas"), min_value=0, max_value=50)
    rest_note = forms.CharField(label=_("Catatan istirahat dan kondisi"), max_length=255, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
