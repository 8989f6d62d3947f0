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

    def audit_value(self, key: str, value) -> str | None:
        """Codes of this app said as their names: an item, an indicator, a class, a role, a hazard, a force."""
        from deskpilkada.accounts.roles import ROLES
        from deskpilkada.readiness.models import ChecklistItem, Force, Level, VulnerabilityClass, VulnerabilityIndicator
        from deskpilkada.regions.models import RegionHazard

        if key == "item" and isinstance(value, str):
            item = ChecklistItem.objects.filter(code=value).order_by("-pk").first()
            return item.label if item else value
        if key == "indicators" and isinstance(value, list):
            labels = dict(VulnerabilityIndicator.objects.filter(code__in=value).values_list("code", "label"))
            return "; ".join(str(labels.get(c) or c) for c in value) or "—"
        if key == "value" and isinstance(value, str):
            return value.replace("_", " ")  # a choice's code ("tidak_ada") as its words
        if key == "owner_role" and value in ROLES:
            return str(ROLES[value]["name"])
        names: dict[str, dict] = {
            "class": dict(VulnerabilityClass.choices),
            "klass": dict(VulnerabilityClass.choices),
            "kind": dict(RegionHazard.Kind.choices),
            "force": dict(Force.choices),
            "level": dict(Level.choices),
        }
        if key in names and value in names[key]:
            return str(names[key][value])
        return None
