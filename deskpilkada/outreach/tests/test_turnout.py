"""Turnout history has an audited action of its own (the import writes in bulk; the demo per row)."""

import pytest

from deskpilkada.audit.models import AuditEntry
from deskpilkada.outreach.actions import Refused, save_turnout
from deskpilkada.outreach.models import TurnoutHistory
from deskpilkada.regions.models import Region


@pytest.fixture
def kebon_pedes(db):
    return Region.objects.get(code="32.71.06.1002")


def test_saving_a_turnout_creates_then_replaces_it_and_audits_each_change(kebon_pedes, persona):
    row = save_turnout(
        by=persona("kpu"), region=kebon_pedes, label="Pilkada 2018 (uji)", year=2018, dpt=900, voters=600
    )
    save_turnout(by=persona("kpu"), region=kebon_pedes, label="Pilkada 2018 (uji)", year=2018, dpt=900, voters=650)
    save_turnout(by=persona("kpu"), region=kebon_pedes, label="Pilkada 2018 (uji)", year=2018, dpt=900, voters=650)
    row.refresh_from_db()
    assert row.voters == 650 and TurnoutHistory.objects.filter(region=kebon_pedes, label__endswith="(uji)").count() == 1
    entries = AuditEntry.objects.filter(action="outreach.turnout_saved", target_id=str(row.pk)).order_by("pk")
    assert [(e.before, e.after) for e in entries] == [
        (None, {"year": 2018, "dpt": 900, "voters": 600}),
        ({"voters": 600}, {"voters": 650}),
    ]


def test_more_voters_than_dpt_is_refused(kebon_pedes):
    with pytest.raises(Refused) as refused:
        save_turnout(by=None, region=kebon_pedes, label="Pilkada 2018 (uji)", year=2018, dpt=900, voters=901)
    assert refused.value.field == "pengguna"
