from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "deskpilkada.desk"
    label = "desk"
    verbose_name = "Desk Pilkada"

    # The audit log's words for this app's entries (audit/labels.py).
    audit_actions = {"desk.demo_seeded": _("Data demo dimuat")}
    audit_fields = {"clock": _("Jam demo")}

    def ready(self) -> None:
        from deskpilkada.desk import checks  # noqa: F401 (registers the system checks)
