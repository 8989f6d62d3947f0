import pytest

from deskpilkada.elections.models import Contest
from deskpilkada.tally import rules
from deskpilkada.tps.models import Tps

MAYOR = "pilwalkot-bogor-2024"
KEBON_PEDES_028 = "3271061002028"  # left without a sheet by the demo, for the KPPS to enter


def make_sheet(dpt: int, votes=(50, 60, 70, 80, 30), invalid: int = 10, dptb: int = 0, voters_dptb: int = 0):
    valid = sum(votes)
    voters = valid + invalid
    received = -(-dpt * 1025 // 1000)
    return rules.Sheet(
        numbers={
            "dpt": dpt,
            "dptb": dptb,
            "dpk": 0,
            "pengguna_dpt": voters - voters_dptb,
            "pengguna_dptb": voters_dptb,
            "pengguna_dpk": 0,
            "surat_suara_diterima": received,
            "surat_suara_digunakan": voters,
            "surat_suara_rusak": 1,
            "surat_suara_sisa": received - voters - 1,
            "suara_sah": valid,
            "suara_tidak_sah": invalid,
        },
        votes={i + 1: v for i, v in enumerate(votes)},
    )


@pytest.fixture
def mayor(db):
    return Contest.objects.select_related("election", "region").get(code=MAYOR)


@pytest.fixture
def tps028(db):
    return Tps.objects.get(code=KEBON_PEDES_028)
