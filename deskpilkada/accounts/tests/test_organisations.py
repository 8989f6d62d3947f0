"""The desk admin's organisations page: create, rename, change the kind, deactivate and reactivate,
each audited; only active organisations are offered for a new user."""

import pytest

from deskpilkada.accounts import actions
from deskpilkada.accounts.forms import UserCreateForm
from deskpilkada.accounts.models import Organisation
from deskpilkada.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def make_org(code="rsud-uji", name="RSUD Uji", kind="rumah_sakit"):
    return actions.create_organisation(by=None, code=code, name=name, kind=kind)


def test_the_admin_creates_an_organisation_with_its_kind_and_a_code_from_its_name(client_as):
    response = client_as("admin").post("/organisasi/baru/", {"name": "  RS  Salak Bogor ", "kind": "rumah_sakit"})
    assert response.status_code == 302
    org = Organisation.objects.get(code="rs-salak-bogor")
    assert (org.name, org.kind, org.active) == ("RS Salak Bogor", "rumah_sakit", True)
    entry = AuditEntry.objects.get(action="accounts.organisation_created", target_id=str(org.pk))
    assert entry.actor_name == "admin.kesbangpol"


def test_a_code_already_taken_is_refused_naming_the_field(client_as):
    make_org()
    response = client_as("admin").post("/organisasi/baru/", {"name": "Lain", "kind": "lain", "code": "rsud-uji"})
    assert response.status_code == 200
    assert "sudah dipakai" in response.context["form"].errors["code"][0]


def test_the_admin_renames_an_organisation_and_changes_its_kind_audited(client_as):
    org = make_org()
    response = client_as("admin").post(
        f"/organisasi/{org.code}/",
        {"name": "RSUD Kota Uji", "kind": "kesehatan", "expected_name": "RSUD Uji", "expected_kind": "rumah_sakit"},
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.kind) == ("RSUD Kota Uji", "kesehatan")
    entry = AuditEntry.objects.get(action="accounts.organisation_updated", target_id=str(org.pk))
    assert entry.before == {"name": "RSUD Uji", "kind": "rumah_sakit"}
    assert entry.after == {"name": "RSUD Kota Uji", "kind": "kesehatan"}


def test_a_rename_over_someone_elses_change_is_refused_with_a_clear_message(client_as):
    org = make_org()
    actions.update_organisation(by=None, organisation=org, name="RSUD Baru", kind="rumah_sakit")
    response = client_as("admin").post(
        f"/organisasi/{org.code}/",
        {"name": "RSUD Saya", "kind": "rumah_sakit", "expected_name": "RSUD Uji", "expected_kind": "rumah_sakit"},
    )
    assert response.status_code == 200
    assert "baru saja diubah orang lain (kini: RSUD Baru" in str(response.context["form"].non_field_errors())
    org.refresh_from_db()
    assert org.name == "RSUD Baru"
    # The form now carries what is stored: saving again goes through.
    assert response.context["form"]["expected_name"].value() == "RSUD Baru"


def test_a_deactivated_organisation_is_not_offered_for_new_users_and_can_be_reactivated(client_as):
    org = make_org()
    admin = client_as("admin")
    assert admin.post(f"/organisasi/{org.code}/status/", {"active": "0"}).status_code == 302
    org.refresh_from_db()
    assert not org.active
    assert org not in UserCreateForm().fields["organisation"].queryset
    page = admin.get("/pengguna/baru/").content.decode()
    assert "RSUD Uji" not in page and "Kesbangpol Kota Bogor" in page
    assert admin.post(f"/organisasi/{org.code}/status/", {"active": "1"}).status_code == 302
    org.refresh_from_db()
    assert org.active and org in UserCreateForm().fields["organisation"].queryset
    actions_done = list(
        AuditEntry.objects.filter(target_type="accounts.organisation", target_id=str(org.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions_done == [
        "accounts.organisation_created",
        "accounts.organisation_deactivated",
        "accounts.organisation_activated",
    ]


def test_a_user_cannot_be_created_in_a_deactivated_organisation(client_as):
    org = make_org()
    actions.set_organisation_active(by=None, organisation=org, active=False)
    response = client_as("admin").post(
        "/pengguna/baru/",
        {"username": "rs.uji", "full_name": "Petugas Uji", "organisation": org.pk, "password": "kata-sandi-panjang-1"},
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors


def test_the_list_shows_every_kind_and_filters_by_kind(client_as):
    make_org()
    page = client_as("admin").get("/organisasi/", {"jenis": "rumah_sakit"})
    names = [o.name for o in page.context["organisations"]]
    assert "RSUD Uji" in names and "BPBD Kota Bogor" not in names
    assert "BPBD Kota Bogor" in client_as("admin").get("/organisasi/").content.decode()
