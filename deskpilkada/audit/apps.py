from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_sqlite_functions(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        from deskpilkada.audit import chain

        # Read by the DELETE trigger of the audit log (migration 0004): true only inside `flush`.
        connection.connection.create_function(
            "deskpilkada_audit_flushing", 0, lambda: int(chain.FLUSHING), deterministic=False
        )


class AuditConfig(AppConfig):
    name = "deskpilkada.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_functions, dispatch_uid="audit-sqlite-functions")
