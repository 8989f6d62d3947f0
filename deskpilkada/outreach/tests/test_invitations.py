import datetime as dt
import io

import pytest

from deskpilkada import testing as make
from deskpilkada.elections.models import Election
from deskpilkada.outreach import actions, progress
from deskpilkada.outreach.models import InvitationDay
from deskpilkada.tps.models import Tps


@pytest.fixture
def election(db):
    return Election.objects.get(code="pilkada-2024")


@pytest.fixture
def fresh_tps(election):
    """A TPS without invitation reports (any removed), to build its story by hand."""
    tps = Tps.objects.get(code="3271061002028")
    InvitationDay.objects.filter(tps=tps).delete()
    return tps


def test_the_window_and_plan_follow_the_election(election, fresh_tps):
    window = election.invitation_window()
    assert window[0] == dt.date(2024, 11, 22) and window[-1] == dt.date(2024, 11, 26)
    assert progress.expected_by(election, 500, dt.date(2024, 11, 24)) == 300  # 3 of 5 days
    assert progress.expected_by(election, 500, dt.date(2024, 11, 21)) == 0


def test_a_tps_behind_plan_is_warned_at_h3_h2_and_h1(election, fresh_tps):
    dpt = fresh_tps.dpt
    actions.record_invitations(
        by=None, election=election, tps=fresh_tps, day=dt.date(2024, 11, 22), counts={"delivered": dpt // 5}
    )
    actions.record_invitations(
        by=None,
        election=election,
        tps=fresh_tps,
        day=dt.date(2024, 11, 23),
        counts={"delivered": dpt // 5 - 40, "moved": 2},
    )
    qs = Tps.objects.filter(pk=fresh_tps.pk)
    h3 = progress.progress(election, qs, 3)[0]  # as of 24 Nov, nothing reported that day
    assert h3.expected == -(-dpt * 3 // 5) and h3.behind
    actions.record_invitations(
        by=None, election=election, tps=fresh_tps, day=dt.date(2024, 11, 24), counts={"delivered": dpt // 5 + 60}
    )
    assert not progress.progress(election, qs, 3)[0].behind
    assert progress.progress(election, qs, 1)[0].behind  # nothing for 25 and 26 Nov


def test_reporting_a_day_again_replaces_it_and_is_never_counted_twice(election, fresh_tps):
    day = dt.date(2024, 11, 22)
    for _ in range(3):
        actions.record_invitations(by=None, election=election, tps=fresh_tps, day=day, counts={"delivered": 100})
    assert progress.progress(election, Tps.objects.filter(pk=fresh_tps.pk), 1)[0].delivered == 100


def test_counts_above_the_dpt_negative_or_outside_the_window_are_refused(election, fresh_tps):
    with pytest.raises(actions.Refused, match="melebihi DPT"):
        actions.record_invitations(
            by=None,
            election=election,
            tps=fresh_tps,
            day=dt.date(2024, 11, 22),
            counts={"delivered": fresh_tps.dpt + 1},
        )
    with pytest.raises(actions.Refused, match="negatif"):
        actions.record_invitations(
            by=None, election=election, tps=fresh_tps, day=dt.date(2024, 11, 22), counts={"delivered": -1}
        )
    with pytest.raises(actions.Refused, match="di luar masa"):
        actions.record_invitations(
            by=None, election=election, tps=fresh_tps, day=dt.date(2024, 11, 27), counts={"delivered": 1}
        )


def test_the_default_warning_day_follows_the_calendar(election):
    assert progress.default_days_before(election, dt.date(2024, 11, 25)) == 2
    assert progress.default_days_before(election, dt.date(2026, 12, 1)) == 1


def test_the_kpps_records_its_own_tps_only(client_as, fresh_tps):
    c = client_as("kpps")
    ok = c.post(
        f"/undangan/tps/{fresh_tps.code}/",
        {"day": "2024-11-22", "delivered": 50, "moved": 1, "deceased": 0, "unknown": 0, "refused": 0, "other": 0},
    )
    assert ok.status_code == 302
    assert c.get("/undangan/tps/3271041001001/").status_code == 403
    too_many = c.post(
        f"/undangan/tps/{fresh_tps.code}/",
        {"day": "2024-11-23", "delivered": 9999, "moved": 0, "deceased": 0, "unknown": 0, "refused": 0, "other": 0},
    )
    assert "melebihi DPT" in too_many.context["form"].errors["delivered"][0]


def test_the_desk_sees_which_tps_are_behind_and_can_export_them(client_as, election):
    make.make_tps_everywhere("32.71")  # every kelurahan has its TPS, placed on the map
    make.place_tps("32.71")
    day = dt.date(2024, 11, 22)
    # At H-2 (25 Nov) a TPS of 250 voters should have 200 invitations handled (4 of 5 days), 180 at
    # least (90 %): Menteng 001 is on plan, 002 a little behind; the rest of Bogor Barat is behind.
    make.make_invitations("3271041001001", 200, day=day)
    make.make_invitations("3271041001002", 185, day=day)
    # At H-1 every invitation is due: Kebon Pedes' five TPS and Batu Tulis 001 are on plan.
    for code in [t.code for t in Tps.objects.filter(kelurahan__code="32.71.06.1002")] + ["3271011001001"]:
        make.make_invitations(code, 250, day=day)
    page = client_as("admin").get("/undangan/", {"hari": 1})
    assert page.context["behind_count"] == Tps.objects.count() - 6 > 0
    assert page.context["kecamatan"][0]["behind"] >= page.context["kecamatan"][-1]["behind"]
    assert page.context["kecamatan"][0]["behind"] > page.context["kecamatan"][-1]["behind"]
    export = client_as("admin").get("/undangan/ekspor.xlsx", {"hari": 1})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    exported = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(exported) - 1 == page.context["behind_count"]
    geo = client_as("ppk").get("/undangan/peta/data.geojson", {"hari": 2}).json()
    tps = [f["properties"] for f in geo["features"] if f["properties"]["kind"] == "tps"]
    assert len(tps) == Tps.objects.filter(code__startswith="327104").count()
    assert {p["status"] for p in tps} <= {"behind", "slightly_behind", "on_plan"}
    status = {p["code"]: p["status"] for p in tps}
    assert (status["3271041001001"], status["3271041001002"]) == ("on_plan", "slightly_behind")
    assert {p["code"] for p in tps if p["status"] == "behind"}  # the ones the page counts as behind
    regions = [f["properties"] for f in geo["features"] if f["properties"]["kind"] == "region"]
    assert "Bogor Barat" in {r["name"] for r in regions} and all(r["label"] for r in regions)
