from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "deskpilkada.backups"
    label = "backups"
    verbose_name = "Backup"
