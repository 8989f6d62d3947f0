"""The pages and the API: the receipt form on a phone-sized flow, the label round trip, the scan's
refusal, exports and import, the rule form, the API's shapes and refusals."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve

from deskpilkada import testing as world
from deskpilkada.logistics import actions, labels
from deskpilkada.logistics.models import VENDOR, ItemType, Receipt, Shipment
from deskpilkada.logistics.tests import make

pytestmark = pytest.mark.django_db
KEBON_PEDES, TPS_028 = "3271061002", "3271061002028"
BOX = f"kotak-{world.MAYOR}"


@pytest.fixture
def items():
    actions.install_default_items(world.election(), by=None)


@pytest.fixture
def to_pps(items):
    """PPK Tanah Sareal → PPS Kebon Pedes, sent: 5 mayoral boxes and 5 booths."""
    make.stocked("327106", {BOX: 5, "bilik": 20})
    return make.shipment("327106", KEBON_PEDES, {BOX: 5, "bilik": 20}, sent=True)


def test_the_pps_records_a_short_receipt_and_a_replacement_is_requested(client_as, to_pps):
    client = client_as("pps")
    lines = {line.item.code: line for line in to_pps.lines.select_related("item")}
    form = client.get(f"/logistik/kiriman/{to_pps.code}/terima/")
    assert form.status_code == 200 and "Hitung setiap barang" in form.content.decode()
    post = {f"dihitung_{lines[BOX].pk}": "4", f"rusak_{lines[BOX].pk}": "0", f"dihitung_{lines['bilik'].pk}": "20"}
    post |= {"penanda_tangan": "Ketua PPS", "rusak_" + str(lines["bilik"].pk): "1"}
    response = client.post(f"/logistik/kiriman/{to_pps.code}/terima/", post)
    assert response.status_code == 302
    to_pps.refresh_from_db()
    assert to_pps.state == Shipment.State.DAMAGED
    replacement = Shipment.objects.get(replaces=to_pps)
    assert sorted((line.item.code, line.quantity) for line in replacement.lines.all()) == [("bilik", 1), (BOX, 1)]
    desk = client_as("viewer").get("/logistik/?wilayah=3271").content.decode()
    assert replacement.code in desk


def test_receiving_more_than_was_sent_keeps_the_form_and_names_the_line(client_as, to_pps):
    lines = {line.item.code: line for line in to_pps.lines.select_related("item")}
    post = {f"dihitung_{lines[BOX].pk}": "9", f"dihitung_{lines['bilik'].pk}": "20", "penanda_tangan": "A"}
    response = client_as("pps").post(f"/logistik/kiriman/{to_pps.code}/terima/", post)
    body = response.content.decode()
    assert response.status_code == 422
    assert 'data-field="lines[1].counted"' in body and "lebih dari yang dikirim" in body
    assert 'value="9"' in body  # what was typed is still there
    assert not Receipt.objects.filter(shipment=to_pps).exists()


def test_a_label_scanned_by_someone_else_gets_a_refusal_not_the_form(client_as, to_pps):
    response = client_as("kpps").get(f"/logistik/pindai/{to_pps.code}/")
    assert response.status_code == 403
    assert "ditujukan kepada PPS Kebon Pedes" in response.content.decode()
    assert "penanda_tangan" not in response.content.decode()


def test_the_labels_code_round_trips_to_its_shipment(client_as, to_pps, rf):
    request = rf.get("/")
    url = labels.scan_url(request, to_pps.code)
    assert labels.qr_matrix(url)  # the QR code holds exactly this URL (segno encodes it, the scanner reads it)
    path = url.split("testserver", 1)[1]
    assert resolve(path).kwargs == {"code": to_pps.code}
    response = client_as("pps").get(path)
    assert response.status_code == 302 and response["Location"] == f"/logistik/kiriman/{to_pps.code}/terima/"
    typed = client_as("pps").get("/logistik/pindai/", {"kode": to_pps.code.lower()})
    assert typed["Location"] == f"/logistik/pindai/{to_pps.code}/"


def test_the_label_sheet_is_a_pdf(client_as, to_pps):
    response = client_as("viewer").get("/logistik/label/", {"q": to_pps.code})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_a_boxs_history_runs_from_the_warehouse_to_its_tps(client_as, persona, items):
    made = actions.create_kecamatan_shipments(world.election(), world.region("32.71.06"), by=persona("kpu"))
    to_ppk = next(s for s in made if s.receiver == "327106")
    make.receive(
        make.shipment(VENDOR, "3271", {line.item.code: line.quantity for line in to_ppk.lines.all()}, sent=True)
    )
    for receiver in ("327106", KEBON_PEDES, TPS_028):
        s = next(s for s in made if s.receiver == receiver)
        actions.send_shipment(s, by=None)
        make.receive(Shipment.objects.get(pk=s.pk))
    unit = world.tps(TPS_028).logistics_units.get(item__code=BOX)
    body = client_as("kpps").get(f"/logistik/kotak/{unit.code}/").content.decode()
    for holder in ("Gudang KPU Kota Bogor", "PPK Tanah Sareal", "PPS Kebon Pedes", "TPS 028 Kebon Pedes"):
        assert holder in body
    assert "sekarang di <strong>TPS 028 Kebon Pedes</strong>" in body


@pytest.mark.parametrize(
    "url",
    [
        "/logistik/",
        "/logistik/?wilayah=32.71.06",
        "/logistik/kebutuhan/?tingkat=tps",
        "/logistik/kebutuhan/?tingkat=kecamatan",
        "/logistik/peringatan/",
        "/logistik/kiriman/",
        "/logistik/barang/",
        "/logistik/peta/data/",
        f"/logistik/tps/{TPS_028}/",
    ],
)
def test_the_pages_open_for_the_desk(client_as, to_pps, url):
    assert client_as("viewer").get(url).status_code == 200


def test_a_page_outside_the_area_is_refused(client_as, items):
    assert client_as("ppk").get("/logistik/?wilayah=32.71.06").status_code == 403
    assert client_as("ppk").get("/logistik/?wilayah=99.99").status_code == 404


def test_the_needs_export_has_one_column_per_item(client_as, items):
    response = client_as("viewer").get("/logistik/kebutuhan/ekspor/csv/", {"tingkat": "tps", "wilayah": KEBON_PEDES})
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert len(rows) == 1 + 5
    header = rows[0].split(",")
    assert len(header) == 4 + ItemType.objects.count()
    ballots = ItemType.objects.get(code=f"surat-suara-{world.MAYOR}").name
    assert rows[1].split(",")[header.index(ballots)] == "257"  # 250 voters + 2.5 %, rounded up


def test_a_rule_edited_on_its_page_moves_the_needs(client_as, items):
    item = ItemType.objects.get(code="tinta")
    post = {
        "name": item.name,
        "basis": "per_tps",
        "per_tps": "3",
        "spare_per_kecamatan": "0",
        "version": str(item.version),
    }
    assert client_as("kpu").post("/logistik/barang/tinta/", post).status_code == 302
    body = json.loads(client_as("viewer").get("/api/v1/logistics/needs/32.71").content)
    assert next(i for i in body["items"] if i["code"] == "tinta")["needed"] == 11 * 3
    stale = client_as("kpu").post("/logistik/barang/tinta/", post)
    assert "diubah orang lain" in stale.content.decode()


def test_shipments_import_is_all_or_nothing_with_a_row_report(client_as, items):
    good = (
        "kiriman,pengirim,penerima,barang,jumlah\n"
        "1,3271,32.71.06,bilik,10\n1,3271,32.71.06,tinta,4\n2,3271,327104,bilik,8\n"
    )
    bad = good + "3,327106,3271041001,bilik,2\n4,3271,327106,bilik,-1\n"
    client = client_as("kpu")
    report = client.post("/logistik/kiriman/impor/", {"file": SimpleUploadedFile("k.csv", bad.encode())}).context[
        "report"
    ]
    assert [(e.row, e.column) for e in report.errors] == [(6, "jumlah")]
    assert not Shipment.objects.exists()
    client.post("/logistik/kiriman/impor/", {"file": SimpleUploadedFile("k.csv", good.encode())})
    assert sorted(s.receiver for s in Shipment.objects.all()) == ["327104", "327106"]
    chain = client.post(
        "/logistik/kiriman/impor/",
        {"file": SimpleUploadedFile("k.csv", (good.splitlines()[0] + "\n1,327106,3271041001,bilik,2\n").encode())},
    )
    assert "tidak berada tepat di bawah" in chain.content.decode()


def test_the_shipments_export_holds_the_filtered_rows(client_as, to_pps):
    response = client_as("viewer").get("/logistik/kiriman/ekspor/csv/", {"status": "sent"})
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert len(rows) == 1 + 2 and all(to_pps.code in r for r in rows[1:])


def test_the_api_needs_of_a_region_in_the_documented_shape(client_as, items):
    body = json.loads(client_as("viewer").get("/api/v1/logistics/needs/3271061002").content)
    assert body["region"] == {"code": "32.71.06.1002", "name": "Kebon Pedes", "level": "kelurahan/desa"}
    assert body["tps"] == {"total": 5, "complete": 0}
    ballots = next(i for i in body["items"] if i["code"] == f"surat-suara-{world.MAYOR}")
    assert ballots | {"name": ""} == {
        "code": ballots["code"],
        "name": "",
        "contest": world.MAYOR,
        "needed": 5 * 257,
        "sent": 0,
        "received": 0,
        "missing": 5 * 257,
    }


def test_the_api_alerts_name_the_holder(client_as, to_pps, settings):
    import datetime as dt
    from zoneinfo import ZoneInfo

    settings.DEMO_NOW = dt.datetime(2024, 11, 26, 15, tzinfo=ZoneInfo("Asia/Jakarta"))
    body = json.loads(client_as("viewer").get("/api/v1/logistics/alerts", {"region": KEBON_PEDES}).content)
    assert len(body) == 5
    assert body[0]["reason"] == "not_sent" and body[0]["holder"]["name"] == "Gudang KPU Kota Bogor"  # the worst first
    boxes = next(m for m in body[0]["missing"] if m["item"] == BOX)
    assert (
        boxes["where"] == "dalam perjalanan ke PPS Kebon Pedes dari PPK Tanah Sareal"
        and boxes["shipment"] == to_pps.code
    )


def test_the_api_receipt_refusals_name_the_line_and_the_field(client_as, to_pps):
    client = client_as("pps")
    lines = [line.pk for line in to_pps.lines.order_by("id")]
    url = f"/api/v1/logistics/shipments/{to_pps.code}/receive"
    too_many = {"lines": [{"line": lines[0], "counted": 6}, {"line": lines[1], "counted": 20}], "signed_by": "A"}
    response = client.post(url, too_many, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "lines[1].counted", "message": response.json()["errors"][0]["message"]}
    ]
    negative = {
        "lines": [{"line": lines[0], "counted": 5, "damaged": -1}, {"line": lines[1], "counted": 20}],
        "signed_by": "A",
    }
    assert (
        client.post(url, negative, content_type="application/json").json()["errors"][0]["field"] == "lines[1].damaged"
    )
    ok = {"lines": [{"line": lines[0], "counted": 5}, {"line": lines[1], "counted": 20}], "signed_by": "A"}
    done = client.post(url, ok, content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "received"
    again = client.post(url, ok, content_type="application/json")
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "state"
    assert (
        client_as("kpu").post(url, ok, content_type="application/json").status_code == 403
    )  # sees it, not its receiver
    assert client_as("kpps").post(url, ok, content_type="application/json").status_code == 404  # outside its TPS


def test_a_miscount_is_corrected_on_its_page_as_a_new_receipt(client_as, to_pps):
    client = client_as("pps")
    make.receive(to_pps, counted={BOX: 3}, by=None)
    lines = {line.item.code: line for line in to_pps.lines.select_related("item")}
    page = client.get(f"/logistik/kiriman/{to_pps.code}/")
    assert f"/logistik/kiriman/{to_pps.code}/koreksi/" in page.content.decode()
    post = {f"dihitung_{lines[BOX].pk}": "5", f"dihitung_{lines['bilik'].pk}": "20", "catatan": "Dua kotak di mobil"}
    assert client.post(f"/logistik/kiriman/{to_pps.code}/koreksi/", post).status_code == 302
    first, second = Receipt.objects.filter(shipment=to_pps).order_by("id")
    assert second.corrects == first
    assert {row["item"]: row["counted"] for row in first.lines}[BOX] == 3  # the first receipt stays as it was
    assert {row["item"]: row["counted"] for row in second.lines}[BOX] == 5
    to_pps.refresh_from_db()
    assert to_pps.state == Shipment.State.RECEIVED
    assert client_as("kpps").get(f"/logistik/kiriman/{to_pps.code}/koreksi/").status_code == 404


def test_the_box_labels_of_an_area_can_be_printed_for_one_item(client_as, items, monkeypatch):
    actions.label_units(world.election(), [world.tps(TPS_028)], by=None)
    home = client_as("kpu").get(f"/logistik/?wilayah={KEBON_PEDES}").content.decode()
    assert f"kotak=ya&amp;wilayah={KEBON_PEDES}&amp;barang={BOX}" in home
    printed: list = []
    real = labels.sheet
    monkeypatch.setattr(labels, "sheet", lambda request, s, units: printed.append(units) or real(request, s, units))
    response = client_as("kpu").get(f"/logistik/label/?kotak=ya&wilayah={KEBON_PEDES}&barang={BOX}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client_as("kpu").get(f"/logistik/label/?kotak=ya&wilayah={KEBON_PEDES}")
    one, every = printed
    assert one and {u.item.code for u in one} == {BOX}
    assert {u.item.code for u in every} > {BOX}  # the governor's boxes too
