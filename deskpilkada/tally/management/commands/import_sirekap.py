import json
from pathlib import Path

from django.core.management.base import CommandError

from deskpilkada.elections.models import Contest
from deskpilkada.imports import ImportCommand, rejection_report
from deskpilkada.tally.loading import import_sirekap


class Command(ImportCommand):
    help = (
        "Impor JSON per TPS Sirekap (berkas atau folder; nama berkas = kode TPS 13 angka, mis. 3271011001001.json) "
        "untuk dibandingkan dengan hitungan desk. Pemetaan id paslon Sirekap ke nomor urut: Contest.sirekap_ids."
    )
    path_argument = "path"
    path_help = "berkas JSON atau folder berisi berkas JSON"

    def add_options(self, parser):
        parser.add_argument("--contest", required=True)

    def run(self, path, *, by, **options):
        contest = options["contest"]
        contest_obj = Contest.objects.filter(code=contest).first()
        if contest_obj is None:
            raise CommandError(f"Pemilihan «{contest}» tidak ada.")
        root = Path(path)
        files = sorted(root.rglob("*.json")) if root.is_dir() else [root]
        items, errors = [], []
        for f in files:
            try:
                items.append((f.stem.replace(".", ""), json.loads(f.read_text(encoding="utf-8"))))
            except (OSError, ValueError) as exc:
                errors.append(f"{f.name}: bukan JSON yang dapat dibaca ({exc})")
        if errors:
            raise CommandError(rejection_report(errors))
        n = import_sirekap(items, by=by, contest=contest_obj)
        return f"{n} lembar Sirekap diimpor untuk {contest}"
