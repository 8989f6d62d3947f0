from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from deskpilkada.elections.models import Election
from deskpilkada.logistics.actions import rebuild_figures
from deskpilkada.logistics.figures import check, stale
from deskpilkada.logistics.models import ItemType


class Command(BaseCommand):
    help = (
        "Hitung ulang angka logistik yang disimpan (diterima per TPS dan barang, per kelurahan, stok per "
        "pemegang, kelengkapan per TPS) dari kiriman, dan laporkan selisihnya. --fix menulis ulang semuanya."
    )

    def add_arguments(self, parser):
        parser.add_argument("--election", help="kode pemilihan (bawaan: semua yang punya jenis logistik)")
        parser.add_argument("--fix", action="store_true", help="tulis ulang angka yang disimpan dari kiriman")

    def handle(self, *args, election=None, fix=False, **options):
        elections = Election.objects.filter(pk__in=ItemType.objects.values("election_id")).order_by("code")
        if election:
            elections = elections.filter(code=election)
            if not elections.exists():
                raise CommandError(f"Pemilihan «{election}» tidak punya jenis logistik.")
        failed = False
        for e in elections:
            differences = check(e)
            if fix:
                with transaction.atomic():
                    rebuild_figures(e, by=None, differences=len(differences))
                self.stdout.write(
                    self.style.WARNING(f"{e.code}: {len(differences)} selisih; angka ditulis ulang dari kiriman.")
                )
                continue
            behind = stale(e)
            note = f" ({behind} TPS dinilai ulang setiap dibaca: DPT atau aturan berubah sejak)" if behind else ""
            if not differences:
                self.stdout.write(self.style.SUCCESS(f"{e.code}: angka yang disimpan sama dengan kiriman{note}."))
                continue
            failed = True
            self.stdout.write(self.style.ERROR(f"{e.code}: {len(differences)} selisih{note}"))
            for line in differences[:200]:
                self.stdout.write(f"  {line}")
        if failed:
            raise CommandError("Ada selisih; jalankan dengan --fix untuk menulis ulang angka dari kiriman.")
