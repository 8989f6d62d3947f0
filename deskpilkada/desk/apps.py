from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "deskpilkada.desk"
    label = "desk"
    verbose_name = "Desk Pilkada"
