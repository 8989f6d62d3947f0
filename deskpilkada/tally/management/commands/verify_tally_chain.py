from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpilkada.elections.models import Contest
from deskpilkada.tally.chain import check_contest, find_checkpoint, short
from deskpilkada.tally.management.options import add_contest_option, named_contests


class Command(BaseCommand):
    help = (
        "Hitung ulang rantai hash setiap versi C.Hasil dan sebutkan mata rantai pertama yang rusak; lalu periksa "
        "checkpoint yang diterbitkan (tanda tangan, urutan) dan apakah riwayat kini masih menghasilkan akar "
        "checkpoint terakhir, atau akar yang Anda simpan (--against)."
    )

    def add_arguments(self, parser):
        add_contest_option(parser)
        parser.add_argument(
            "--against",
            metavar="AKAR_ATAU_NOMOR",
            help="akar (64 digit heksadesimal) atau nomor checkpoint yang diterbitkan, untuk dibandingkan",
        )

    def handle(self, *args, contest=None, against=None, **options):
        contests = named_contests(Contest.objects.select_related("region").order_by("pk"), contest)
        checkpoint = None
        if against:
            checkpoint = find_checkpoint(against)
            if checkpoint is None:
                raise CommandError(
                    _(
                        "CHECKPOINT TIDAK DITEMUKAN: %(a)s bukan akar atau nomor checkpoint yang tersimpan. Bila akar "
                        "ini disalin dari halaman publik, checkpoint itu telah diubah atau dihapus di database."
                    )
                    % {"a": against}
                )
            if contest and checkpoint.contest.code != contest:
                raise CommandError(
                    _("Checkpoint #%(i)d milik %(c)s, bukan %(k)s.")
                    % {"i": checkpoint.pk, "c": checkpoint.contest.code, "k": contest}
                )
            contests = Contest.objects.filter(pk=checkpoint.contest_id)
        problems, checked = [], 0
        for c in contests:
            result = check_contest(c, against=checkpoint)
            checked += result.versions_checked
            problems += [f"{c.code}: {p}" for p in result.problems()]
            if result.report is None:
                self.stdout.write(_("%(c)s: belum ada checkpoint yang diterbitkan.") % {"c": c.code})
            elif result.report.ok:
                cp = result.report.checkpoint
                self.stdout.write(
                    _(
                        "%(c)s: checkpoint #%(i)d (%(t)s, akar %(r)s) cocok: tanda tangan sah, riwayat kini "
                        "menghasilkan akar yang sama (%(n)d rantai)."
                    )
                    % {
                        "c": c.code,
                        "i": cp.pk,
                        "t": timezone.localtime(cp.at).strftime("%d-%m-%Y %H:%M:%S"),
                        "r": short(cp.root),
                        "n": cp.chains,
                    }
                )
        if problems:
            lines = "\n".join(f"  {p}" for p in problems)
            raise CommandError(
                _("RANTAI ATAU CHECKPOINT TIDAK COCOK (%(n)d versi diperiksa):\n%(l)s") % {"n": checked, "l": lines}
            )
        self.stdout.write(self.style.SUCCESS(_("Rantai utuh: %(n)d versi C.Hasil diperiksa.") % {"n": checked}))
