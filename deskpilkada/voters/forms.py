from django import forms
from django.utils.translation import gettext_lazy as _

from deskpilkada.forms import StyledForm


class LookupForm(StyledForm, forms.Form):
    nik = forms.RegexField(
        label=_("NIK (16 angka, lihat KTP)"),
        regex=r"^\s*\d{16}\s*$",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "form-control-lg"}),
        error_messages={"invalid": _("NIK harus 16 angka."), "required": _("Isi NIK Anda.")},
    )
    confirm = forms.CharField(
        label=_("Tanggal lahir (DD-MM-YYYY) atau 3 huruf pertama nama"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "form-control-lg"}),
        error_messages={"required": _("Isi tanggal lahir atau 3 huruf pertama nama untuk konfirmasi.")},
    )
