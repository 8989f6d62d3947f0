from django.core.management.base import BaseCommand, CommandError

from deskpilkada.elections.models import Election
from deskpilkada.imports import ImportRejected
from deskpilkada.voters.actions import import_dpt


class Command(BaseCommand):
    help = (
        "Impor DPT (CSV/Excel: nik,nkk,nama,tempat_lahir,tanggal_lahir,jenis_kelamin,alamat,rt,rw,kode_tps). "
        "NIK/NKK disimpan hanya sebagai hash berkunci; semua atau tidak sama sekali; impor ulang kelurahan mengganti."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--election", required=True, help="kode pemilihan, mis. pilkada-2024")

    def handle(self, *args, file, election, **options):
        target = Election.objects.filter(code=election).first()
        if target is None:
            raise CommandError(f"Pemilihan «{election}» tidak ada.")
        total = None
        if file.lower().endswith(".csv"):
            with open(file, "rb") as fh:
                total = max(sum(1 for _ in fh) - 1, 1)
        try:
            with open(file, "rb") as fh:
                result = import_dpt(fh, by=None, election=target, progress_total=total)
        except FileNotFoundError:
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        except ImportRejected as exc:
            lines = "\n".join(f"  {e}" for e in exc.errors)
            raise CommandError(f"Impor dibatalkan, tidak ada yang disimpan ({exc.total} kesalahan):\n{lines}")
        self.stdout.write(self.style.SUCCESS(f"Selesai: {result.summary()}."))
