from django.core.management.base import BaseCommand, CommandError

from deskpilkada.accounts.models import User
from deskpilkada.imports import ImportRejected
from deskpilkada.tps.actions import import_tps


class Command(BaseCommand):
    help = (
        "Impor TPS dari CSV atau Excel (kolom: lihat README). Semua atau tidak sama sekali: "
        "satu baris salah membatalkan impor dan semua baris salah dilaporkan."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", help="nama pengguna yang dicatat di log audit (bawaan: sistem)")

    def handle(self, *args, file, user=None, **options):
        by = None
        if user:
            by = User.objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"Pengguna «{user}» tidak ada.")
        try:
            with open(file, "rb") as fh:
                result = import_tps(fh, by=by)
        except FileNotFoundError:
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        except ImportRejected as exc:
            lines = "\n".join(f"  {e}" for e in exc.errors)
            raise CommandError(f"Impor dibatalkan, tidak ada yang disimpan ({exc.total} kesalahan):\n{lines}")
        self.stdout.write(self.style.SUCCESS(f"Selesai: {result.summary()}."))
