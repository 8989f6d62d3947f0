from django import forms
from django.utils.translation import gettext_lazy as _

from deskpilkada.forms import StyledForm
from deskpilkada.regions.models import Region
from deskpilkada.tps.actions import EDITABLE
from deskpilkada.tps.models import MAX_VOTERS_PER_TPS, Tps


class CoordinateField(forms.FloatField):
    """Degrees with a decimal point or a decimal comma (-6.5415 or -6,5415)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class TpsForm(StyledForm, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    lat = CoordinateField(
        label=_("Lintang"), required=False, min_value=-11.5, max_value=6.5, help_text=_("Contoh: -6,5950")
    )
    lon = CoordinateField(
        label=_("Bujur"), required=False, min_value=94.5, max_value=141.5, help_text=_("Contoh: 106,7960")
    )

    class Meta:
        model = Tps
        fields = EDITABLE
        widgets = {
            "dpt_male": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_VOTERS_PER_TPS}),
            "dpt_female": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_VOTERS_PER_TPS}),
        }

    def clean(self):
        data = super().clean() or {}
        total = (data.get("dpt_male") or 0) + (data.get("dpt_female") or 0)
        if total > MAX_VOTERS_PER_TPS:
            self.add_error(
                "dpt_female",
                _("Jumlah DPT %(n)d melebihi batas %(max)d pemilih per TPS.") % {"n": total, "max": MAX_VOTERS_PER_TPS},
            )
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error("lon", _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."))
        return data


class TpsCreateForm(TpsForm):
    kelurahan = forms.ModelChoiceField(label=_("Kelurahan"), queryset=Region.objects.none())
    number = forms.IntegerField(label=_("Nomor TPS"), min_value=1, max_value=999)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta(TpsForm.Meta):
        fields = ["kelurahan", "number", *EDITABLE]

    def __init__(self, *args, kelurahan_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        villages = kelurahan_qs if kelurahan_qs is not None else Region.objects.none()
        self.fields["kelurahan"].queryset = villages  # type: ignore[attr-defined]  # a ModelChoiceField
        self.order_fields(["kelurahan", "number"])

    def clean(self):
        data = super().clean()
        if (
            data.get("kelurahan")
            and data.get("number")
            and Tps.objects.filter(kelurahan=data["kelurahan"], number=data["number"]).exists()
        ):
            self.add_error("number", _("TPS dengan nomor ini sudah ada di kelurahan tersebut."))
        return data

    def validate_unique(self):
        pass  # checked in clean() with a message naming the field


class ImportForm(StyledForm, forms.Form):
    file = forms.FileField(label=_("Berkas CSV atau Excel (.xlsx)"))
