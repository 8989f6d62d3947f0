from django.core.management.base import BaseCommand

from deskpilkada.accounts.actions import sync_roles


class Command(BaseCommand):
    help = "Tulis tabel peran baku (accounts/roles.py) ke basis data; perubahan dicatat di log audit."

    def handle(self, *args, **options):
        changed = sync_roles(by=None)
        self.stdout.write(self.style.SUCCESS(f"Peran disinkronkan: {changed} dibuat atau diubah."))
