"""Needs from the rules, on hand-checked examples of the small world: eleven TPS of 250 voters
(120 + 130) in four kecamatan, the mayor's and the governor's contests over the whole city."""

from decimal import Decimal

import pytest

from deskpilkada import testing as world
from deskpilkada.logistics import actions
from deskpilkada.logistics.models import Basis
from deskpilkada.logistics.needs import area_needs, missing_pairs
from deskpilkada.logistics.tests import make

pytestmark = pytest.mark.django_db
CITY = "3271"


def needed(code: str, prefix: str = CITY) -> int:
    return next(n.needed for n in area_needs(world.election(), prefix).items if n.item.code == code)


def test_ballots_are_dpt_plus_reserve_rounded_up_per_tps_not_over_the_total():
    make.ballots()  # the election's reserve: 2.5 %
    # 250 × 1.025 = 256.25 → 257 at each TPS; 11 TPS → 2,827 (the city's DPT 2,750 × 1.025 would be 2,819).
    assert needed(f"surat-suara-{world.MAYOR}") == 11 * 257
    assert needed(f"surat-suara-{world.MAYOR}", "3271061002") == 5 * 257


def test_exactly_whole_reserve_is_not_rounded_up():
    make.ballots(reserve_pct=Decimal("2.00"))  # 250 × 1.02 = 255 exactly
    assert needed(f"surat-suara-{world.MAYOR}") == 11 * 255


def test_boxes_are_one_per_contest_per_tps_plus_the_spares_of_each_kecamatan():
    make.item("kotak-walkot", contest=world.contest(world.MAYOR), spare_per_kecamatan=1)
    make.item("kotak-gub", contest=world.contest(world.GOVERNOR), spare_per_kecamatan=1)
    # 11 TPS + 1 spare in each of the world's 4 kecamatan, for each contest.
    assert needed("kotak-walkot") == 15
    assert needed("kotak-gub") == 15
    assert needed("kotak-walkot", "327104") == 2 + 1  # Bogor Barat: two TPS and its spare
    assert needed("kotak-walkot", "3271041001") == 2  # a kelurahan holds no spare


def test_booths_follow_the_dpt_band():
    make.item("bilik", basis=Basis.DPT_BAND, bands=[[200, 3], [600, 4]])
    assert needed("bilik") == 11 * 4
    world.edit_tps("3271041001001", dpt_male=50, dpt_female=50)
    assert needed("bilik") == 10 * 4 + 3


def test_a_dpt_change_moves_the_needs_at_once():
    make.ballots()
    world.edit_tps("3271061002028", dpt_male=200, dpt_female=200)  # 400 × 1.025 = 410
    assert needed(f"surat-suara-{world.MAYOR}") == 10 * 257 + 410


def test_a_rule_change_moves_the_needs_at_once():
    make.ballots()
    item = make.ballots(reserve_pct=Decimal("10"))
    assert item.need_for(250) == 275
    assert needed(f"surat-suara-{world.MAYOR}") == 11 * 275


def test_the_sql_comparison_agrees_with_the_rule_in_python():
    item = make.ballots(reserve_pct=Decimal("2.5"))
    booth = make.item("bilik", basis=Basis.DPT_BAND, bands=[[200, 3], [600, 4]])
    for dpt in (0, 1, 39, 40, 41, 199, 200, 201, 250, 599, 600):
        world.edit_tps("3271041001001", dpt_male=dpt // 2, dpt_female=dpt - dpt // 2)
        pairs = {m.item_id: m.need for m in missing_pairs(world.election(), "3271041001001")}
        assert pairs.get(item.pk, 0) == item.need_for(dpt), dpt
        assert pairs[booth.pk] == booth.need_for(dpt), dpt


def test_a_band_rule_needs_its_bands():
    with pytest.raises(actions.Refused) as refused:
        make.item("bilik", basis=Basis.DPT_BAND, bands=[])
    assert refused.value.field == "bands"


def test_the_default_items_of_a_pilkada_give_bogor_its_3072_boxes():
    """2 per TPS for 1,530 TPS plus 2 spare per kecamatan (6): 3,072 — here on the world's 11 TPS and 4 kecamatan."""
    actions.install_default_items(world.election(), by=None)
    boxes = [n for n in area_needs(world.election(), CITY).items if n.item.code.startswith("kotak-")]
    assert sum(n.needed for n in boxes) == 2 * 11 + 2 * 4
    assert 2 * 1530 + 2 * 6 == 3072
