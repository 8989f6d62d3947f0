"""Shared set-up of the case tests: the places of the world they report at, times by the WIB
clock, and a temporary media folder for attachments."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

WIB = ZoneInfo("Asia/Jakarta")

# Places of the small world (deskpilkada/testing.py).
MENTENG = "32.71.04.1001"  # a kelurahan of Kecamatan Bogor Barat, with TPS 001 and 002
MENTENG_TPS_1 = "3271041001001"
MENTENG_TPS_2 = "3271041001002"
SINDANG_BARANG = "32.71.04.1002"  # another kelurahan of Bogor Barat, next door
BOGOR_BARAT = "32.71.04"
KEBON_PEDES = "32.71.06.1002"  # Tanah Sareal: the lurah's, PPS's and KPPS's kelurahan
KEBON_PEDES_028 = "3271061002028"
BATU_TULIS = "32.71.01.1001"  # Bogor Selatan: outside every Bogor Barat account


def wib(text: str) -> dt.datetime:
    """'2024-11-27 10:00' as a WIB time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=WIB)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
