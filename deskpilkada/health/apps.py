from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "deskpilkada.health"
    label = "health"
    verbose_name = "Kesehatan"

    # The audit log's words for this app's entries (audit/labels.py).
    audit_actions = {
        "health.hospital_created": _("Rumah sakit ditambahkan"),
        "health.hospital_updated": _("Rumah sakit diubah"),
    }
