from django import forms
from django.utils.translation import gettext_lazy as _

from deskpilkada.forms import StyledForm
from deskpilkada.voters import keys


class LookupForm(StyledForm, forms.Form):
    nik = forms.CharField(
        label=_("NIK (16 angka, lihat KTP)"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "form-control-lg"}),
        error_messages={"required": _("Isi NIK Anda.")},
    )
    confirm = forms.CharField(
        label=_("Tanggal lahir (DD-MM-YYYY) atau 3 huruf pertama nama"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "form-control-lg"}),
        error_messages={"required": _("Isi tanggal lahir atau 3 huruf pertama nama untuk konfirmasi.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's own refusal of a NUL byte would not name the field.
        self.fields["nik"].error_messages["null_characters_not_allowed"] = keys.invalid_number_message("NIK")

    def clean_nik(self) -> str:
        try:
            return keys.clean_number(self.cleaned_data["nik"], "NIK")
        except keys.InvalidNumber as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None
