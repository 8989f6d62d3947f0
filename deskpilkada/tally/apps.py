from django.apps import AppConfig


class TallyConfig(AppConfig):
    name = "deskpilkada.tally"
    label = "tally"
    verbose_name = "Penghitungan dan rekapitulasi"

    def ready(self) -> None:
        from deskpilkada.tally import checks  # noqa: F401 (registers the checks)
