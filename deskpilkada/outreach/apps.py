from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "deskpilkada.outreach"
    label = "outreach"
    verbose_name = "Sosialisasi dan partisipasi"
