import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Max, Sum

from deskpilkada.accounts.demo import USERS
from deskpilkada.accounts.models import RoleAssignment, User
from deskpilkada.elections.models import Candidate, Contest
from deskpilkada.regions.demo import HAZARDS
from deskpilkada.regions.models import RegionHazard
from deskpilkada.tps.demo import DATA, allocate
from deskpilkada.tps.models import Tps

# These check the whole demo: run apart, on a database seeded with it (pytest -m demo).
pytestmark = pytest.mark.demo


def test_demo_has_1530_tps_with_815249_voters_and_none_above_600(db):
    agg = Tps.objects.aggregate(m=Sum("dpt_male"), f=Sum("dpt_female"), top=Max("dpt_male"))
    assert Tps.objects.count() == 1530
    assert agg["m"] + agg["f"] == 815_249
    assert max(t.dpt for t in Tps.objects.all()) <= 600


def test_demo_tps_per_kecamatan_follow_the_pilkada_figures(db):
    with (DATA / "kota_bogor_tps_per_kecamatan_pilkada2024.csv").open() as fh:
        for row in csv.DictReader(fh):
            prefix = row["kecamatan_kode"].replace(".", "")
            assert Tps.objects.filter(code__startswith=prefix).count() == int(row["jumlah_tps_pilkada_2024"])


def test_demo_has_the_special_tps_901_and_902_at_lapas_paledang(db):
    special = Tps.objects.special()
    assert sorted(special.values_list("code", flat=True)) == ["3271031002901", "3271031002902"]
    assert all(t.special_kind == "lapas" and t.kelurahan.name == "Paledang" for t in special)


def test_demo_coordinates_lie_inside_kota_bogor(db):
    for lat, lon in Tps.objects.values_list("lat", "lon"):
        assert -6.70 < lat < -6.50 and 106.72 < lon < 106.87


def test_demo_contests_have_the_real_pairs_by_ballot_number(db):
    mayor = Contest.objects.get(code="pilwalkot-bogor-2024")
    assert [c.head_name for c in mayor.candidates.all()][2] == "Dedie A. Rachim"
    governor = Contest.objects.get(code="pilgub-jabar-2024")
    assert governor.region.code == "32"
    assert Candidate.objects.get(contest=governor, number=4).head_name == "Dedi Mulyadi"


def test_demo_hazards_come_from_the_bpbd_list(db):
    with HAZARDS.open() as fh:
        flood = {r["kelurahan_kode"] for r in csv.DictReader(fh) if r["bahaya"] == "banjir"}
    assert set(RegionHazard.objects.filter(kind="banjir").values_list("region__code", flat=True)) == flood
    assert RegionHazard.objects.filter(region__name="Paledang", kind="longsor").exists()


def test_seeding_twice_duplicates_nothing(db):
    counts = (
        Tps.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        Candidate.objects.count(),
        RegionHazard.objects.count(),
    )
    call_command("seed_demo", "--quiet-logins", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == (
        Tps.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        Candidate.objects.count(),
        RegionHazard.objects.count(),
    )


def test_one_demo_user_per_role_each_with_an_organisation(db):
    roles = {role for _u, _n, _o, role, _a in USERS}
    assert len(roles) >= 12
    for username, *_ in USERS:
        user = User.objects.get(username=username)
        assert user.organisation_id and user.assignments.exists()


def test_allocation_keeps_the_total_and_gives_every_kelurahan_a_tps():
    out = allocate(10, {"a": 100, "b": 1, "c": 50})
    assert sum(out.values()) == 10 and min(out.values()) >= 1 and out["a"] > out["c"]


def test_readme_lists_every_demo_login():
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    for username, *_ in USERS:
        assert username in readme


def test_the_demo_publishes_a_signed_checkpoint_of_every_contest(db):
    """Moved from tally/tests/test_chain_checkpoints.py: the seeded demo leaves each contest with a
    signed checkpoint of its chains as they stand at the demo's now."""
    from deskpilkada.tally import chain

    for contest in Contest.objects.all():
        checkpoint = chain.latest_checkpoint(contest)
        assert checkpoint is not None, contest.code
        heads, _last = chain.current_heads(contest)
        assert checkpoint.root == chain.fold(contest.code, heads)
        assert checkpoint.chains == len(heads) and chain.signature_problem(checkpoint) is None
