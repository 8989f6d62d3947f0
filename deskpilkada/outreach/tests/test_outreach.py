import datetime as dt
import io

import pytest

from deskpilkada import testing as make
from deskpilkada.imports import ImportRejected
from deskpilkada.outreach import actions
from deskpilkada.outreach.models import OutreachActivity, TurnoutHistory
from deskpilkada.outreach.priority import rank
from deskpilkada.regions.models import Region


def test_the_priority_ranking_on_a_small_hand_checked_example(db):
    a, b, c = (Region(pk=i, code=f"99.01.01.100{i}", name=n) for i, n in ((1, "A"), (2, "B"), (3, "C")))
    rows = rank(
        [a, b, c],
        dpt={1: 10000, 2: 5000, 3: 10000},
        turnout={1: 0.60, 2: 0.50, 3: 0.60},
        behind={1: 0.5, 2: 0.0, 3: 0.0},
        activities={1: 0, 2: 0, 3: 3},
    )
    # A: 0.40 × 1.0 × 1.5 / 1 = 0.60;  B: 0.50 × 0.5 × 1.0 / 1 = 0.25;  C: 0.40 × 1.0 × 1.0 / 4 = 0.10
    assert [(r.kelurahan.name, round(r.score, 3)) for r in rows] == [("A", 0.6), ("B", 0.25), ("C", 0.1)]


def test_a_kelurahan_without_history_takes_the_average(db):
    a, b = Region(pk=1, code="99.01.01.1001", name="A"), Region(pk=2, code="99.01.01.1002", name="B")
    rows = rank([a, b], dpt={1: 100, 2: 100}, turnout={1: 0.8}, behind={}, activities={})
    unknown = next(r for r in rows if r.kelurahan.name == "B")
    assert unknown.turnout == 0.8 and not unknown.turnout_known


def test_the_priority_page_shows_reasons(client_as):
    page = client_as("viewer").get("/sosialisasi/prioritas/")
    assert page.status_code == 200 and len(page.context["page"].object_list) > 0
    assert "partisipasi lalu" in page.content.decode()
    assert page.context["form"] is None


def test_turnout_history_import_is_all_or_nothing(db):
    bad = io.BytesIO(
        b"kode_wilayah,pemilihan,tahun,dpt,pengguna\n3271061002,Pilpres 2019,2019,1000,800\n"
        b"3271069999,Pilpres 2019,2019,1000,800\n3271061001,Pilpres 2019,2019,1000,1200\n"
    )
    with pytest.raises(ImportRejected) as exc:
        actions.import_turnout(bad, by=None)
    assert {(e.row, e.column) for e in exc.value.errors} == {(3, "kode_wilayah"), (4, "pengguna")}
    assert not TurnoutHistory.objects.filter(label="Pilpres 2019").exists()
    ok = io.BytesIO(b"kode_wilayah,pemilihan,tahun,dpt,pengguna\n32.71.06.1002,Pilpres 2019,2019,1000,800\n")
    assert actions.import_turnout(ok, by=None) == 1


def test_communications_records_an_activity_and_others_only_read(client_as):
    kel = Region.objects.get(code="32.71.06.1002")
    data = {
        "kind": "tatap_muka",
        "segment": "pemula",
        "date": "2024-11-10",
        "kelurahan": kel.pk,
        "organiser": "Diskominfo",
        "reach": 120,
    }
    assert client_as("comms").post("/sosialisasi/", data).status_code == 302
    assert OutreachActivity.objects.filter(organiser="Diskominfo", reach=120).exists()
    assert client_as("viewer").post("/sosialisasi/", data).status_code == 403


