from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "deskpilkada.accounts"
    label = "accounts"
    verbose_name = "Akun dan peran"
