"""The demo's election: Pilkada 2024 in Kota Bogor, its calendar, the two contests and their real pairs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from deskpilkada.elections.actions import save_candidate, save_contest, save_election, save_phase
from deskpilkada.regions.models import Region

ELECTION = "pilkada-2024"

PHASES = [
    ("Kampanye", dt.date(2024, 9, 25), dt.date(2024, 11, 23)),
    ("Batas pindah memilih (H-7)", dt.date(2024, 11, 20), dt.date(2024, 11, 20)),
    ("Distribusi undangan C.Pemberitahuan", dt.date(2024, 11, 22), dt.date(2024, 11, 26)),
    ("Masa tenang", dt.date(2024, 11, 24), dt.date(2024, 11, 26)),
    ("Pemungutan dan penghitungan suara", dt.date(2024, 11, 27), dt.date(2024, 11, 27)),
    ("Rekapitulasi kecamatan (D.Hasil)", dt.date(2024, 11, 28), dt.date(2024, 12, 3)),
    ("Rekapitulasi KPU Kota", dt.date(2024, 11, 29), dt.date(2024, 12, 6)),
]

# code: (name, kind, region), then the pairs by official ballot number
CONTESTS = {
    "pilwalkot-bogor-2024": ("Pemilihan Wali Kota dan Wakil Wali Kota Bogor 2024", "pilwalkot", "32.71"),
    "pilgub-jabar-2024": ("Pemilihan Gubernur dan Wakil Gubernur Jawa Barat 2024", "pilgub", "32"),
}
PAIRS = {
    "pilwalkot-bogor-2024": [
        ("Sendi Fardiansyah", "Melli Darsa"),
        ("Atang Trisnanto", "Annida Allivia"),
        ("Dedie A. Rachim", "Jenal Mutaqin"),
        ("Rena Da Frina", "Teddy Risandi"),
        ("Raendi Rayendra", "Eka Maulana"),
    ],
    "pilgub-jabar-2024": [
        ("Acep Adang Ruhiat", "Gitalis Dwi Natarina"),
        ("Jeje Wiradinata", "Ronal Surapradja"),
        ("Ahmad Syaikhu", "Ilham Akbar Habibie"),
        ("Dedi Mulyadi", "Erwan Setiawan"),
    ],
}
# Sirekap's own paslon ids for Kota Bogor 2024 (as in its per-TPS JSON), by ballot number.
SIREKAP_IDS = {
    "pilwalkot-bogor-2024": {str(1000597 + n): n for n in range(1, 6)},  # 1000598–1000602
    "pilgub-jabar-2024": {str(1000025 + n): n for n in range(1, 5)},  # 1000026–1000029
}


def seed(*, now: dt.datetime, say: Callable[[str], None]) -> None:
    """The election, its phases, contests and pairs: all set up before the demo's `now`."""
    election = save_election(
        by=None,
        code=ELECTION,
        name="Pemilihan Serentak 2024 — Kota Bogor",
        voting_date=dt.date(2024, 11, 27),
        is_current=True,
    )
    for name, start, end in PHASES:
        save_phase(by=None, election=election, name=name, starts_on=start, ends_on=end)
    for code, (name, kind, region) in CONTESTS.items():
        contest = save_contest(
            by=None,
            code=code,
            election=election,
            name=name,
            kind=kind,
            region=Region.objects.get(code=region),
            sirekap_ids=SIREKAP_IDS[code],
        )
        for number, (head, deputy) in enumerate(PAIRS[code], start=1):
            save_candidate(by=None, contest=contest, number=number, head_name=head, deputy_name=deputy)
