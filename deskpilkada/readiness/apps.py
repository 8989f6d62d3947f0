from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    name = "deskpilkada.readiness"
    label = "readiness"
    verbose_name = _("Kesiapan TPS, mitigasi bencana dan keamanan")
    default_auto_field = "django.db.models.BigAutoField"

    # The audit log's words for this app's entries (audit/labels.py).
    audit_actions = {
        "readiness.checklist_answered": _("Daftar periksa TPS dijawab"),
        "readiness.warning_opened": _("Peringatan kesiapan dibuka"),
        "readiness.status_changed": _("Status peringatan kesiapan berubah"),
        "readiness.hazard_set": _("Risiko bencana TPS ditetapkan"),
        "readiness.plan_created": _("Rencana mitigasi dibuat"),
        "readiness.plan_updated": _("Rencana mitigasi diubah"),
        "readiness.weather_warning_added": _("Peringatan cuaca dicatat"),
        "readiness.vulnerability_assessed": _("Kerawanan TPS dinilai"),
        "readiness.vulnerability_imported": _("Kerawanan TPS diimpor"),
        "readiness.deployment_set": _("Penempatan personel dicatat"),
        "readiness.deployment_removed": _("Penempatan personel dihapus"),
        "readiness.post_added": _("Pos atau rute patroli dicatat"),
        "readiness.rules_updated": _("Aturan kesiapan TPS diubah"),
    }
    audit_fields = {
        "item": _("Butir"),
        "value": _("Jawaban"),
        "flagged": _("Ditandai"),
        "owner_role": _("Penanggung jawab"),
        "due_at": _("Tenggat"),
        "kind": _("Jenis"),
        "level": _("Tingkat"),
        "indicators": _("Indikator"),
        "score": _("Skor"),
        "class": _("Kelas"),
        "force": _("Satuan"),
        "count": _("Jumlah"),
    }
