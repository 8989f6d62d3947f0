from django.core.management.base import BaseCommand

from deskpilkada.desk.demo import logins_text, seed


class Command(BaseCommand):
    help = (
        "Muat data demo Kota Bogor (wilayah, pemilihan, paslon, 1.530 TPS, rumah sakit, rawan bencana, "
        "pengguna demo). Deterministik; menjalankan ulang tidak menggandakan apa pun."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="jangan cetak daftar login demo")

    def handle(self, *args, quiet_logins=False, **options):
        result = seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Data demo siap: {result['tps']:,} TPS."))
        if not quiet_logins:
            self.stdout.write(logins_text())
