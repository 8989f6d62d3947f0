from django import forms
from django.utils.translation import gettext_lazy as _

from deskpilkada.forms import StyledForm
from deskpilkada.outreach.models import UNDELIVERABLE, OutreachActivity


def _count(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        error_messages={"min_value": _("Tidak boleh negatif."), "invalid": _("Isi dengan angka.")},
    )


class InvitationForm(StyledForm, forms.Form):
    day = forms.TypedChoiceField(label=_("Tanggal"), coerce=str)
    delivered = _count(_("Undangan terkirim hari ini"))

    def __init__(self, *args, window, **kwargs):
        super().__init__(*args, **kwargs)
        days = [(d.isoformat(), d.strftime("%d-%m-%Y")) for d in window]
        self.fields["day"].choices = days  # type: ignore[attr-defined]  # a ChoiceField
        for key, label in UNDELIVERABLE:
            self.fields[key] = _count(_("Tidak terkirim: %(r)s") % {"r": label})
            self.fields[key].widget.attrs["class"] = "form-control"


class ActivityForm(StyledForm, forms.Form):
    def __init__(self, *args, kelurahan_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(label=_("Jenis kegiatan"), choices=OutreachActivity.Kind.choices)
        self.fields["segment"] = forms.ChoiceField(label=_("Sasaran"), choices=OutreachActivity.Segment.choices)
        self.fields["date"] = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
        self.fields["kelurahan"] = forms.ModelChoiceField(label=_("Kelurahan"), queryset=kelurahan_qs)
        self.fields["organiser"] = forms.CharField(label=_("Penyelenggara"), max_length=120)
        self.fields["reach"] = forms.IntegerField(label=_("Jumlah peserta/jangkauan"), min_value=0)
        self.fields["description"] = forms.CharField(label=_("Keterangan"), max_length=300, required=False)
        self.fields["photo"] = forms.FileField(label=_("Foto kegiatan (JPEG, PNG atau WebP)"), required=False)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css
