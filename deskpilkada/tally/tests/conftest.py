import pytest

from deskpilkada.elections.models import Contest
from deskpilkada.tally import rules
from deskpilkada.tps.models import Tps

MAYOR = "pilwalkot-bogor-2024"
KEBON_PEDES_028 = "3271061002028"  # left without a sheet by the demo, for the KPPS to enter


def make_sheet(dpt: int, votes=(50, 60, 70, 80, 30), invalid: int = 10, dptb: int = 0, voters_dptb: int = 0):
    """The tests' usual sheet: five paslon, ten invalid ballots, one damaged."""
    return rules.balanced_sheet(dpt, votes, invalid=invalid, dptb=dptb, voters_dptb=voters_dptb, damaged=1)


@pytest.fixture
def mayor(db):
    return Contest.objects.select_related("election", "region").get(code=MAYOR)


@pytest.fixture
def tps028(db):
    return Tps.objects.get(code=KEBON_PEDES_028)
