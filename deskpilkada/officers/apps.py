from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficersConfig(AppConfig):
    name = "deskpilkada.officers"
    label = "officers"
    verbose_name = _("Petugas dan bimtek")
    default_auto_field = "django.db.models.BigAutoField"

    # The audit log's words for this app's entries (audit/labels.py).
    audit_actions = {
        "officers.rules_saved": _("Aturan kru disimpan"),
        "officers.imported": _("Petugas diimpor"),
        "officers.appointed": _("Petugas diangkat"),
        "officers.updated": _("Data petugas diubah"),
        "officers.ended": _("Petugas berhenti"),
        "officers.replaced": _("Petugas diganti"),
        "officers.screened": _("Skrining kesehatan dicatat"),
        "officers.topic_saved": _("Materi bimtek disimpan"),
        "officers.session_created": _("Sesi bimtek dibuat"),
        "officers.material_added": _("Materi sesi diunggah"),
        "officers.invited": _("Peserta bimtek diundang"),
        "officers.attendance": _("Kehadiran bimtek dicatat"),
    }
    audit_fields = {
        "is_chair": _("Ketua"),
        "appointed_on": _("Tanggal pengangkatan"),
        "ended_on": _("Tanggal berhenti"),
        "end_reason": _("Alasan berhenti"),
        "outcome": _("Hasil"),
        "attended": _("Hadir"),
        "score": _("Nilai tes"),
        "officers": _("Petugas"),
        "material": _("Materi"),
        "replaced_by": _("Diganti oleh"),
    }
