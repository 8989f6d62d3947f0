"""The audit log shows each reader only its own area; addresses and token hints only to the desk admin
(probe finding 2)."""

from deskpilkada.accounts import actions
from deskpilkada.audit.log import common_area, record
from deskpilkada.audit.models import AuditEntry
from deskpilkada.tps.models import Tps


def _ids(client) -> set[int]:
    page = client.get("/audit/").context["page"]
    ids = {e.pk for e in page}
    for n in page.paginator.page_range[1:]:
        ids |= {e.pk for e in client.get(f"/audit/?page={n}").context["page"]}
    return ids


def test_a_kecamatan_reader_sees_only_entries_of_its_kecamatan(client_as, persona):
    inside = record("tps.updated", by=persona("kpu"), target=Tps.objects.get(code="3271041001001"))
    outside = record("tps.updated", by=persona("kpu"), target=Tps.objects.get(code="3271061002028"))
    city = record("desk.meeting_added", by=persona("admin"), area="3271")
    seen = _ids(client_as("bawaslu_kec"))
    assert inside.pk in seen
    assert outside.pk not in seen and city.pk not in seen
    assert {inside.pk, outside.pk, city.pk} <= _ids(client_as("bawaslu"))
    assert all(e.area.startswith("327104") for e in AuditEntry.objects.filter(pk__in=seen))


def test_logins_belong_to_the_area_of_the_user(client_as, persona):
    from django.test import Client

    Client().post("/masuk/", {"username": "ppk.bogorbarat", "password": "demo-pilkada-2024"})
    Client().post("/masuk/", {"username": "pps.kebonpedes", "password": "demo-pilkada-2024"})
    ppk_login = AuditEntry.objects.filter(action="accounts.login", actor__username="ppk.bogorbarat").first()
    pps_login = AuditEntry.objects.filter(action="accounts.login", actor__username="pps.kebonpedes").first()
    assert ppk_login.area == "327104"
    seen = _ids(client_as("bawaslu_kec"))
    assert ppk_login.pk in seen and pps_login.pk not in seen


def test_addresses_and_token_hints_are_shown_only_to_the_desk_admin(client_as, persona):
    token, _raw = actions.create_api_token(by=persona("ppk"), user=persona("ppk"), name="skrip")
    entry = AuditEntry.objects.filter(action="accounts.token_created").latest("id")
    assert entry.area == "327104"
    admin_page = client_as("admin").get("/audit/?action=accounts.token_created").content.decode()
    assert token.hint in admin_page and "<th>IP</th>" in admin_page
    reader_page = client_as("bawaslu_kec").get("/audit/?action=accounts.token_created").content.decode()
    assert "skrip" in reader_page and token.hint not in reader_page and "<th>IP</th>" not in reader_page


def test_entries_of_no_area_are_for_desk_admins_only(client_as):
    entry = record("accounts.role_updated", by=None, area="")
    assert entry.pk in _ids(client_as("admin"))
    assert entry.pk not in _ids(client_as("viewer"))


def test_the_common_area_of_several_codes_is_the_smallest_region_holding_them():
    assert common_area(["3271041001", "3271061002028"]) == "3271"
    assert common_area(["327104", "3271041001001"]) == "327104"
    assert common_area(["3271", "3201"]) == "32"
    assert common_area(["3271", "3171"]) == ""
    assert common_area([]) == ""
