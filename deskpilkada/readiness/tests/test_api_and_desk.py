"""The readiness API per region, the map data with every layer, and the desk's point-2 and point-7 tiles."""

import datetime as dt

from deskpilkada import testing as make
from deskpilkada.readiness import actions

TPS = "3271061002028"


def test_the_readiness_of_a_region_lists_every_tps_under_it_with_totals(client_as, persona):
    actions.answer_checklist(by=persona("kpps"), tps=make.tps(TPS), answers={"kursi_roda": "tidak"})
    actions.assess_vulnerability(by=persona("bawaslu"), tps=make.tps(TPS), indicators=["konflik"])
    actions.set_deployment(by=persona("security"), tps=make.tps(TPS), force="polri", count=1)
    body = client_as("viewer").get("/api/v1/readiness/32.71.06.1002").json()
    assert body["region"] == "32.71.06.1002" and len(body["tps"]) == 5
    row = next(r for r in body["tps"] if r["code"] == TPS)
    assert row["checklist"]["complete"] is False and row["checklist"]["flags"] == 1
    assert row["hazards"] == [{"kind": "banjir", "level": 2}]
    assert row["vulnerability"] == {"class": "rawan", "score": 3}
    assert row["security"]["needed"] == {"polri": 1, "tni": 1, "linmas": 2}
    assert row["security"]["assigned"] == {"polri": 1, "tni": 0, "linmas": 0}
    assert row["relocated"] is False
    assert body["totals"]["tps"] == 5 and body["totals"]["tps_with_open_warnings"] == 1
    assert body["totals"]["vulnerability"]["rawan"] == 1 and body["totals"]["vulnerability"]["unassessed"] == 4


def test_the_readiness_api_answers_404_for_no_region_and_403_outside_the_area(client_as):
    assert client_as("viewer").get("/api/v1/readiness/32.99").status_code == 404
    assert client_as("ppk").get("/api/v1/readiness/32.71.06").status_code == 403


def test_the_map_data_carries_every_layer_of_each_visible_tps(client_as, persona):
    make.place_tps()
    actions.answer_checklist(by=persona("kpps"), tps=make.tps(TPS), answers={"kursi_roda": "tidak"})
    data = client_as("lurah").get("/kesiapan/peta/data.json").json()
    tps = {f["properties"]["code"]: f["properties"] for f in data["features"] if f["properties"]["kind"] == "tps"}
    assert set(tps) == {f"32710610020{n:02d}" for n in (1, 2, 25, 27, 28)}  # the lurah's kelurahan only
    assert tps[TPS]["layers"] == {
        "kesiapan": "flagged",
        "bahaya": "risk2",
        "kerawanan": "unknown",
        "keamanan": "gap",
        "relokasi": "tps",
    }


def test_the_point_2_and_7_tiles_show_real_figures(client_as, persona):
    actions.answer_checklist(by=persona("kpps"), tps=make.tps(TPS), answers={"kursi_roda": "tidak"})
    actions.save_mitigation_plan(
        by=persona("kpu"), tps=make.tps("3271061002001"), measures="x", responsible="PPS", due_on=dt.date(2024, 11, 26)
    )
    tiles = {t["point"].number: t["tile"] for t in client_as("viewer").get("/desk/").context["tiles"]}
    point2 = {f.label: f for f in tiles[2].figures}
    assert point2["TPS dengan peringatan terbuka"].value == 1
    # Kebon Pedes' five TPS lie in a flood-prone kelurahan, Bogor Barat's two in a landslide-prone one.
    assert (
        point2["Rawan bencana tanpa rencana mitigasi"].value == 6
        and point2["Rawan bencana tanpa rencana mitigasi"].of == 7
    )
    point7 = {f.label: f for f in tiles[7].figures}
    assert point7["TPS kurang personel keamanan"].value == 11
    assert "Kasus terbuka" in point7  # the cases' part of point 7 stays
