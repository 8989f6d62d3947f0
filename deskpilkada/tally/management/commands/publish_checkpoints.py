from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from deskpilkada.elections.models import Contest
from deskpilkada.tally.chain import CheckpointRefused, publish_checkpoint, short
from deskpilkada.tally.management.options import add_contest_option, named_contests


class Command(BaseCommand):
    help = (
        "Terbitkan checkpoint bertanda tangan dari rantai C.Hasil: ujung rantai setiap TPS dilipat menjadi satu "
        "akar per pemilihan. Pemilihan yang tidak berubah sejak checkpoint terakhir dilewati. Di produksi "
        "dijalankan berkala (tiap beberapa menit pada malam pemilihan)."
    )

    def add_arguments(self, parser):
        add_contest_option(parser)

    def handle(self, *args, contest=None, **options):
        contests = named_contests(Contest.objects.select_related("region").order_by("pk"), contest)
        published = refused = 0
        for c in contests:
            try:
                checkpoint, created = publish_checkpoint(by=None, contest=c)
            except CheckpointRefused as exc:
                refused += 1
                self.stdout.write(self.style.ERROR(f"{c.code}: {exc}"))
                continue
            if created:
                published += 1
                line = _("%(c)s: checkpoint #%(i)d, akar %(r)s (%(n)d rantai, %(v)d versi).")
            else:
                line = _("%(c)s: tidak berubah sejak checkpoint #%(i)d, akar %(r)s.")
            self.stdout.write(
                line
                % {
                    "c": c.code,
                    "i": checkpoint.pk,
                    "r": short(checkpoint.root),
                    "n": checkpoint.chains,
                    "v": checkpoint.versions,
                }
            )
        if refused:
            raise CommandError(
                _("%(n)d pemilihan tidak diberi checkpoint karena riwayatnya berubah; jalankan verify_tally_chain.")
                % {"n": refused}
            )
        self.stdout.write(self.style.SUCCESS(_("Selesai: %(n)d checkpoint baru diterbitkan.") % {"n": published}))