def test_the_priority_list_shows_election_day_turnout_from_the_count(client_as):
    make.make_counted("3271061002001")  # 240 voters of 250 on each of two TPS of Kebon Pedes
    make.make_counted("3271061002002")
    make.make_counted("3271041001001", votes=(10, 10, 10, 10, 10))  # 60 of 250 on one of Menteng's two
    rows = client_as("viewer").get("/sosialisasi/prioritas/").context["page"].object_list
    assert any(r.today is not None and 0 < r.today < 1 for r in rows)
    today = {r.kelurahan.code: r.today for r in rows}
    assert today["32.71.06.1002"] == pytest.approx(480 / 500) and today["32.71.04.1001"] == pytest.approx(60 / 250)
    assert today["32.71.01.1001"] is None  # nothing counted there yet


def test_an_activity_photo_is_checked_by_content_and_served_to_the_desk(client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    kel = Region.objects.get(code="32.71.06.1002")
    data = {
        "kind": "radio",
        "segment": "umum",
        "date": "2024-11-12",
        "kelurahan": kel.pk,
        "organiser": "Diskominfo",
        "reach": 500,
    }
    c = client_as("comms")
    bad = c.post("/sosialisasi/", {**data, "photo": SimpleUploadedFile("a.jpg", b"not an image")})
    assert "photo" in bad.context["form"].errors
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    assert c.post("/sosialisasi/", {**data, "photo": SimpleUploadedFile("a.png", png)}).status_code == 302
    activity = OutreachActivity.objects.get(organiser="Diskominfo", reach=500)
    assert client_as("viewer").get(f"/sosialisasi/foto/{activity.pk}/")["Content-Type"] == "image/png"
    assert client_as("kpps").get(f"/sosialisasi/foto/{activity.pk}/").status_code == 403


def test_the_activity_calendar_and_map_are_filled(client_as):
    make.place_tps("32.71")  # the kelurahan are placed on the map by their TPS
    make.make_activity("32.71.06.1002", day=dt.date(2024, 11, 20))
    make.make_activity("32.71.06.1002", day=dt.date(2024, 11, 22), segment="pemula")
    make.make_activity("32.71.04.1001", day=dt.date(2024, 11, 22))
    make.make_activity("32.71.01.1001", day=dt.date(2024, 10, 15))  # another month
    page = client_as("viewer").get("/sosialisasi/", {"bulan": "2024-11"})
    days = [d for week in page.context["weeks"] for d in week if d["items"]]
    assert days and page.context["map_points"]
    assert [(d["date"].day, len(d["items"])) for d in days] == [(20, 1), (22, 2)]
    assert {(p["title"], p["count"]) for p in page.context["map_points"]} == {
        ("Kebon Pedes", 2),
        ("Menteng", 1),
        ("Batu Tulis", 1),  # the map shows every activity, the calendar the month's
    }


def test_the_priority_list_says_how_many_kelurahan_and_pages_them(client_as):
    make.make_tps_everywhere("32.71")  # every kelurahan of the city has TPS, as in the demo
    assert Region.objects.filter(code__startswith="32.71.", level=4, tps_set__isnull=False).distinct().count() == 68
    first = client_as("viewer").get("/sosialisasi/prioritas/")
    assert first.context["count"] == 68 and "68 kelurahan" in first.content.decode()
    second = client_as("viewer").get("/sosialisasi/prioritas/?page=2").context["page"]
    assert len(second.object_list) == 68 - 50 and second.start_index() == 51


def test_the_invitation_list_counts_every_tps_behind_and_pages_them(client_as):
    for n in range(1, 61):  # more than a page (50) of TPS behind ...
        make.make_tps("32.71.04.1002", n)
    for code in ("3271041002001", "3271061002028"):  # ... and two on plan at H-1
        make.make_invitations(code, 250)
    response = client_as("viewer").get("/undangan/?hari=1")
    context = response.context
    assert context["behind_count"] == context["total"] - 2 == 69
    assert context["page"].paginator.num_pages == 2
    assert context["page"].paginator.count == context["behind_count"]
    shown = sum(len(context["page"].paginator.page(n).object_list) for n in context["page"].paginator.page_range)
    assert shown == context["behind_count"]  # nothing is silently cut off
    from deskpilkada.numbers import number as grouped

    assert f"{grouped(context['behind_count'])} TPS tertinggal" in response.content.decode()
