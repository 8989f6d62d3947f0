"""The readiness part of the demo at the tests' election night (pytest -m demo)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from deskpilkada.readiness import summary
from deskpilkada.readiness.models import TpsVulnerability, WeatherWarning
from deskpilkada.tps.models import Relocation, Tps

pytestmark = pytest.mark.demo


def WIB(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_every_tps_has_a_vulnerability_class_and_the_picture_has_gaps(db):
    rows = summary.readiness_rows(Tps.objects.all())
    t = summary.totals(rows)
    assert TpsVulnerability.objects.count() == Tps.objects.count() == t.tps == 1530
    assert t.unassessed == 0 and t.classes["sangat_rawan"] > 0
    assert 0.6 * t.tps < t.complete < 0.9 * t.tps  # a realistic share of incomplete checklists
    assert t.flagged > 0 and t.risky_without_plan > 0 and t.risky_without_backup > t.risky_without_plan
    assert 0 < t.gap_tps < t.tps


def test_tps_028_kebon_pedes_was_moved_to_its_backup_location_on_the_eve(db):
    moved = Relocation.objects.get(tps__code="3271061002028")
    assert moved.to_address.startswith("Halaman Masjid RW 05") and moved.at == WIB(2024, 11, 26, 21, 0)
    assert moved.tps.mitigation_plan.backup_address == moved.to_address
    assert WeatherWarning.objects.filter(starts_at=WIB(2024, 11, 27, 10, 0)).exists()
