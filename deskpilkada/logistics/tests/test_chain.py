"""The chain: stock derived from the shipments through sends, short receipts, replacements and
returns; the refusals of bad input, naming the line and the field; receipts never overwritten."""

import pytest

from deskpilkada import testing as world
from deskpilkada.audit.transitions import history
from deskpilkada.logistics import actions
from deskpilkada.logistics.actions import Count
from deskpilkada.logistics.models import VENDOR, Receipt, Shipment
from deskpilkada.logistics.stock import holder_stock
from deskpilkada.logistics.tests import make

pytestmark = pytest.mark.django_db
KPU, PPK, PPS, TPS = "3271", "327106", "3271061002", "3271061002028"


@pytest.fixture
def box():
    return make.item("kotak", spare_per_kecamatan=1)


def stock(holder: str, item) -> int:
    return holder_stock(world.election(), [holder]).get((holder, item.pk), 0)


def test_stock_is_what_came_in_good_minus_what_went_out(box):
    make.receive(make.shipment(VENDOR, KPU, {"kotak": 40}, sent=True))
    assert stock(KPU, box) == 40
    to_ppk = make.shipment(KPU, PPK, {"kotak": 10}, sent=True)
    assert stock(KPU, box) == 30 and stock(PPK, box) == 0  # in transit: the warehouse no longer holds it
    make.receive(to_ppk, counted={"kotak": 9}, damaged={"kotak": 1})
    assert stock(PPK, box) == 8  # 9 counted, 1 damaged
    assert Shipment.objects.get(pk=to_ppk.pk).state == Shipment.State.DAMAGED


def test_a_short_receipt_opens_a_replacement_tracked_to_its_own_receipt(box):
    make.stocked(KPU, {"kotak": 40})
    to_ppk = make.shipment(KPU, PPK, {"kotak": 10}, sent=True)
    make.receive(to_ppk, counted={"kotak": 7})
    replacement = Shipment.objects.get(replaces=to_ppk)
    assert (replacement.sender, replacement.receiver, replacement.state) == (KPU, PPK, Shipment.State.PREPARING)
    assert [(line.item.code, line.quantity) for line in replacement.lines.all()] == [("kotak", 3)]
    assert Shipment.objects.open_replacements().filter(pk=replacement.pk).exists()
    actions.send_shipment(replacement, by=None)
    assert stock(KPU, box) == 40 - 10 - 3
    make.receive(Shipment.objects.get(pk=replacement.pk))
    assert stock(PPK, box) == 10
    assert not Shipment.objects.open_replacements().exists()


def test_a_returned_shipment_is_the_senders_again(box):
    make.stocked(PPK, {"kotak": 5})
    to_pps = make.shipment(PPK, PPS, {"kotak": 5}, sent=True)
    assert stock(PPK, box) == 0
    actions.return_shipment(to_pps, by=None, note="Salah alamat")
    assert stock(PPK, box) == 5 and stock(PPS, box) == 0


def test_a_cancelled_shipment_never_left(box):
    make.stocked(PPK, {"kotak": 5})
    s = make.shipment(PPK, PPS, {"kotak": 5})
    actions.cancel_shipment(s, by=None, note="Batal")
    assert stock(PPK, box) == 5


def test_a_holder_cannot_send_what_it_does_not_hold(box):
    make.stocked(PPK, {"kotak": 2})
    s = make.shipment(PPK, PPS, {"kotak": 3})
    with pytest.raises(actions.Refused) as refused:
        actions.send_shipment(s, by=None)
    assert refused.value.field == "lines[1].quantity"
    assert "hanya memegang 2" in refused.value.message


def test_receiving_more_than_was_sent_is_refused_naming_the_line(box):
    make.item("tinta", per_tps=2)
    s = make.shipment(VENDOR, KPU, {"kotak": 10, "tinta": 4}, sent=True)
    lines = list(s.lines.order_by("id"))
    with pytest.raises(actions.Refused) as refused:
        actions.receive_shipment(s, by=None, counts=[Count(lines[0].pk, 10), Count(lines[1].pk, 5)], signed_by="A")
    assert refused.value.field == "lines[2].counted"
    assert "lebih dari yang dikirim" in refused.value.message
    assert not Receipt.objects.exists()


def test_negative_quantities_are_refused(box):
    s = make.shipment(VENDOR, KPU, {"kotak": 10}, sent=True)
    line = s.lines.get()
    with pytest.raises(actions.Refused) as refused:
        actions.receive_shipment(s, by=None, counts=[Count(line.pk, 10, -1)], signed_by="A")
    assert refused.value.field == "lines[1].damaged"
    with pytest.raises(actions.Refused) as refused:
        make.shipment(VENDOR, KPU, {"kotak": -3})
    assert refused.value.field == "lines[1].quantity"


def test_a_shipment_outside_the_senders_chain_is_refused(box):
    for sender, receiver in ((PPK, "3271041001"), (KPU, PPS), (PPS, "3271041001001"), (TPS, PPS)):
        with pytest.raises(actions.Refused) as refused:
            make.shipment(sender, receiver, {"kotak": 1})
        assert refused.value.field == "receiver", (sender, receiver)


def test_a_cancelled_shipment_cannot_be_received(box):
    s = make.shipment(VENDOR, KPU, {"kotak": 1})
    actions.cancel_shipment(s, by=None)
    with pytest.raises(actions.Refused) as refused:
        make.receive(Shipment.objects.get(pk=s.pk))
    assert refused.value.field == "state" and "dibatalkan" in refused.value.message


def test_waterproof_items_need_the_check_at_handover():
    make.item("surat", waterproof=True)
    s = make.shipment(VENDOR, KPU, {"surat": 10}, sent=True)
    with pytest.raises(actions.Refused) as refused:
        actions.receive_shipment(s, by=None, counts=[Count(s.lines.get().pk, 10)], signed_by="A")
    assert refused.value.field == "waterproof_ok"


def test_a_correction_is_a_new_receipt_and_the_first_stays(box):
    make.stocked(KPU, {"kotak": 10})
    s = make.shipment(KPU, PPK, {"kotak": 10}, sent=True)
    first = make.receive(s, counted={"kotak": 8})
    second = actions.correct_receipt(first, by=None, counts=[Count(s.lines.get().pk, 10)], note="Salah hitung")
    assert second.corrects == first
    assert Receipt.objects.get(pk=first.pk).lines == [{"item": "kotak", "counted": 8, "damaged": 0}]
    assert stock(PPK, box) == 10
    assert Shipment.objects.get(pk=s.pk).state == Shipment.State.RECEIVED
    assert [step.after for step in history(s)] == ["sent", "received_short", "received"]
    with pytest.raises(actions.Refused):
        actions.correct_receipt(first, by=None, counts=[Count(s.lines.get().pk, 9)], note="lagi")


def test_a_user_may_receive_only_for_its_own_holder(box, persona):
    make.stocked(PPK, {"kotak": 5})
    s = make.shipment(PPK, PPS, {"kotak": 5}, sent=True)
    with pytest.raises(actions.Refused) as refused:
        make.receive(s, by=persona("ppk"))  # Bogor Barat's PPK, not Tanah Sareal's
    assert refused.value.field == "receiver"
    make.receive(s, by=persona("pps"))  # Kebon Pedes
    assert Shipment.objects.get(pk=s.pk).is_received
