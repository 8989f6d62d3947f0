from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "deskpilkada.elections"
    label = "elections"
    verbose_name = "Pemilihan"
