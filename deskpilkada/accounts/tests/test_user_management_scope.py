"""A manager sees and manages only users whose every role lies inside its own area (probe finding 1)."""

from deskpilkada.accounts.access import manageable_users
from deskpilkada.accounts.models import User


def test_a_city_admin_cannot_deactivate_the_province_admin(client_as, persona):
    response = client_as("admin").post("/pengguna/admin.jabar/status/", {"active": "0"})
    assert response.status_code == 403
    assert User.objects.get(username="admin.jabar").is_active


def test_a_city_admin_cannot_reactivate_a_user_above_its_area(client_as, persona):
    province = persona("admin_prov")
    province.is_active = False
    province.save(update_fields=["is_active"])
    assert client_as("admin").post("/pengguna/admin.jabar/status/", {"active": "1"}).status_code == 403
    assert not User.objects.get(username="admin.jabar").is_active


def test_a_province_admin_manages_users_of_the_city(client_as):
    response = client_as("admin_prov").post("/pengguna/sekda/status/", {"active": "0"})
    assert response.status_code == 302
    assert not User.objects.get(username="sekda").is_active


def test_the_user_list_shows_only_users_inside_the_area(client_as):
    page = client_as("admin").get("/pengguna/").content.decode()
    assert "kpps.kebonpedes028" in page and "panwascam.bogorbarat" in page
    assert "admin.jabar" not in page
    assert "admin.jabar" in client_as("admin_prov").get("/pengguna/").content.decode()


def test_the_user_page_above_the_area_is_refused(client_as):
    assert client_as("admin").get("/pengguna/admin.jabar/").status_code == 403
    assert client_as("admin").get("/pengguna/tidak-ada/").status_code == 404


def test_a_role_of_a_user_above_the_area_cannot_be_revoked(client_as, persona):
    assignment = persona("admin_prov").assignments.get()
    response = client_as("admin").post(f"/pengguna/admin.jabar/peran/{assignment.pk}/cabut/")
    assert response.status_code == 403
    assert persona("admin_prov").assignments.exists()


def test_a_user_with_one_role_outside_the_area_is_out_of_reach(client_as, persona):
    """Every role must lie inside: one role in the city and one in the province is not enough."""
    from deskpilkada.accounts import actions
    from deskpilkada.accounts.models import Role
    from deskpilkada.regions.models import Region

    sekda = persona("viewer")
    actions.assign_role(
        by=None, user=sekda, role=Role.objects.get(code="desk_viewer"), region=Region.objects.get(code="32")
    )
    assert not manageable_users(persona("admin")).filter(pk=sekda.pk).exists()
    assert client_as("admin").get("/pengguna/sekda/").status_code == 403


def test_a_user_without_roles_yet_can_be_given_its_first_role(client_as, persona):
    from deskpilkada.accounts import actions
    from deskpilkada.accounts.models import Organisation

    actions.create_user(by=None, username="baru.kota", password=None, organisation=Organisation.objects.first())
    response = client_as("admin").post("/pengguna/baru.kota/", {"role": _role_pk("desk_viewer"), "area": "32.71"})
    assert response.status_code == 302
    # ... and then it is inside the city: still the city admin's.
    assert client_as("admin").get("/pengguna/baru.kota/").status_code == 200


def test_a_city_admin_cannot_give_a_role_above_its_area(client_as):
    response = client_as("admin").post("/pengguna/sekda/", {"role": _role_pk("desk_viewer"), "area": "32"})
    assert response.status_code == 200 and "di luar wilayah" in response.content.decode()


def _role_pk(code: str) -> int:
    from deskpilkada.accounts.models import Role

    return Role.objects.get(code=code).pk
