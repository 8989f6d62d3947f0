"""BPBD's hazard lists are written through one audited action (the demo's list included)."""

import pytest

from deskpilkada.audit.models import AuditEntry
from deskpilkada.regions.actions import add_hazard
from deskpilkada.regions.models import Region, RegionHazard


@pytest.fixture
def paledang(db):
    return Region.objects.get(code="32.71.03.1002")


def test_a_hazard_is_added_once_and_audited(paledang, persona):
    hazard = add_hazard(by=persona("admin"), region=paledang, kind="angin", source="BPBD (uji)")
    again = add_hazard(by=persona("admin"), region=paledang, kind="angin", source="BPBD (uji)")
    assert again.pk == hazard.pk and RegionHazard.objects.filter(region=paledang, kind="angin").count() == 1
    entries = AuditEntry.objects.filter(action="regions.hazard_added", target_id=str(hazard.pk))
    assert entries.count() == 1 and entries.get().area == "3271031002"


def test_a_new_source_for_a_listed_hazard_is_written_with_the_old_one(paledang):
    from deskpilkada.testing import make_hazard

    make_hazard(paledang.code, "longsor", source="BPBD 2024 (uji)")  # listed before
    hazard = RegionHazard.objects.get(region=paledang, kind="longsor")
    add_hazard(by=None, region=paledang, kind="longsor", source="BPBD 2025 (uji)")
    entry = AuditEntry.objects.filter(action="regions.hazard_updated").latest("pk")
    assert entry.before == {"source": hazard.source} and entry.after == {"source": "BPBD 2025 (uji)"}


def test_an_unknown_kind_of_hazard_is_refused(paledang):
    with pytest.raises(ValueError, match="gempa"):
        add_hazard(by=None, region=paledang, kind="gempa")
