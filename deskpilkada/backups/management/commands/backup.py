from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from deskpilkada.backups.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Tulis backup yang konsisten ke FOLDER (baru atau kosong) selagi server berjalan: basis data (SQLite lewat "
        "API backup daringnya, PostgreSQL lewat pg_dump format custom), berkas unggahan, dan manifest berisi versi "
        "aplikasi, migrasi yang diterapkan, jumlah baris tiap tabel dan checksum setiap berkas."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="FOLDER")

    def handle(self, *args, directory, **options):
        try:
            manifest = make_backup(Path(directory), say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup selesai di %(d)s: %(r)d baris di %(t)d tabel, %(f)d berkas, versi %(v)s.")
                % {
                    "d": directory,
                    "r": rows,
                    "t": len(manifest["tables"]),
                    "f": len(manifest["files"]),
                    "v": manifest["app_version"],
                }
            )
        )
