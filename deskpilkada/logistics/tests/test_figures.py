"""The kept figures (figures.py): after every action that moves a shipment — send, cancel, return,
receive (short, damaged), correct, a replacement — the kept receipts per TPS and kelurahan, the stock
per holder and each TPS's judgement equal the same figures computed from the shipments from scratch;
a DPT changed elsewhere or a rule changed is judged on read; the check names a tampered row and the
rebuild restores it."""

import pytest
from django.core.management import CommandError, call_command

from deskpilkada import testing as world
from deskpilkada.logistics import actions, figures
from deskpilkada.logistics.actions import Count
from deskpilkada.logistics.models import (
    VENDOR,
    HeldStock,
    ReceivedAtTps,
    ReceivedInKelurahan,
    Shipment,
    TpsCompleteness,
)
from deskpilkada.logistics.needs import area_needs, incomplete, items_of, missing_pairs
from deskpilkada.logistics.tests import make

pytestmark = pytest.mark.django_db
KPU, PPK, PPS, TPS = "3271", "327106", "3271061002", "3271061002028"


def kept_equals_derived() -> None:
    """The kept rows equal the figures from the shipments, and the non-zero ones are all there."""
    election = world.election()
    assert figures.check(election) == []
    kept_stock = {(r.holder, r.item_id): r.held for r in HeldStock.objects.all() if r.held}
    assert kept_stock == {k: v for k, v in figures.derive_stock(election).items() if v}
    kept_received = {
        (r.tps_id, r.item_id): (r.sent, r.got, r.transit_code, r.received_code)
        for r in ReceivedAtTps.objects.all()
        if r.sent
    }
    assert kept_received == figures.derive_received(election)
    kept_kelurahan = {(r.kelurahan, r.item_id): (r.sent, r.got) for r in ReceivedInKelurahan.objects.all() if r.sent}
    assert kept_kelurahan == figures.derive_kelurahan(election)


def naive_missing(prefix: str) -> set[tuple[str, str, int]]:
    """(TPS code, item code, short) of every TPS inside the area, from the shipment lines one by one."""
    election = world.election()
    got: dict[tuple[int, int], int] = {}
    for s in Shipment.objects.filter(receiver_tps__isnull=False, state__in=Shipment.RECEIVED):
        for line in s.lines.all():
            got[(s.receiver_tps_id, line.item_id)] = got.get((s.receiver_tps_id, line.item_id), 0) + line.good
    out = set()
    for t in world.Tps.objects.filter(code__startswith=prefix):
        for item in items_of(election):
            need = item.need_for(t.dpt) if item.applies_to(t.code) else 0
            if got.get((t.pk, item.pk), 0) < need:
                out.add((t.code, item.code, need - got.get((t.pk, item.pk), 0)))
    return out


def pairs(prefix: str) -> set[tuple[str, str, int]]:
    codes = {i.pk: i.code for i in items_of(world.election())}
    return {(m.tps_code, codes[m.item_id], m.short) for m in missing_pairs(world.election(), prefix)}


@pytest.fixture
def items():
    return make.item("kotak", spare_per_kecamatan=1), make.item("tinta", per_tps=2)


def test_sending_moves_the_senders_kept_stock_and_the_tps_sent(items):
    make.stocked(PPS, {"kotak": 3, "tinta": 6})
    kept_equals_derived()
    assert HeldStock.objects.get(holder=PPS, item=items[0]).held == 3
    make.shipment(PPS, TPS, {"kotak": 1, "tinta": 2}, sent=True)
    kept_equals_derived()
    assert HeldStock.objects.get(holder=PPS, item=items[0]).held == 2
    row = ReceivedAtTps.objects.get(tps__code=TPS, item=items[0])
    assert (row.sent, row.got, bool(row.transit_code)) == (1, 0, True)
    assert pairs(PPS) == naive_missing(PPS)


def test_a_short_and_damaged_receipt_its_replacement_and_its_correction_keep_the_figures(items):
    make.stocked(PPS, {"kotak": 3, "tinta": 6})
    to_tps = make.shipment(PPS, TPS, {"kotak": 1, "tinta": 2}, sent=True)
    receipt = make.receive(to_tps, counted={"tinta": 1})
    kept_equals_derived()
    assert pairs(PPS) == naive_missing(PPS)
    assert ("3271061002028", "tinta", 1) in pairs(PPS)
    assert TpsCompleteness.objects.get(tps__code=TPS).short == 1
    replacement = Shipment.objects.get(replaces=to_tps)
    actions.send_shipment(replacement, by=None)
    kept_equals_derived()
    make.receive(Shipment.objects.get(pk=replacement.pk), damaged={"tinta": 1})
    kept_equals_derived()
    assert pairs(PPS) == naive_missing(PPS)
    # The first receipt was a miscount: 2 bottles came, not 1.
    line = {li.item.code: li for li in to_tps.lines.select_related("item")}
    actions.correct_receipt(
        receipt, by=None, counts=[Count(line["kotak"].pk, 1), Count(line["tinta"].pk, 2)], note="Salah hitung"
    )
    kept_equals_derived()
    assert pairs(PPS) == naive_missing(PPS)
    assert TPS not in incomplete(world.election(), PPS).values()
    assert TpsCompleteness.objects.get(tps__code=TPS).short == 0


