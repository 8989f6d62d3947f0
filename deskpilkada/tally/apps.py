from django.apps import AppConfig


class TallyConfig(AppConfig):
    name = "deskpilkada.tally"
    label = "tally"
    verbose_name = "Penghitungan dan rekapitulasi"
