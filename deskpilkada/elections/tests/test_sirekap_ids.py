"""The KPU operator maps Sirekap's paslon ids per contest; the demo carries Sirekap's real ids."""

import json

import pytest

from deskpilkada import testing
from deskpilkada.audit.models import AuditEntry
from deskpilkada.elections import actions
from deskpilkada.elections.demo import SIREKAP_IDS

pytestmark = pytest.mark.django_db
URL = "/pemilihan/pilkada-2024/pilwalkot-bogor-2024/sirekap/"


def test_the_demo_uses_sirekaps_real_ids_for_kota_bogor_2024():
    assert SIREKAP_IDS["pilwalkot-bogor-2024"] == {
        "1000598": 1,
        "1000599": 2,
        "1000600": 3,
        "1000601": 4,
        "1000602": 5,
    }
    assert SIREKAP_IDS["pilgub-jabar-2024"] == {"1000026": 1, "1000027": 2, "1000028": 3, "1000029": 4}
    assert testing.contest(testing.GOVERNOR).sirekap_ids == SIREKAP_IDS["pilgub-jabar-2024"]


def form_data(ids: dict[int, str], expected: dict) -> dict:
    return {**{f"paslon_{n}": sid for n, sid in ids.items()}, "expected": json.dumps(expected)}


def test_the_operator_maps_the_ids_and_the_change_is_audited(client_as):
    contest = testing.contest()
    before = dict(contest.sirekap_ids)
    ids = {1: "7001", 2: "7002", 3: "7003", 4: "7004", 5: ""}
    response = client_as("kpu").post(URL, form_data(ids, before))
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.sirekap_ids == {"7001": 1, "7002": 2, "7003": 3, "7004": 4}
    entry = AuditEntry.objects.get(action="elections.sirekap_ids_set", target_id=str(contest.pk))
    assert entry.before == {"sirekap_ids": before} and entry.after == {"sirekap_ids": contest.sirekap_ids}
    page = client_as("kpu").get("/pemilihan/pilkada-2024/").content.decode()
    assert "id Sirekap 7001" in page


def test_an_id_given_to_two_pairs_or_not_digits_is_refused_naming_the_pair(client_as):
    contest = testing.contest()
    before = dict(contest.sirekap_ids)
    response = client_as("kpu").post(URL, form_data({1: "7001", 2: "7001", 3: "x12", 4: "", 5: ""}, before))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "paslon 1" in errors["paslon_2"][0] and "Hanya angka" in errors["paslon_3"][0]
    contest.refresh_from_db()
    assert contest.sirekap_ids == before


def test_a_mapping_changed_meanwhile_is_not_overwritten(client_as):
    contest = testing.contest()
    before = dict(contest.sirekap_ids)
    actions.set_sirekap_ids(by=None, contest=contest, ids={1: "9"})
    response = client_as("kpu").post(URL, form_data({1: "7001"}, before))
    assert response.status_code == 200
    assert "baru saja diubah orang lain" in str(response.context["form"].non_field_errors())
    contest.refresh_from_db()
    assert contest.sirekap_ids == {"9": 1}


def test_the_import_of_sirekap_json_reads_the_mapped_ids(client_as):
    testing.make_counted("3271061002028")
    contest = testing.contest()
    actions.set_sirekap_ids(by=None, contest=contest, ids={n: str(8000 + n) for n in range(1, 6)})
    external = testing.make_sirekap("3271061002028", misread={2: 61})  # its JSON speaks of ids 8001–8005
    assert external.figures["paslon_2"] == 61
