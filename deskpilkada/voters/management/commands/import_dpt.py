from django.core.management.base import CommandError

from deskpilkada.elections.models import Election
from deskpilkada.imports import ImportCommand
from deskpilkada.voters.actions import import_dpt


class Command(ImportCommand):
    help = (
        "Impor DPT (CSV/Excel: nik,nkk,nama,tempat_lahir,tanggal_lahir,jenis_kelamin,alamat,rt,rw,kode_tps). "
        "NIK/NKK disimpan hanya sebagai hash berkunci; semua atau tidak sama sekali; impor ulang kelurahan mengganti."
    )

    def add_options(self, parser):
        parser.add_argument("--election", required=True, help="kode pemilihan, mis. pilkada-2024")

    def run(self, path, *, by, **options):
        election = options["election"]
        target = Election.objects.filter(code=election).first()
        if target is None:
            raise CommandError(f"Pemilihan «{election}» tidak ada.")
        total = None
        if path.lower().endswith(".csv"):
            with open(path, "rb") as fh:
                total = max(sum(1 for _ in fh) - 1, 1)
        with open(path, "rb") as fh:
            return import_dpt(fh, by=by, election=target, progress_total=total).summary()
