"""The desk's tiles of points 6 (fraud), 7 (security), 8 (hoaxes) and 10 (ASN neutrality) count
real cases inside the reader's scope: open, overdue, new today (by the WIB day) and critical, with
the newest critical case linked; and their handlers' tasks."""

import pytest

from deskpilkada import clock
from deskpilkada.cases import actions, desk
from deskpilkada.cases.tests.conftest import BATU_TULIS, KEBON_PEDES, MENTENG, MENTENG_TPS_1, wib
from deskpilkada.testing import make_case

pytestmark = pytest.mark.django_db


def _known(category: str, place: str, at: str, **fields):
    moment = wib(at)
    return make_case(category, place, occurred_at=moment, known_at=moment, **fields)


def _figures(tile) -> dict[str, int]:
    labels = ("Kasus terbuka", "Lewat tenggat", "Baru hari ini", "Kritis")
    return {label: next(f.value for f in tile.figures if f.label.startswith(label)) for label in labels}


@pytest.fixture
def fraud_cases():
    """Six fraud cases: two new today, one overdue, one critical, one closed; and an ASN case."""
    return {
        "today": _known("fraud", MENTENG_TPS_1, "2024-11-27 19:00"),
        "early_today": _known("fraud", KEBON_PEDES, "2024-11-27 06:00"),  # before 07:00 WIB = 00:00 UTC
        "yesterday": _known("fraud", MENTENG, "2024-11-26 23:30"),
        "overdue": _known("fraud", BATU_TULIS, "2024-11-15 10:00"),
        "critical": _known("fraud", MENTENG, "2024-11-27 12:00", severity="critical", title="Serangan fajar"),
        "closed": actions.move(_known("fraud", MENTENG, "2024-11-27 10:00"), "invalid", by=None),
        "asn": _known("asn", MENTENG, "2024-11-27 10:00", severity="critical"),
    }


def test_the_fraud_tile_counts_open_overdue_new_today_and_critical(fraud_cases, persona):
    tile = desk.fraud.tile(persona("bawaslu"))
    assert _figures(tile) == {"Kasus terbuka": 5, "Lewat tenggat": 1, "Baru hari ini": 3, "Kritis": 1}
    critical = next(f for f in tile.figures if f.label.startswith("Kritis"))
    assert "Serangan fajar" in critical.label and critical.url == f"/kasus/{fraud_cases['critical'].pk}/"
    overdue = next(f for f in tile.figures if f.label == "Lewat tenggat")
    assert overdue.alert and overdue.url == "/kasus/?kategori=fraud&lewat=ya"


def test_new_today_is_the_wib_day_also_after_midnight(fraud_cases, persona):
    with clock.at(wib("2024-11-28 02:00")):  # 27 Nov 19:00 UTC: the UTC day is still the 27th
        tile = desk.fraud.tile(persona("bawaslu"))
    assert _figures(tile)["Baru hari ini"] == 0
    today = next(f for f in tile.figures if f.label == "Baru hari ini")
    assert "dari=2024-11-28" in today.url


def test_the_tiles_count_inside_the_readers_area(fraud_cases, persona):
    assert _figures(desk.fraud.tile(persona("bawaslu_kec"))) == {
        "Kasus terbuka": 3,  # today, yesterday, critical in Bogor Barat
        "Lewat tenggat": 0,
        "Baru hari ini": 2,
        "Kritis": 1,
    }
    assert _figures(desk.fraud.tile(persona("lurah")))["Kasus terbuka"] == 1  # Kebon Pedes only
    assert _figures(desk.fraud.tile(persona("security")))["Kasus terbuka"] == 0  # not its category


def test_each_points_tile_counts_its_own_category(persona):
    _known("security", MENTENG_TPS_1, "2024-11-27 09:00", severity="critical")
    _known("security", BATU_TULIS, "2024-11-27 08:00", severity="low")
    _known("hoax", MENTENG, "2024-11-27 18:00", details={"claim": "Pemungutan diundur ke Desember."})
    asn = _known("asn", MENTENG, "2024-11-22 09:00")
    assert _figures(desk.security.tile(persona("security")))["Kasus terbuka"] == 2
    assert _figures(desk.security.tile(persona("security")))["Lewat tenggat"] == 1  # critical: 2 h from 09:00
    assert _figures(desk.security.tile(persona("security_kec")))["Kasus terbuka"] == 1
    assert _figures(desk.hoax.tile(persona("comms"))) == {
        "Kasus terbuka": 1,
        "Lewat tenggat": 0,
        "Baru hari ini": 1,
        "Kritis": 0,
    }
    assert _figures(desk.asn.tile(persona("civil")))["Kasus terbuka"] == 0  # not recommended yet
    actions.add_step(asn, by=persona("bawaslu"), kind="recommendation", on=asn.known_at.date(), reference="R/1")
    assert _figures(desk.asn.tile(persona("civil")))["Kasus terbuka"] == 1
    assert _figures(desk.asn.tile(persona("viewer"))) == {
        "Kasus terbuka": 1,
        "Lewat tenggat": 0,
        "Baru hari ini": 0,
        "Kritis": 0,
    }


def test_the_desk_home_shows_the_figures_of_points_6_7_8_and_10(fraud_cases, client_as):
    _known("security", MENTENG_TPS_1, "2024-11-27 09:00")
    response = client_as("viewer").get("/desk/")
    tiles = {t["point"].number: t["tile"] for t in response.context["tiles"]}
    assert _figures(tiles[6]) == {"Kasus terbuka": 5, "Lewat tenggat": 1, "Baru hari ini": 3, "Kritis": 1}
    assert _figures(tiles[7])["Kasus terbuka"] == 1
    assert _figures(tiles[8])["Kasus terbuka"] == 0
    assert _figures(tiles[10]) == {"Kasus terbuka": 1, "Lewat tenggat": 0, "Baru hari ini": 1, "Kritis": 1}
    assert "Serangan fajar" in response.content.decode()


def test_the_handlers_tasks_count_overdue_new_and_mine(fraud_cases, persona):
    bawaslu = persona("bawaslu")
    actions.assign(fraud_cases["today"], by=bawaslu, user=bawaslu)
    tasks = {t.title: t.count for t in desk.fraud.tasks(bawaslu)}
    assert tasks["Kasus lewat tenggat"] == 1
    assert tasks["Kasus baru untuk diverifikasi"] == 4  # new and open: not the assigned one
    assert tasks["Ditugaskan kepada saya"] == 1
    assert desk.fraud.tasks(persona("viewer")) == []  # sees, but handles nothing
