from django.apps import AppConfig


class TpsConfig(AppConfig):
    name = "deskpilkada.tps"
    label = "tps"
    verbose_name = "TPS"
