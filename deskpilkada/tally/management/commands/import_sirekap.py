import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deskpilkada.accounts.models import User
from deskpilkada.elections.models import Contest
from deskpilkada.imports import ImportRejected
from deskpilkada.tally.loading import import_sirekap


class Command(BaseCommand):
    help = (
        "Impor JSON per TPS Sirekap (berkas atau folder; nama berkas = kode TPS 13 angka, mis. 3271011001001.json) "
        "untuk dibandingkan dengan hitungan desk. Pemetaan id paslon Sirekap ke nomor urut: Contest.sirekap_ids."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--contest", required=True)
        parser.add_argument("--user")

    def handle(self, *args, path, contest, user=None, **options):
        contest_obj = Contest.objects.filter(code=contest).first()
        if contest_obj is None:
            raise CommandError(f"Pemilihan «{contest}» tidak ada.")
        by = User.objects.filter(username=user).first() if user else None
        root = Path(path)
        files = sorted(root.rglob("*.json")) if root.is_dir() else [root]
        items, errors = [], []
        for f in files:
            try:
                items.append((f.stem.replace(".", ""), json.loads(f.read_text(encoding="utf-8"))))
            except (OSError, ValueError) as exc:
                errors.append(f"  {f.name}: bukan JSON yang dapat dibaca ({exc})")
        if errors:
            raise CommandError("Impor dibatalkan:\n" + "\n".join(errors))
        try:
            n = import_sirekap(items, by=by, contest=contest_obj)
        except ImportRejected as exc:
            raise CommandError("Impor dibatalkan:\n" + "\n".join(f"  {e}" for e in exc.errors))
        self.stdout.write(self.style.SUCCESS(f"Selesai: {n} lembar Sirekap diimpor untuk {contest}."))
