from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TpsConfig(AppConfig):
    name = "deskpilkada.tps"
    label = "tps"
    verbose_name = "TPS"

    # The audit log's words for this app's entries (audit/labels.py).
    audit_actions = {
        "tps.created": _("TPS dibuat"),
        "tps.updated": _("TPS diubah"),
        "tps.imported": _("TPS diimpor"),
        "tps.dpt_from_voters": _("DPT TPS dihitung dari daftar pemilih"),
        "tps.relocated": _("TPS dipindahkan"),
    }
    audit_fields = {
        "created": _("Baru"),
        "updated": _("Diubah"),
        "unchanged": _("Tetap"),
        "tps": _("TPS"),
        "reason": _("Alasan"),
        "decided_by": _("Diputuskan oleh"),
        "outside_kelurahan": _("Di luar kelurahan"),
        "voters_affected": _("Pemilih terdampak"),
    }
