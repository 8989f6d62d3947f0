from deskpilkada.imports import ImportCommand
from deskpilkada.tps.actions import import_tps


class Command(ImportCommand):
    help = (
        "Impor TPS dari CSV atau Excel (kolom: lihat README). Semua atau tidak sama sekali: "
        "satu baris salah membatalkan impor dan semua baris salah dilaporkan."
    )

    def run(self, path, *, by, **options):
        with open(path, "rb") as fh:
            return import_tps(fh, by=by).summary()
