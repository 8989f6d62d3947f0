from django.core.management.base import BaseCommand, CommandError

from deskpilkada.accounts.models import User
from deskpilkada.imports import ImportRejected
from deskpilkada.tally.loading import import_results


class Command(BaseCommand):
    help = (
        "Impor C.Hasil dari CSV/Excel (format di README). Baris rusak membatalkan berkas; pelanggaran aturan ditahan."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", default="csv", help="nama sumber data, dicatat di log audit")
        parser.add_argument("--user", help="nama pengguna yang dicatat sebagai pengentri")

    def handle(self, *args, file, source, user=None, **options):
        by = User.objects.filter(username=user).first() if user else None
        if user and by is None:
            raise CommandError(f"Pengguna «{user}» tidak ada.")
        try:
            with open(file, "rb") as fh:
                result = import_results(fh, by=by, source=source)
        except FileNotFoundError:
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        except ImportRejected as exc:
            lines = "\n".join(f"  {e}" for e in exc.errors)
            raise CommandError(f"Impor dibatalkan, tidak ada yang disimpan ({exc.total} kesalahan):\n{lines}")
        self.stdout.write(self.style.SUCCESS(f"Selesai: {result.summary()}."))
