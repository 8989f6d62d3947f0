from django.test import Client

from deskpilkada.accounts.access import can, tps_scope
from deskpilkada.accounts.models import ApiToken, RoleAssignment, User
from deskpilkada.audit.models import AuditEntry
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps

PASSWORD = "demo-pilkada-2024"


def test_a_role_never_reaches_outside_its_area(persona):
    ppk = persona("ppk")
    assert can(ppk, "tps.view", Tps.objects.get(code="3271041001001"))
    assert not can(ppk, "tps.view", Tps.objects.get(code="3271011001001"))
    assert not can(ppk, "tps.view", Region.objects.get(code="32.71"))
    assert can(ppk, "tps.view", Region.objects.get(code="32.71.04.1001"))
    kpps = persona("kpps")
    assert list(Tps.objects.filter(tps_scope(kpps, "tps.view")).values_list("code", flat=True)) == ["3271061002028"]
    assert not can(kpps, "tps.view", Region.objects.get(code="32.71.06.1002"))
    assert not can(kpps, "tps.manage", Tps.objects.get(code="3271061002028"))


def test_an_inactive_user_has_no_access(persona):
    user = persona("viewer")
    user.is_active = False
    assert not can(user, "tps.view")


def test_login_succeeds_and_is_audited(db):
    c = Client()
    response = c.post("/masuk/", {"username": "sekda", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="accounts.login", actor__username="sekda", ip="10.9.9.9").exists()


def test_login_refuses_an_open_redirect(db):
    c = Client()
    response = c.post("/masuk/", {"username": "sekda", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_managing_users_needs_a_fresh_password(client_as):
    stale = client_as("admin", fresh=False)
    response = stale.get("/pengguna/baru/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/konfirmasi/")
    ok = stale.post("/masuk/konfirmasi/?next=/pengguna/baru/", {"password": PASSWORD})
    assert ok["Location"] == "/pengguna/baru/"
    assert stale.get("/pengguna/baru/").status_code == 200


def test_assigning_a_role_is_audited_and_area_checked(client_as):
    c = client_as("admin")
    response = c.post(
        "/pengguna/baru/",
        {
            "username": "ptps.uji",
            "full_name": "PTPS Uji (demo)",
            "password": "kata-sandi-panjang-77",
            "organisation": User.objects.get(username="bawaslu").organisation_id,
        },
    )
    assert response.status_code == 302
    c.post(
        "/pengguna/ptps.uji/",
        {"role": RoleAssignment.objects.filter(role__code="bawaslu").first().role_id, "area": "3271061002028"},
    )
    assignment = RoleAssignment.objects.get(user__username="ptps.uji")
    assert assignment.tps.code == "3271061002028"
    assert AuditEntry.objects.filter(action="accounts.role_assigned").exists()
    bad = c.post("/pengguna/ptps.uji/", {"role": assignment.role_id, "area": "99.99"})
    assert "tidak ada" in bad.context["form"].errors["area"][0]


def test_a_weak_password_is_refused_with_a_field_message(client_as):
    response = client_as("admin").post(
        "/pengguna/baru/", {"username": "lemah", "full_name": "x", "password": "123", "organisation": 1}
    )
    assert "password" in response.context["form"].errors


def test_api_tokens_are_stored_hashed_shown_once_and_revocable(client_as, persona):
    c = client_as("kpu")
    created = c.post("/akun/", {"name": "skrip impor"})
    assert created.status_code == 302
    raw = c.get("/akun/").context["new_token"]
    assert c.get("/akun/").context["new_token"] is None
    assert raw.startswith("dpk_")
    token = ApiToken.objects.get(user__username="operator.kpu")
    assert raw not in (token.token_hash, token.hint) and token.hint == raw[:8]
    api = Client()
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["username"] == "operator.kpu"
    assert api.get("/api/v1/me", HTTP_X_API_KEY=raw).status_code == 200
    c.post(f"/akun/token/{token.pk}/cabut/")
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(client_as, persona):
    from deskpilkada.accounts.actions import create_api_token

    token, _raw = create_api_token(by=None, user=persona("kpu"), name="x")
    assert client_as("viewer").post(f"/akun/token/{token.pk}/cabut/").status_code == 404


def test_logout_needs_a_post(client_as):
    c = client_as("viewer")
    assert c.get("/keluar/").status_code == 405
    assert c.post("/keluar/").status_code == 302
    assert c.get("/tps/").status_code == 302


def test_a_deactivated_user_loses_access_at_once(client_as, persona):
    victim = client_as("viewer")
    assert victim.get("/tps/").status_code == 200
    client_as("admin").post("/pengguna/sekda/status/", {"active": "0"})
    assert not persona("viewer").is_active
    assert victim.get("/tps/").status_code == 302
    assert AuditEntry.objects.filter(action="accounts.user_deactivated").exists()


def test_a_role_is_only_given_for_its_kind_of_area(client_as):
    from deskpilkada.accounts.models import Role

    c = client_as("admin")
    kpps = Role.objects.get(code="kpps")
    response = c.post("/pengguna/camat.bogorbarat/", {"role": kpps.pk, "area": "32.71.04"})
    assert "hanya untuk wilayah tingkat: TPS" in response.context["form"].errors["area"][0]
    assert not RoleAssignment.objects.filter(user__username="camat.bogorbarat", role=kpps).exists()


def test_a_decimal_comma_is_accepted_for_coordinates(client_as):
    tps = Tps.objects.get(code="3271061002028")
    data = {
        "address": tps.address,
        "lat": "-6,5415",
        "lon": "106,7931",
        "dpt_male": tps.dpt_male,
        "dpt_female": tps.dpt_female,
        "special_kind": "",
        "version": tps.version,
    }
    assert client_as("kpu").post(f"/tps/{tps.code}/ubah/", data).status_code == 302
    tps.refresh_from_db()
    assert (tps.lat, tps.lon) == (-6.5415, 106.7931)
