from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "deskpilkada.outreach"
    label = "outreach"
    verbose_name = "Sosialisasi dan partisipasi"

    # The audit log's words for this app's entries (audit/labels.py).
    audit_actions = {
        "outreach.activity_added": _("Kegiatan sosialisasi dicatat"),
        "outreach.invitations_reported": _("Undangan dilaporkan"),
        "outreach.invitations_replaced": _("Laporan undangan diganti"),
        "outreach.invitations_loaded": _("Laporan undangan dimuat"),
        "outreach.turnout_saved": _("Riwayat partisipasi disimpan"),
        "outreach.turnout_imported": _("Riwayat partisipasi diimpor"),
    }
    audit_fields = {
        "reports": _("Laporan"),
        "day": _("Tanggal"),
        "delivered": _("Terkirim"),
        "undeliverable": _("Tidak terkirim"),
        "rows": _("Baris"),
        "dpt": _("DPT"),
    }
