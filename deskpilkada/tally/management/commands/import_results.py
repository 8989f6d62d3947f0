from deskpilkada.imports import ImportCommand
from deskpilkada.tally.loading import import_results


class Command(ImportCommand):
    help = (
        "Impor C.Hasil dari CSV/Excel (format di README). Baris rusak membatalkan berkas; pelanggaran aturan ditahan."
    )
    user_help = "nama pengguna yang dicatat sebagai pengentri"

    def add_options(self, parser):
        parser.add_argument("--source", default="csv", help="nama sumber data, dicatat di log audit")

    def run(self, path, *, by, **options):
        with open(path, "rb") as fh:
            return import_results(fh, by=by, source=options["source"]).summary()
