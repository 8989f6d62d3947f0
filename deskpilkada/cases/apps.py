from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "deskpilkada.cases"
    verbose_name = _("Kasus dan insiden")
    default_auto_field = "django.db.models.BigAutoField"
