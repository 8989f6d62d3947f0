from django.core.management.base import BaseCommand, CommandError

from deskpilkada.elections.models import Contest
from deskpilkada.tally.actions import verify_chain


class Command(BaseCommand):
    help = "Hitung ulang rantai hash setiap versi C.Hasil dan sebutkan mata rantai pertama yang rusak."

    def add_arguments(self, parser):
        parser.add_argument("--contest", help="kode pemilihan (bawaan: semua)")

    def handle(self, *args, contest=None, **options):
        target = Contest.objects.get(code=contest) if contest else None
        checked, broken = verify_chain(target)
        if broken:
            raise CommandError(f"RANTAI RUSAK setelah {checked} versi yang benar: {broken}")
        self.stdout.write(self.style.SUCCESS(f"Rantai utuh: {checked} versi C.Hasil diperiksa."))
