from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deskpilkada.regions.actions import RegionImportError, import_regions


class Command(BaseCommand):
    help = (
        "Impor wilayah (provinsi, kabupaten/kota, kecamatan, kelurahan/desa) dari CSV idn-area-data. "
        "Menjalankan ulang memperbarui nama dan menambah kode baru, tanpa duplikat."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="folder berisi provinces.csv, regencies.csv, districts.csv, villages.csv")
        parser.add_argument("--prefix", default="", help="hanya wilayah ini dan turunannya, mis. 32.71")

    def handle(self, *args, directory, prefix, **options):
        try:
            result = import_regions(Path(directory), by=None, prefix=prefix, progress=True)
        except RegionImportError as exc:
            raise CommandError("Impor dibatalkan, tidak ada yang disimpan:\n" + "\n".join(exc.errors[:200]))
        self.stdout.write(self.style.SUCCESS(f"Selesai: {result.summary()}."))
