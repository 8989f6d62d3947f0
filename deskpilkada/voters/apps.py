from django.apps import AppConfig


class VotersConfig(AppConfig):
    name = "deskpilkada.voters"
    label = "voters"
    verbose_name = "Pemilih (DPT)"
