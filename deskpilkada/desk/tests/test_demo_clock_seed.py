"""The demo follows its clock (issue "Make room for six more modules", item 7): nothing in it happens
after the demo's "now". The session's demo stands at election night (conftest.py); these tests play
the apps' own seed functions at other clocks over it, or read the timeline they play."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max, Min

from conftest import ELECTION_NIGHT
from deskpilkada import clock
from deskpilkada.desk import demo
from deskpilkada.elections.models import Election
from deskpilkada.outreach import demo as outreach_demo
from deskpilkada.outreach import progress
from deskpilkada.outreach.models import InvitationDay
from deskpilkada.regions.models import Region
from deskpilkada.tally import demo as tally_demo
from deskpilkada.tally.models import DHasil, RecapFinal, SheetVersion, TallySheet, Verification
from deskpilkada.tally.results import d_hasil_comparison
from deskpilkada.tps.models import Tps

# These check the whole demo: run apart, on a database seeded with it (pytest -m demo).
pytestmark = pytest.mark.demo

JAKARTA = ZoneInfo("Asia/Jakarta")
H_MINUS_1 = dt.datetime(2024, 11, 26, 15, 0, tzinfo=JAKARTA)
RECAP = dt.datetime(2024, 11, 30, 10, 0, tzinfo=JAKARTA)
POLLS_CLOSE = dt.datetime(2024, 11, 27, 13, 0, tzinfo=JAKARTA)
MAYOR = "pilwalkot-bogor-2024"


def _say(_msg: str) -> None:
    pass


@pytest.fixture
def tps_list(db):
    return list(Tps.objects.order_by("code").select_related("kelurahan"))


def test_the_seeded_sheets_were_all_entered_between_polls_closing_and_election_night(db):
    times = SheetVersion.objects.aggregate(first=Min("entered_at"), last=Max("entered_at"))
    assert times["first"] > POLLS_CLOSE and times["last"] <= ELECTION_NIGHT
    assert Verification.objects.aggregate(last=Max("at"))["last"] <= ELECTION_NIGHT
    assert not DHasil.objects.exists() and not RecapFinal.objects.exists()
    mayor = TallySheet.objects.filter(contest__code=MAYOR)
    assert 0.45 < mayor.count() / Tps.objects.count() < 0.65  # about half the TPS in
    assert mayor.held().exists() and mayor.disputed().exists()
    assert not TallySheet.objects.filter(tps__code="3271061002028").exists()  # its KPPS enters it at 23:30


def test_no_c_hasil_and_no_recap_exist_before_the_polls_close(tps_list):
    events, sirekap = tally_demo.timeline(tps_list)
    assert min(e.at for e in events) > POLLS_CLOSE
    assert all(at > POLLS_CLOSE for items in sirekap.values() for _t, _s, at in items)
    before = SheetVersion.objects.count(), Verification.objects.count()
    tally_demo.seed(now=H_MINUS_1, say=_say)
    assert (SheetVersion.objects.count(), Verification.objects.count()) == before


def test_at_h_minus_1_afternoon_invitations_stop_at_that_day_and_tps_028_is_behind(db):
    election = Election.objects.get(code="pilkada-2024")
    InvitationDay.objects.filter(election=election).delete()
    outreach_demo.seed(now=H_MINUS_1, say=_say)
    days = InvitationDay.objects.filter(election=election)
    assert max(days.values_list("day", flat=True)) == dt.date(2024, 11, 26)
    on_the_day = days.filter(day=dt.date(2024, 11, 26)).count()
    assert 0.3 * Tps.objects.count() < on_the_day < 0.8 * Tps.objects.count()  # part of H-1 is in
    assert days.filter(day=dt.date(2024, 11, 25)).count() == Tps.objects.count()
    tps028 = Tps.objects.get(code="3271061002028")
    assert not days.filter(tps=tps028, day=dt.date(2024, 11, 26)).exists()
    with clock.at(H_MINUS_1):
        (row,) = progress.progress(election, Tps.objects.filter(pk=tps028.pk), 1)
    assert row.behind


def test_seeding_invitations_again_at_a_later_hour_adds_only_the_later_reports(db):
    election = Election.objects.get(code="pilkada-2024")
    InvitationDay.objects.filter(election=election).delete()
    outreach_demo.seed(now=H_MINUS_1, say=_say)
    afternoon = InvitationDay.objects.count()
    outreach_demo.seed(now=H_MINUS_1, say=_say)
    assert InvitationDay.objects.count() == afternoon
    outreach_demo.seed(now=ELECTION_NIGHT, say=_say)
    assert InvitationDay.objects.count() == 5 * Tps.objects.count()


def test_the_timeline_is_the_same_for_every_run(tps_list):
    first, _ = tally_demo.timeline(tps_list)
    again, _ = tally_demo.timeline(tps_list)
    assert [(e.at, e.kind, e.contest, e.tps and e.tps.code, e.number) for e in first] == [
        (e.at, e.kind, e.contest, e.tps and e.tps.code, e.number) for e in again
    ]
    assert [e.at for e in first] == sorted(e.at for e in first)


def test_during_the_recap_every_tps_is_in_and_some_kecamatan_are_final(tps_list):
    """Plays the count on from election night to 30 November 10:00 (about 1,900 events, some seconds)."""
    tally_demo.seed(now=RECAP, say=_say)
    mayor = TallySheet.objects.filter(contest__code=MAYOR)
    assert mayor.count() == len(tps_list) and not mayor.held().exists()
    assert SheetVersion.objects.aggregate(last=Max("entered_at"))["last"] <= RECAP
    final = set(RecapFinal.objects.filter(contest__code=MAYOR).values_list("region__name", flat=True))
    assert final == {"Bogor Tengah", "Bogor Timur"}
    assert all(f.finalised_at <= RECAP for f in RecapFinal.objects.all())
    utara = Region.objects.get(code="32.71.05")
    lines = {line["key"]: line["diff"] for line in d_hasil_comparison(mayor.first().contest, utara)["lines"]}
    assert lines["paslon_2"] == 12 and lines["paslon_3"] == -12  # read out wrongly, not final yet
    assert not RecapFinal.objects.filter(region__code="32.71").exists()


def test_seed_demo_refuses_a_database_seeded_for_another_clock_without_rebuild(settings, db):
    settings.DEMO_NOW = H_MINUS_1
    with pytest.raises(CommandError, match="--rebuild"):
        call_command("seed_demo", "--quiet-logins")
    with pytest.raises(CommandError, match="Hanya demo SQLite"):  # the test database is not a demo file
        call_command("seed_demo", "--quiet-logins", "--rebuild")
    assert not SheetVersion.objects.filter(entered_at__gt=ELECTION_NIGHT).exists()


def test_the_seeded_clock_is_recorded_and_compared_as_an_instant(db):
    assert demo.same_clock(demo.seeded_for(), ELECTION_NIGHT.isoformat())
    assert demo.same_clock("2024-11-27T20:00:00+07:00", "2024-11-27T13:00:00+00:00")
    assert not demo.same_clock("2024-11-27T20:00:00+07:00", demo.REAL_TIME)
    assert not demo.same_clock("unknown", "2024-11-27T20:00:00+07:00")


def test_the_clock_can_be_moved_for_a_block_and_reads_in_utc(settings):
    settings.DEMO_NOW = H_MINUS_1
    with clock.at(RECAP):
        assert clock.now() == RECAP and clock.today() == dt.date(2024, 11, 30)
    assert clock.now() == H_MINUS_1 and clock.now().utcoffset() == dt.timedelta(0)
