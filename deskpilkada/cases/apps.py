from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "deskpilkada.cases"
    verbose_name = _("Kasus dan insiden")
    default_auto_field = "django.db.models.BigAutoField"

    # The audit log's words for this app's entries (audit/labels.py).
    audit_actions = {
        "cases.case_reported": _("Kasus dilaporkan"),
        "cases.case_updated": _("Kasus diubah"),
        "cases.case_assigned": _("Kasus ditugaskan"),
        "cases.case_ungrouped": _("Laporan serupa dipisahkan menjadi kasus sendiri"),
        "cases.case_escalated": _("Kasus diteruskan ke tingkat atas"),
        "cases.info_requested": _("Keterangan tambahan diminta"),
        "cases.comment_added": _("Catatan ditambahkan"),
        "cases.attachment_added": _("Lampiran ditambahkan"),
        "cases.step_added": _("Langkah penanganan dicatat"),
        "cases.status_changed": _("Status kasus berubah"),
        "cases.clarification_published": _("Klarifikasi diterbitkan"),
        "cases.clarification_corrected": _("Klarifikasi dikoreksi"),
    }
    audit_fields = {
        "note": _("Catatan"),
        "group": _("Kelompok laporan serupa"),
        "text": _("Isi"),
        "is_outcome": _("Hasil penanganan"),
        "sha256": _("Sidik berkas (SHA-256)"),
        "type": _("Jenis berkas"),
        "at": _("Waktu"),
        "on": _("Tanggal"),
    }
