"""The demo's logistics tell the mid-distribution story (run with the whole demo: pytest -m demo)."""

import pytest

from deskpilkada.elections.models import Election
from deskpilkada.logistics import alerts
from deskpilkada.logistics.models import Shipment
from deskpilkada.logistics.needs import area_needs, completeness_by
from deskpilkada.regions.models import Region

pytestmark = [pytest.mark.demo, pytest.mark.django_db]


def test_some_kecamatan_are_fully_delivered_and_the_flood_prone_are_behind():
    election = Election.objects.current()
    kecamatan = list(Region.objects.kecamatan().filter(code__startswith="32.71."))
    shares = completeness_by(election, kecamatan)
    assert shares["32.71.01"][0] == shares["32.71.01"][1] > 0  # Bogor Selatan: every TPS complete
    assert shares["32.71.02"][0] == shares["32.71.02"][1] > 0  # Bogor Timur
    assert shares["32.71.03"][1] - shares["32.71.03"][0] == 3  # Bogor Tengah: three wet or short
    flooded = {r.undotted_code for r in Region.objects.filter(hazards__kind="banjir", code__startswith="32.71.06")}
    late = {a.tps.code[:10] for a in alerts.alerts(election, "327106")}
    assert flooded and flooded <= late


def test_one_replacement_is_on_the_road_and_the_alert_list_names_holders():
    election = Election.objects.current()
    on_the_road = Shipment.objects.filter(election=election, replaces__isnull=False, state=Shipment.State.SENT)
    assert on_the_road.count() == 1 and on_the_road.get().receiver == "327104"
    found = alerts.alerts(election, "3271")
    assert found and all(a.holder.holder_name for a in found)
    assert {a.reason for a in found} >= {"held", "transit", "short"}
    needs = area_needs(election, "3271")
    boxes = sum(n.needed for n in needs.items if n.item.code.startswith("kotak-"))
    assert boxes == 2 * 1530 + 2 * 6  # Kota Bogor's 3,072 ballot boxes
