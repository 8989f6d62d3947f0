from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "deskpilkada.audit"
    label = "audit"
    verbose_name = "Audit"
