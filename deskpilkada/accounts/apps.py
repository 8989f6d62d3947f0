from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "deskpilkada.accounts"
    label = "accounts"
    verbose_name = "Akun dan peran"

    # The audit log's words for this app's entries (audit/labels.py).
    audit_actions = {
        "accounts.login": _("Masuk"),
        "accounts.login_failed": _("Gagal masuk"),
        "accounts.login_locked": _("Masuk dikunci sementara"),
        "accounts.logout": _("Keluar"),
        "accounts.organisation_created": _("Organisasi dibuat"),
        "accounts.organisation_updated": _("Organisasi diubah"),
        "accounts.organisation_deactivated": _("Organisasi dinonaktifkan"),
        "accounts.organisation_activated": _("Organisasi diaktifkan kembali"),
        "accounts.password_set": _("Sandi diganti"),
        "accounts.role_assigned": _("Peran diberikan"),
        "accounts.role_created": _("Peran dibuat"),
        "accounts.role_revoked": _("Peran dicabut"),
        "accounts.role_updated": _("Peran diubah"),
        "accounts.token_created": _("Token API dibuat"),
        "accounts.token_revoked": _("Token API dicabut"),
        "accounts.user_created": _("Pengguna dibuat"),
        "accounts.user_activated": _("Pengguna diaktifkan"),
        "accounts.user_deactivated": _("Pengguna dinonaktifkan"),
    }
    audit_fields = {
        "role": _("Peran"),
        "region": _("Wilayah"),
        "tps": _("TPS"),
        "reason": _("Alasan"),
        "name": _("Nama"),
        "hint": _("Petunjuk token"),
        "capabilities": _("Kemampuan"),
        "username": _("Nama pengguna"),
        "attempts": _("Percobaan"),
        "until": _("Sampai"),
        "scope": _("Cakupan"),
        "seconds": _("Lama (detik)"),
    }

    def audit_value(self, key: str, value) -> str | None:
        """A role by its name, a role's capabilities by their number, a region by its name."""
        from deskpilkada.accounts.roles import ROLES
        from deskpilkada.regions.models import Region

        if key == "role" and value in ROLES:
            return str(ROLES[value]["name"])
        if key == "capabilities" and isinstance(value, list):
            return _("%(n)s kemampuan") % {"n": len(value)}
        if key == "region" and isinstance(value, str) and value:
            region = Region.objects.filter(code=value).first()
            return region.display_name if region else value
        return None
