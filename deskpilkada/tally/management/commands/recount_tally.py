from django.core.management.base import BaseCommand, CommandError

from deskpilkada.elections.models import Contest
from deskpilkada.tally.actions import recount_differences, rewrite_totals


class Command(BaseCommand):
    help = "Hitung ulang rekap dari nol (GROUP BY atas C.Hasil) dan laporkan selisih dengan total yang dipelihara."

    def add_arguments(self, parser):
        parser.add_argument("--contest", help="kode pemilihan (bawaan: semua)")
        parser.add_argument("--fix", action="store_true", help="tulis ulang total dari hasil hitung ulang")

    def handle(self, *args, contest=None, fix=False, **options):
        contests = Contest.objects.filter(code=contest) if contest else Contest.objects.all()
        if contest and not contests:
            raise CommandError(f"Pemilihan «{contest}» tidak ada.")
        failed = False
        for c in contests:
            diffs = recount_differences(c)
            if not diffs:
                self.stdout.write(self.style.SUCCESS(f"{c.code}: total sama dengan hitung ulang."))
                continue
            failed = True
            self.stdout.write(self.style.ERROR(f"{c.code}: {len(diffs)} selisih"))
            for line in diffs[:200]:
                self.stdout.write(f"  {line}")
            if fix:
                rewrite_totals(by=None, contest=c)
                self.stdout.write(self.style.WARNING(f"{c.code}: total ditulis ulang dari hitung ulang."))
        if failed and not fix:
            raise CommandError("Ada selisih; jalankan dengan --fix untuk menulis ulang total.")
