from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotersConfig(AppConfig):
    name = "deskpilkada.voters"
    label = "voters"
    verbose_name = "Pemilih (DPT)"

    # The audit log's words for this app's entries (audit/labels.py).
    audit_actions = {"voters.dpt_imported": _("DPT diimpor")}
    audit_fields = {
        "voters": _("Pemilih"),
        "kelurahan": _("Kelurahan"),
        "replaced": _("Baris lama diganti"),
        "tps_updated": _("DPT TPS diperbarui"),
    }
