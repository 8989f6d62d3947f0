from django.core.management.base import BaseCommand

from deskpilkada.desk.demo import logins_text


class Command(BaseCommand):
    help = "Cetak login pengguna demo."

    def handle(self, *args, **options):
        self.stdout.write(logins_text())
