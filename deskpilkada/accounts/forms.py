from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from deskpilkada.accounts.models import Organisation, Role, User
from deskpilkada.forms import StyledForm
from deskpilkada.regions.codes import CodeError, normalize_region_code
from deskpilkada.regions.models import Region
from deskpilkada.tps.codes import normalize_tps_code
from deskpilkada.tps.models import Tps


class LoginForm(StyledForm, forms.Form):
    username = forms.CharField(label=_("Nama pengguna"), max_length=150)
    password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput)


class ReauthForm(StyledForm, forms.Form):
    password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput)


class TokenForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Nama token (untuk apa)"), max_length=80)


class UserCreateForm(StyledForm, forms.Form):
    username = forms.RegexField(
        label=_("Nama pengguna"),
        regex=r"^[a-z0-9_.-]{3,40}$",
        max_length=40,
        error_messages={"invalid": _("Hanya huruf kecil, angka, titik, garis bawah, tanda minus; 3–40 karakter.")},
    )
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    organisation = forms.ModelChoiceField(
        label=_("Organisasi"),
        queryset=Organisation.objects.filter(active=True),
        help_text=_("Hanya organisasi yang aktif."),
    )
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    password = forms.CharField(label=_("Kata sandi awal"), widget=forms.PasswordInput)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("Nama pengguna ini sudah dipakai."))
        return username

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class RoleAssignForm(StyledForm, forms.Form):
    role = forms.ModelChoiceField(label=_("Peran"), queryset=Role.objects.all())
    area = forms.CharField(
        label=_("Wilayah atau TPS"),
        max_length=20,
        help_text=_("Kode wilayah (32.71, 32.71.04, 32.71.04.1001) atau kode TPS 13 angka."),
    )

    def clean_area(self):
        raw = self.cleaned_data["area"].strip()
        digits = raw.replace(".", "")
        if len(digits) == 13:
            try:
                return Tps.objects.get(code=normalize_tps_code(raw))
            except (CodeError, Tps.DoesNotExist):
                raise forms.ValidationError(_("TPS dengan kode ini tidak ada."))
        try:
            return Region.objects.get(code=normalize_region_code(raw))
        except CodeError as exc:
            raise forms.ValidationError(str(exc))
        except Region.DoesNotExist:
            raise forms.ValidationError(_("Wilayah dengan kode ini tidak ada."))


class OrganisationForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=160)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Organisation.Kind.choices)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class OrganisationCreateForm(OrganisationForm):
    code = forms.SlugField(
        label=_("Kode"),
        max_length=60,
        required=False,
        help_text=_("Huruf kecil, angka dan tanda minus, misalnya rsud-kota-bogor. Kosongkan: dibuat dari nama."),
    )
    field_order = ["name", "kind", "code"]

    def clean(self):
        data = super().clean() or {}
        if "name" in data and not data.get("code"):
            data["code"] = slugify(data["name"])[:60].strip("-")
            if not data["code"]:
                self.add_error("code", _("Nama ini tidak menghasilkan kode: isi kodenya."))
                return data
        if data.get("code") and Organisation.objects.filter(code=data["code"]).exists():
            self.add_error("code", _("Kode %(c)s sudah dipakai organisasi lain.") % {"c": data["code"]})
        return data


class OrganisationEditForm(OrganisationForm):
    # What the form showed, to refuse a save over someone else's change.
    expected_name = forms.CharField(widget=forms.HiddenInput, required=False)
    expected_kind = forms.CharField(widget=forms.HiddenInput, required=False)
