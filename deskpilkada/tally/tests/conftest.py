import pytest

from deskpilkada import testing
from deskpilkada.testing import MAYOR, make_sheet

__all__ = ["KEBON_PEDES_028", "MAYOR", "make_sheet"]

KEBON_PEDES_028 = "3271061002028"  # the KPPS persona's TPS, without a sheet in the world


@pytest.fixture
def mayor(db):
    return testing.contest(MAYOR)


@pytest.fixture
def tps028(db):
    return testing.tps(KEBON_PEDES_028)
