from django.core.management.base import CommandError

from deskpilkada.elections.models import Election
from deskpilkada.imports import ImportCommand
from deskpilkada.officers.actions import import_officers


class Command(ImportCommand):
    help = (
        "Impor petugas PPK, PPS, KPPS dan Linmas dari ekspor rekrutmen KPU (CSV/Excel: nik,nama,tanggal_lahir,"
        "jenis_kelamin,no_hp,alamat,badan_adhoc,jabatan,kode_wilayah,no_tps,tmt). NIK disimpan hanya sebagai hash "
        "berkunci; usia pada tmt, dua kru sekaligus, ukuran kru dan ketua diperiksa; semua atau tidak sama sekali."
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
            return import_officers(fh, by=by, election=target, progress_total=total).summary()
