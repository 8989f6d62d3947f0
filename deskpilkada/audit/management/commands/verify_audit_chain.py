from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from deskpilkada import numbers
from deskpilkada.audit import chain


class Command(BaseCommand):
    help = (
        "Hitung ulang rantai hash log audit dari catatan pertama sampai terakhir dan sebutkan mata rantai pertama "
        "yang rusak (catatan yang diubah, dihapus atau disisipkan di luar aplikasi). Cetak hash ujung rantai: "
        "catat hash itu, lalu periksa kelak dengan --against bahwa riwayat sampai titik itu tidak ditulis ulang."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--against",
            metavar="HASH",
            default="",
            help="hash ujung rantai yang dicatat sebelumnya (64 digit heksadesimal); harus masih ada di rantai",
        )

    def handle(self, *args, against="", **options):
        against = against.strip().lower()
        result = chain.verify(against=against)
        if result.broken:
            raise CommandError(
                _("RANTAI AUDIT RUSAK setelah %(n)s catatan utuh: %(b)s")
                % {"n": numbers.number(result.checked), "b": result.broken}
            )
        if result.seen_against is False:
            raise CommandError(
                _(
                    "HASH %(h)s TIDAK ADA DI RANTAI: riwayat sampai titik yang dicatat itu telah ditulis ulang "
                    "(setiap hash dihitung ulang) atau dipotong."
                )
                % {"h": against}
            )
        if against:
            self.stdout.write(_("Hash %(h)s… yang dicatat masih ada di rantai.") % {"h": against[:12]})
        self.stdout.write(
            self.style.SUCCESS(
                _("Rantai audit utuh: %(n)s catatan diperiksa. Ujung rantai: catatan #%(i)d, hash %(h)s")
                % {"n": numbers.number(result.checked), "i": result.head_id, "h": result.head_hash}
            )
        )
