"""The demo clock: DESKPILKADA_DEMO_NOW fixes "now" for the countdown and the invitation warnings."""

import datetime as dt
from zoneinfo import ZoneInfo

from deskpilkada import clock
from deskpilkada.elections.models import Election
from deskpilkada.outreach.progress import default_days_before

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_without_the_setting_now_is_the_real_time(settings):
    settings.DEMO_NOW = None
    assert abs((clock.now() - dt.datetime.now(tz=JAKARTA)).total_seconds()) < 5
    assert not clock.is_fixed()


def test_the_demo_clock_moves_the_countdown(settings, db):
    election = Election.objects.get(code="pilkada-2024")
    settings.DEMO_NOW = dt.datetime(2024, 11, 26, 15, 0, tzinfo=JAKARTA)
    assert election.days_to_voting() == 1
    settings.DEMO_NOW = dt.datetime(2024, 11, 27, 20, 0, tzinfo=JAKARTA)
    assert election.days_to_voting() == 0


def test_the_demo_clock_moves_the_invitation_warnings(settings, db):
    election = Election.objects.get(code="pilkada-2024")
    settings.DEMO_NOW = dt.datetime(2024, 11, 24, 9, 0, tzinfo=JAKARTA)
    assert default_days_before(election) == 3
    settings.DEMO_NOW = dt.datetime(2024, 11, 26, 15, 0, tzinfo=JAKARTA)
    assert default_days_before(election) == 1


def test_the_page_shows_h_minus_one_and_the_demo_clock_in_the_banner(settings, client_as):
    settings.DEMO_NOW = dt.datetime(2024, 11, 26, 15, 0, tzinfo=JAKARTA)
    settings.DEMO_MODE = True
    page = client_as("viewer").get("/").content.decode()
    assert "H-1" in page and "H+" not in page
    assert "Jam demo" in page and "26 November 2024" in page
