from django.test import Client

from deskpilkada import testing as make
from deskpilkada.desk.points import POINTS
from deskpilkada.tps.models import Tps


def test_pages_are_indonesian_even_for_a_browser_set_to_english(db):
    body = Client().get("/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Masuk ke Desk Pilkada" in body


def test_english_is_available_when_the_user_chooses_it(db):
    c = Client()
    c.post("/bahasa/", {"language": "en", "next": "/masuk/"})
    assert "Sign in" in c.get("/masuk/").content.decode()


def test_the_desk_shows_the_ten_points_and_says_which_are_not_built_yet(client_as):
    make.make_tps("32.71.02.1001", 1, dpt_male=300, dpt_female=299)
    make.make_tps("32.71.05.1001", 1, dpt_male=1, dpt_female=0)
    response = client_as("viewer").get("/desk/")
    body = response.content.decode()
    assert len(response.context["tiles"]) == 10
    assert body.count("Modul belum dibangun") == sum(not p.built for p in POINTS)  # the points without a provider
    counting = [f.label for f in response.context["tiles"][4]["tile"].figures]
    assert any("TPS dihitung" in label for label in counting)
    # The DPT of every TPS of the city: the world's eleven (250 voters each) and the two above.
    assert response.context["totals"]["dpt"] == sum(t.dpt for t in Tps.objects.all()) == 11 * 250 + 599 + 1


def test_desk_figures_follow_the_users_area(client_as):
    for village in ("32.71.04.1002", "32.71.04.1003", "32.71.05.1001"):  # two more in Bogor Barat, one outside
        make.make_tps(village, 1, dpt_male=100, dpt_female=100)
    assert client_as("kpps").get("/desk/").context["totals"]["tps"] == 1
    assert client_as("kpps").get("/desk/").context["totals"]["dpt"] == 250
    bogor_barat = Tps.objects.filter(code__startswith="327104")
    assert client_as("ppk").get("/desk/").context["totals"]["tps"] == bogor_barat.count() == 4
    assert client_as("ppk").get("/desk/").context["totals"]["dpt"] == sum(t.dpt for t in bogor_barat) == 900


def test_the_desk_shows_readiness_per_kecamatan_with_its_formula(client_as):
    response = client_as("viewer").get("/desk/")
    table = response.context["readiness"]
    assert [p.number for p in table["points"]] == [p.number for p in POINTS if p.built]
    assert 1 in [p.number for p in table["points"]]  # logistics: TPS complete per kecamatan
    assert len(table["rows"]) == 6  # the six kecamatan of Kota Bogor
    assert "TPS yang tidak tertinggal undangan" in response.content.decode()


def test_the_public_landing_page_invites_officers_to_sign_in(client, db):
    body = client.get("/").content.decode()
    assert "Masuk untuk petugas" in body and "cekdptonline.kpu.go.id" in body


def test_countdown_counts_days_to_or_since_voting_day(client_as):
    response = client_as("viewer").get("/")
    election = response.context["current_election"]
    assert election.code == "pilkada-2024"
    assert response.context["days_to_voting"] == election.days_to_voting()


def test_the_desk_reads_invitation_progress_once_for_its_tile_and_readiness(client_as, monkeypatch):
    from deskpilkada.outreach import progress

    calls = []
    real = progress.progress
    monkeypatch.setattr(progress, "progress", lambda *a, **k: calls.append(1) or real(*a, **k))
    client_as("viewer").get("/desk/")
    assert len(calls) == 1
