"""The invitation report form: reachable for every TPS its users report for, opened with the
day's figures, and never replacing a day's figures without a confirmation."""

import datetime as dt

import pytest

from deskpilkada import testing as make
from deskpilkada.audit.models import AuditEntry
from deskpilkada.elections.models import Election
from deskpilkada.outreach import actions
from deskpilkada.outreach.models import InvitationDay
from deskpilkada.tps.models import Tps

TPS = "3271061002028"  # Kebon Pedes 028: the KPPS persona's TPS, in the PPS persona's kelurahan
DAY = "2024-11-23"
ZEROS = {"moved": 0, "deceased": 0, "unknown": 0, "refused": 0, "other": 0}


@pytest.fixture
def election(db):
    return Election.objects.get(code="pilkada-2024")


@pytest.fixture
def tps(election):
    tps = Tps.objects.get(code=TPS)
    InvitationDay.objects.filter(tps=tps).delete()
    actions.record_invitations(
        by=None, election=election, tps=tps, day=dt.date(2024, 11, 23), counts={"delivered": 40, "moved": 2}
    )
    return tps


def test_the_form_opens_with_the_figures_already_reported_for_that_day(client_as, tps):
    page = client_as("kpps").get(f"/undangan/tps/{TPS}/", {"tanggal": DAY})
    form = page.context["form"]
    assert form["day"].value() == DAY
    assert form["delivered"].value() == 40 and form["moved"].value() == 2
    assert page.context["by_day"][DAY]["delivered"] == 40  # for the day picker (desk.js data-prefill)
    fresh_day = client_as("kpps").get(f"/undangan/tps/{TPS}/", {"tanggal": "2024-11-24"}).context["form"]
    assert fresh_day["delivered"].value() == 0


def test_replacing_a_days_figures_asks_first_and_changes_nothing_until_confirmed(client_as, tps):
    c = client_as("kpps")
    page = c.post(f"/undangan/tps/{TPS}/", {"day": DAY, "delivered": 5, **ZEROS})
    assert page.status_code == 200 and page.context["confirm"]
    assert "MENGGANTI" in page.content.decode()
    assert [(r["before"], r["after"]) for r in page.context["confirm"]["rows"]][:2] == [(40, 5), (2, 0)]
    row = InvitationDay.objects.get(tps=tps, day=DAY)
    assert (row.delivered, row.moved) == (40, 2)
    done = c.post(f"/undangan/tps/{TPS}/", {"day": DAY, "delivered": 5, **ZEROS, "ganti": "1"})
    assert done.status_code == 302 and done["Location"].endswith(f"?tanggal={DAY}")
    row.refresh_from_db()
    assert (row.delivered, row.moved) == (5, 0)


def test_a_replacement_is_audited_with_the_figures_before_and_after(client_as, persona, tps):
    client_as("kpps").post(f"/undangan/tps/{TPS}/", {"day": DAY, "delivered": 45, **ZEROS, "ganti": "1"})
    entry = AuditEntry.objects.filter(action="outreach.invitations_replaced").latest("pk")
    assert entry.actor == persona("kpps")
    assert entry.before == {"delivered": 40, "moved": 2, "deceased": 0, "unknown": 0, "refused": 0, "other": 0}
    assert entry.after == {"delivered": 45, "moved": 0, "deceased": 0, "unknown": 0, "refused": 0, "other": 0}


def test_the_same_figures_again_or_a_new_day_need_no_confirmation(election, tps):
    same = {"delivered": 40, "moved": 2}
    actions.record_invitations(by=None, election=election, tps=tps, day=dt.date(2024, 11, 23), counts=same)
    actions.record_invitations(by=None, election=election, tps=tps, day=dt.date(2024, 11, 24), counts={"delivered": 9})
    with pytest.raises(actions.NeedsConfirmation) as refused:
        actions.record_invitations(by=None, election=election, tps=tps, day=dt.date(2024, 11, 24), counts={})
    assert refused.value.before["delivered"] == 9


def test_the_report_form_is_linked_from_the_tps_page_for_those_who_report(client_as, db):
    link = f'href="/undangan/tps/{TPS}/"'
    for who in ("kpps", "pps", "kpu"):
        assert link in client_as(who).get(f"/tps/{TPS}/").content.decode(), who
    for who in ("viewer", "bawaslu", "lurah"):
        assert link not in client_as(who).get(f"/tps/{TPS}/").content.decode(), who


def test_the_tps_map_marks_the_tps_whose_report_the_user_may_open(client_as, db):
    make.place_tps("32.71")  # the world's TPS on the map, inside and outside Kebon Pedes

    def recordable(who):
        geo = client_as(who).get("/tps/peta/data.geojson").json()
        return {f["properties"]["code"] for f in geo["features"] if f["properties"].get("can_record")}

    assert recordable("kpps") == {TPS}
    assert recordable("pps") == set(Tps.objects.filter(code__startswith="3271061002").values_list("code", flat=True))
    assert TPS in recordable("pps") and all(c.startswith("3271061002") for c in recordable("pps"))
    assert recordable("kpu") == set(Tps.objects.values_list("code", flat=True))
    assert recordable("viewer") == set()
    page = client_as("kpps").get("/tps/peta/").content.decode()
    assert 'data-record="/undangan/tps/0000000000000/"' in page  # map.js builds the popup's link from it


def test_the_invitation_list_links_the_form_of_any_tps_for_those_who_report(client_as, tps):
    make.make_tps_everywhere("32.71")  # the city's TPS: more than the pick list holds (60)
    pps = client_as("pps").get("/undangan/", {"hari": 1})
    assert f'href="/undangan/tps/{TPS}/"' in pps.content.decode()  # its kelurahan's TPS, behind or not
    assert all(t.code.startswith("3271061002") for t in pps.context["reportable"])
    operator = client_as("kpu").get("/undangan/", {"hari": 1})
    assert 'action="/undangan/tps/"' in operator.content.decode()  # a whole city types the code
    viewer = client_as("viewer").get("/undangan/", {"hari": 1})
    assert not viewer.context["may_record"] and not viewer.context["recordable"]
    assert "/undangan/tps/" not in viewer.content.decode()


def test_the_typed_code_opens_the_report_form_inside_the_area_only(client_as, db):
    c = client_as("pps")
    assert c.get("/undangan/tps/", {"kode": TPS})["Location"] == f"/undangan/tps/{TPS}/"
    outside = c.get("/undangan/tps/", {"kode": "3271041001001"}, follow=True)
    assert outside.redirect_chain[-1][0] == "/undangan/" and "tidak ada di wilayah" in outside.content.decode()


def test_the_operator_finds_the_dpt_import_on_the_invitation_page(client_as, db):
    assert 'href="/dpt/impor/"' in client_as("kpu").get("/undangan/").content.decode()
    assert 'href="/dpt/impor/"' not in client_as("pps").get("/undangan/").content.decode()
