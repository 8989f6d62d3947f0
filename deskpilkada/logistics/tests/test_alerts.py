"""Completeness and the H-1 alert list, with the clock frozen at chosen moments; the desk tile."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from deskpilkada import testing as world
from deskpilkada.logistics import actions, alerts
from deskpilkada.logistics.desk import readiness, tile
from deskpilkada.logistics.models import VENDOR
from deskpilkada.logistics.needs import area_needs
from deskpilkada.logistics.tests import make

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
H_MINUS_3 = dt.datetime(2024, 11, 24, 12, 0, tzinfo=WIB)
H_MINUS_1 = dt.datetime(2024, 11, 26, 15, 0, tzinfo=WIB)
KEBON_PEDES = "3271061002"
TPS_028, TPS_027 = "3271061002028", "3271061002027"


@pytest.fixture
def box():
    return make.item("kotak")  # one per TPS


def deliver(tps_code: str, quantity: int = 1, **receipt):
    s = make.shipment(tps_code[:10], tps_code, {"kotak": quantity}, sent=True)
    return make.receive(s, **receipt)


def test_a_tps_is_complete_once_it_received_everything_in_good_order(box):
    make.stocked(KEBON_PEDES, {"kotak": 5})
    assert area_needs(world.election(), KEBON_PEDES).tps_complete == 0
    make.receive(make.shipment(KEBON_PEDES, TPS_028, {"kotak": 1}, sent=True))
    needs = area_needs(world.election(), KEBON_PEDES)
    assert (needs.tps_complete, needs.tps_total) == (1, 5)
    item = needs.items[0]
    assert (item.needed, item.sent, item.received, item.missing) == (5, 1, 1, 4)


def test_a_damaged_receipt_leaves_the_tps_incomplete(box):
    make.stocked(KEBON_PEDES, {"kotak": 5})
    make.receive(make.shipment(KEBON_PEDES, TPS_028, {"kotak": 1}, sent=True), damaged={"kotak": 1})
    assert area_needs(world.election(), TPS_028).tps_complete == 0


def test_a_surplus_at_one_tps_does_not_hide_a_shortage_at_another(box):
    make.stocked(KEBON_PEDES, {"kotak": 5})
    make.receive(make.shipment(KEBON_PEDES, TPS_028, {"kotak": 2}, sent=True))
    needs = area_needs(world.election(), KEBON_PEDES)
    assert needs.items[0].received == 2 and needs.items[0].missing == 4  # not 3


def test_before_the_send_by_time_only_a_short_receipt_is_an_alert(box, settings):
    settings.DEMO_NOW = H_MINUS_3
    make.stocked(KEBON_PEDES, {"kotak": 5})
    make.receive(make.shipment(KEBON_PEDES, TPS_028, {"kotak": 1}, sent=True), counted={"kotak": 0})
    found = alerts.alerts(world.election(), KEBON_PEDES)
    assert [a.tps.code for a in found] == [TPS_028]
    assert found[0].reason == "short" and found[0].holder.holder == KEBON_PEDES


def test_after_the_send_by_time_every_incomplete_tps_is_an_alert_with_its_holder(box, settings):
    settings.DEMO_NOW = H_MINUS_1
    make.stocked(KEBON_PEDES, {"kotak": 5})
    make.shipment(KEBON_PEDES, TPS_027, {"kotak": 1}, sent=True)  # on the road
    make.receive(make.shipment(KEBON_PEDES, TPS_028, {"kotak": 1}, sent=True))  # complete
    found = {a.tps.code: a for a in alerts.alerts(world.election(), KEBON_PEDES)}
    assert TPS_028 not in found and len(found) == 4
    assert found[TPS_027].reason == "transit" and found[TPS_027].holder.holder_name == "PPS Kebon Pedes"
    assert found["3271061002001"].reason == "held"  # the PPS holds it, has not sent it
    assert "ada di PPS Kebon Pedes" in found["3271061002001"].lines[0].where.text


def test_nothing_anywhere_points_at_the_warehouse(box, settings):
    settings.DEMO_NOW = H_MINUS_1
    found = alerts.alerts(world.election(), "327104")
    assert {a.reason for a in found} == {"not_sent"}
    assert found[0].holder.holder_name == "Gudang KPU Kota Bogor"


def test_the_send_by_time_is_a_rule_of_the_election(box, settings):
    rule = alerts.rules(world.election())["kirim-tps"]
    rule.amount = -4  # H-4
    rule.save(update_fields=["amount"])
    settings.DEMO_NOW = H_MINUS_3
    assert len(alerts.alerts(world.election(), KEBON_PEDES)) == 5


def test_a_sent_shipment_carries_its_receipt_deadline(box):
    s = make.shipment(VENDOR, "3271", {"kotak": 1}, sent=True)
    assert s.due_at == dt.datetime(2024, 11, 26, 12, 0, tzinfo=WIB)
    make.receive(s)
    s.refresh_from_db()
    assert s.due_at is None


def test_the_desk_tile_and_readiness_count_complete_tps(box, persona, settings):
    settings.DEMO_NOW = H_MINUS_1
    make.stocked(KEBON_PEDES, {"kotak": 5})
    make.receive(make.shipment(KEBON_PEDES, TPS_028, {"kotak": 1}, sent=True))
    figures = tile(persona("viewer")).figures
    assert (figures[0].value, figures[0].of) == (1, 11)
    assert figures[1].value == 10 and figures[1].alert
    kecamatan = world.region("32.71.06")
    assert readiness(persona("viewer"), [kecamatan])["32.71.06"].score == 20  # 1 of Tanah Sareal's 5 TPS
    assert tile(persona("kpps")).figures[0].value == 1 and tile(persona("kpps")).figures[0].of == 1


def test_a_replacement_request_shows_on_the_desk_tile(box, persona):
    make.stocked(KEBON_PEDES, {"kotak": 5})
    make.receive(make.shipment(KEBON_PEDES, TPS_028, {"kotak": 1}, sent=True), counted={"kotak": 0})
    assert tile(persona("viewer")).figures[3].value == 1
    assert tile(persona("ppk")).figures[3].value == 0  # Bogor Barat's PPK does not see Tanah Sareal's


def test_the_kecamatan_is_prepared_in_one_step_with_its_boxes_labelled(persona):
    actions.install_default_items(world.election(), by=None)
    made = actions.create_kecamatan_shipments(world.election(), world.region("32.71.06"), by=persona("kpu"))
    receivers = sorted(s.receiver for s in made)
    assert receivers == ["327106", KEBON_PEDES, *[f"{KEBON_PEDES}{n:03d}" for n in (1, 2, 25, 27, 28)]]
    to_tps = next(s for s in made if s.receiver == TPS_028)
    boxes = to_tps.lines.get(item__code=f"kotak-{world.MAYOR}")
    assert boxes.quantity == 1 and boxes.units.count() == 1
    to_ppk = next(s for s in made if s.receiver == "327106")
    assert to_ppk.lines.get(item__code=f"kotak-{world.MAYOR}").quantity == 5 + 1  # its TPS and one spare
    assert to_ppk.lines.get(item__code=f"kotak-{world.MAYOR}").units.count() == 5
    assert actions.create_kecamatan_shipments(world.election(), world.region("32.71.06"), by=None) == []
    with pytest.raises(actions.Refused):
        actions.create_kecamatan_shipments(world.election(), world.region("32.71.06"), by=persona("ppk"))