def test_a_return_and_a_cancel_keep_the_figures(items):
    make.stocked(PPK, {"kotak": 5})
    to_pps = make.shipment(PPK, PPS, {"kotak": 5}, sent=True)
    actions.return_shipment(to_pps, by=None, note="Salah alamat")
    kept_equals_derived()
    assert HeldStock.objects.get(holder=PPK, item=items[0]).held == 5
    later = make.shipment(PPK, PPS, {"kotak": 2})
    actions.cancel_shipment(later, by=None)
    kept_equals_derived()
    make.stocked(PPS, {"kotak": 1})
    to_tps = make.shipment(PPS, TPS, {"kotak": 1}, sent=True)
    make.receive(to_tps)
    actions.return_shipment(Shipment.objects.get(pk=to_tps.pk), by=None, note="Rusak di TPS")
    kept_equals_derived()
    assert ReceivedAtTps.objects.get(tps__code=TPS, item=items[0]).got == 0
    assert pairs(PPS) == naive_missing(PPS)


def test_a_send_is_checked_against_the_stock_from_the_shipments(items):
    make.stocked(PPS, {"kotak": 1})
    HeldStock.objects.filter(holder=PPS).update(held=50)  # a kept row gone wrong never lets more out
    with pytest.raises(actions.Refused) as e:
        make.shipment(PPS, TPS, {"kotak": 2}, sent=True)
    assert e.value.field == "lines[1].quantity"


def test_a_dpt_changed_elsewhere_is_judged_again_on_read(items):
    ballots = make.ballots()
    make.stocked(PPS, {"kotak": 1, "tinta": 2, ballots.code: 300})
    make.receive(make.shipment(PPS, TPS, {"kotak": 1, "tinta": 2, ballots.code: 257}, sent=True))
    assert TPS not in incomplete(world.election(), PPS).values()
    world.Tps.objects.filter(code=TPS).update(dpt_male=140)  # 270 voters now: 277 ballots needed
    assert (TPS, ballots.code, 20) in pairs(PPS)
    assert pairs(PPS) == naive_missing(PPS)
    assert TPS in incomplete(world.election(), PPS).values()
    assert figures.check(world.election()) == []  # judged on read, not a difference
    assert figures.stale(world.election()) >= 1


def test_a_rule_changed_rejudges_every_tps_in_its_transaction(items):
    make.stocked(PPS, {"kotak": 1, "tinta": 2})
    make.receive(make.shipment(PPS, TPS, {"kotak": 1, "tinta": 2}, sent=True))
    assert TpsCompleteness.objects.get(tps__code=TPS).short == 0
    make.item("tinta", per_tps=3)
    assert TpsCompleteness.objects.get(tps__code=TPS).short == 1
    assert (TPS, "tinta", 1) in pairs(PPS)
    assert pairs(PPS) == naive_missing(PPS)
    kept_equals_derived()


def test_the_needs_of_an_area_read_the_kept_sums(items):
    make.stocked(PPS, {"kotak": 3, "tinta": 6})
    make.receive(make.shipment(PPS, TPS, {"kotak": 1, "tinta": 2}, sent=True), counted={"tinta": 1})
    needs = {n.item.code: n for n in area_needs(world.election(), KPU).items}
    assert (needs["tinta"].sent, needs["tinta"].received) == (2, 1)
    assert needs["tinta"].missing == sum(short for _t, code, short in naive_missing(KPU) if code == "tinta")


def test_the_check_names_a_tampered_row_and_the_rebuild_restores_it(items, capsys):
    make.stocked(PPS, {"kotak": 3})
    call_command("logistics_figures")
    assert "sama dengan kiriman" in capsys.readouterr().out
    HeldStock.objects.filter(holder=PPS).update(held=99)
    ReceivedInKelurahan.objects.all().delete()
    make.receive(make.shipment(VENDOR, KPU, {"tinta": 4}, sent=True))
    assert any("stock ('3271061002'" in d for d in figures.check(world.election()))
    with pytest.raises(CommandError):
        call_command("logistics_figures")
    call_command("logistics_figures", "--fix")
    kept_equals_derived()
    assert HeldStock.objects.get(holder=PPS, item=items[0]).held == 3
