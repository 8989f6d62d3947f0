from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "deskpilkada.desk"
    label = "desk"
    verbose_name = "Desk Pilkada"

    def ready(self) -> None:
        from deskpilkada.desk import checks  # noqa: F401 (registers the system checks)
