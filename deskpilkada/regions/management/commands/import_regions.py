from pathlib import Path

from django.core.management.base import CommandError

from deskpilkada.imports import ImportCommand, rejection_report
from deskpilkada.regions.actions import RegionImportError, import_regions


class Command(ImportCommand):
    help = (
        "Impor wilayah (provinsi, kabupaten/kota, kecamatan, kelurahan/desa) dari CSV idn-area-data. "
        "Menjalankan ulang memperbarui nama dan menambah kode baru, tanpa duplikat."
    )
    path_argument = "directory"
    path_help = "folder berisi provinces.csv, regencies.csv, districts.csv, villages.csv"

    def add_options(self, parser):
        parser.add_argument("--prefix", default="", help="hanya wilayah ini dan turunannya, mis. 32.71")

    def run(self, path, *, by, **options):
        prefix = options["prefix"]
        try:
            return import_regions(Path(path), by=by, prefix=prefix, progress=True).summary()
        except RegionImportError as exc:
            raise CommandError(rejection_report(exc.errors[:200], len(exc.errors)))
