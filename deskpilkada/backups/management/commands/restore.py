from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from deskpilkada.backups.backup import BackupError, check_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Pulihkan basis data dan berkas unggahan dari backup di FOLDER, menggantikan yang ada. Ditolak bila checksum "
        "suatu berkas tidak cocok, ada berkas yang hilang atau tak tercatat, mesin basis datanya lain, atau migrasinya "
        "tidak sama dengan kode ini. Hentikan server dulu (lihat README: latihan restore)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="FOLDER")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument("--check", action="store_true", help="hanya periksa backup, jangan pulihkan")

    def handle(self, *args, directory, interactive=True, check=False, **options):
        try:
            checked = check_backup(Path(directory))
            if checked.problems or check:
                if checked.problems:
                    lines = "\n".join(f"  - {p}" for p in checked.problems)
                    raise CommandError(_("BACKUP DITOLAK, tidak ada yang diubah:\n%(p)s") % {"p": lines})
                self.stdout.write(self.style.SUCCESS(_("Backup utuh dan cocok dengan kode ini; boleh dipulihkan.")))
                return
            manifest = checked.manifest
            if interactive:
                answer = input(
                    _("Basis data dan berkas unggahan yang ada akan diganti dengan backup %(t)s. Ketik 'ya': ")
                    % {"t": manifest["created_at"]}
                )
                if answer.strip().lower() != "ya":
                    raise CommandError(_("Dibatalkan; tidak ada yang diubah."))
            restore_backup(Path(directory), say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restore selesai: %(r)d baris di %(t)d tabel cocok dengan manifest. Periksa rantai: "
                    "deskpilkada verify_audit_chain dan deskpilkada verify_tally_chain."
                )
                % {"r": sum(manifest["tables"].values()), "t": len(manifest["tables"])}
            )
        )
