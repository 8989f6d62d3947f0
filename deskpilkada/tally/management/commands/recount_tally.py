from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deskpilkada.elections.models import Contest
from deskpilkada.tally.chain import check_contest
from deskpilkada.tally.management.options import add_contest_option, named_contests
from deskpilkada.tally.rollup import recount_differences, rewrite_totals

UNEXPLAINED = gettext_lazy(
    "%(c)s: selisih ini TIDAK dijelaskan oleh rantai C.Hasil: data diubah di luar aplikasi. Total tidak ditulis ulang."
)


class Command(BaseCommand):
    help = (
        "Hitung ulang rekap dari nol (GROUP BY atas C.Hasil) dan laporkan selisih dengan total yang dipelihara. "
        "--fix menulis ulang total hanya bila rantai hash utuh dan cocok dengan checkpoint terakhir."
    )

    def add_arguments(self, parser):
        add_contest_option(parser)
        parser.add_argument(
            "--fix",
            action="store_true",
            help="tulis ulang total dari hasil hitung ulang (setelah rantai dan checkpoint diperiksa)",
        )

    def handle(self, *args, contest=None, fix=False, **options):
        contests = named_contests(Contest.objects.all(), contest)
        failed = refused = False
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
                # A recount only restores the totals the chain accounts for; a history changed behind
                # the app's back must be investigated, not absorbed into new totals.
                check = check_contest(c)
                if not check.ok:
                    refused = True
                    self.stdout.write(self.style.ERROR(UNEXPLAINED % {"c": c.code}))
                    for line in check.problems():
                        self.stdout.write(f"  {line}")
                    continue
                rewrite_totals(by=None, contest=c)
                self.stdout.write(self.style.WARNING(f"{c.code}: total ditulis ulang dari hitung ulang."))
        if refused:
            raise CommandError(
                _(
                    "Penulisan ulang ditolak: selisih tidak dijelaskan oleh rantai C.Hasil (data diubah di luar "
                    "aplikasi). Jalankan verify_tally_chain dan periksa log audit."
                )
            )
        if failed and not fix:
            raise CommandError("Ada selisih; jalankan dengan --fix untuk menulis ulang total.")
