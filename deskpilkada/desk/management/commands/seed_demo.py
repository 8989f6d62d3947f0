from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils import timezone

from deskpilkada import clock, numbers
from deskpilkada.desk import demo


class Command(BaseCommand):
    help = (
        "Muat data demo Kota Bogor (wilayah, pemilihan, paslon, 1.530 TPS, rumah sakit, rawan bencana, "
        "pengguna, DPT Kebon Pedes, undangan, C.Hasil dan rekap) sampai jam demo (DESKPILKADA_DEMO_NOW). "
        "Deterministik; menjalankan ulang dengan jam yang sama tidak menggandakan apa pun."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="jangan cetak daftar login demo")
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="bila basis data berisi demo untuk jam lain: hapus berkas SQLite-nya, migrate, lalu muat ulang",
        )

    def handle(self, *args, quiet_logins=False, rebuild=False, **options):
        wanted = clock.now().isoformat() if clock.is_fixed() else demo.REAL_TIME
        seeded = demo.seeded_for()
        if seeded is not None and not demo.same_clock(seeded, wanted):
            shown = seeded or "waktu nyata"
            if not rebuild:
                raise CommandError(
                    f"Basis data ini berisi demo untuk jam {shown}; data yang sudah terjadi tidak dihapus baris demi "
                    "baris (log audit hanya bertambah). Jalankan dengan --rebuild (make demo) untuk membangunnya ulang."
                )
            self._rebuild(shown)
        result = demo.seed(stdout=self.stdout)
        at = timezone.localtime(result["now"]).strftime("%d-%m-%Y %H:%M %Z")
        self.stdout.write(self.style.SUCCESS(f"Data demo siap: {numbers.number(result['tps'])} TPS, jam demo {at}."))
        if not quiet_logins:
            self.stdout.write(demo.logins_text())

    def _rebuild(self, shown: str) -> None:
        name = str(connection.settings_dict["NAME"])
        if connection.vendor != "sqlite" or not Path(name).is_file():
            raise CommandError(
                f"Basis data ini berisi demo untuk jam {shown}. Hanya demo SQLite yang dibangun ulang otomatis: "
                "hapus dan buat ulang basis datanya, lalu jalankan seed_demo lagi."
            )
        self.stdout.write(f"Demo ini untuk jam {shown}: basis data {name} dibangun ulang.")
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
