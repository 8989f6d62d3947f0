from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "deskpilkada.regions"
    label = "regions"
    verbose_name = "Wilayah"
