from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "deskpilkada.health"
    label = "health"
    verbose_name = "Kesehatan"
