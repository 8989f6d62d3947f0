"""Audited writes to users, roles and API tokens."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from deskpilkada.accounts.models import ApiToken, Organisation, Role, RoleAssignment, User, hash_token
from deskpilkada.accounts.roles import ROLES, role_area_error
from deskpilkada.audit.log import area_of, changes, record, snapshot

USER_FIELDS = ["username", "full_name", "organisation_id", "phone", "email", "is_active"]


@transaction.atomic
def sync_roles(*, by=None) -> int:
    """Write the canonical role table (accounts/roles.py) to the database."""
    changed = 0
    for code, spec in ROLES.items():
        role, created = Role.objects.get_or_create(
            code=code, defaults={"name": str(spec["name"]), "capabilities": spec["caps"]}
        )
        if not created and (role.name != str(spec["name"]) or role.capabilities != spec["caps"]):
            before = snapshot(role, ["name", "capabilities"])
            role.name, role.capabilities = str(spec["name"]), spec["caps"]
            role.save(update_fields=["name", "capabilities"])
            record(
                "accounts.role_updated",
                by=by,
                target=role,
                before=before,
                after=snapshot(role, ["name", "capabilities"]),
            )
            changed += 1
        elif created:
            record("accounts.role_created", by=by, target=role, after=snapshot(role, ["code", "name", "capabilities"]))
            changed += 1
    return changed


@transaction.atomic
def create_organisation(*, by, code: str, name: str, kind: str) -> Organisation:
    org = Organisation.objects.create(code=code, name=name, kind=kind)
    record("accounts.organisation_created", by=by, target=org, after=snapshot(org))
    return org


ORGANISATION_FIELDS = ["name", "kind"]


class StaleEdit(Exception):
    """The record changed since the form was loaded: nothing was written."""


@transaction.atomic
def update_organisation(*, by, organisation: Organisation, name: str, kind: str, expected: dict | None = None) -> bool:
    """Rename the organisation or change its kind; False when nothing changed.

    `expected` is the name and kind the form showed: when the row no longer has them (someone
    else saved meanwhile) StaleEdit is raised and nothing is written."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = snapshot(org, ORGANISATION_FIELDS) or {}
    if expected is not None and any(before[k] != expected.get(k) for k in ORGANISATION_FIELDS):
        raise StaleEdit(before)
    org.name, org.kind = name, kind
    b, a = changes(before, snapshot(org, ORGANISATION_FIELDS))
    if not a:
        return False
    org.save(update_fields=ORGANISATION_FIELDS)
    record("accounts.organisation_updated", by=by, target=org, before=b, after=a)
    organisation.name, organisation.kind = name, kind
    return True


@transaction.atomic
def set_organisation_active(*, by, organisation: Organisation, active: bool) -> None:
    """Deactivate (no new user may pick it; its users keep working) or reactivate an organisation."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if org.active == active:
        return
    org.active = active
    org.save(update_fields=["active"])
    record(
        "accounts.organisation_activated" if active else "accounts.organisation_deactivated",
        by=by,
        target=org,
        before={"active": not active},
        after={"active": active},
    )
    organisation.active = active


@transaction.atomic
def create_user(
    *,
    by,
    username: str,
    password: str | None,
    organisation: Organisation,
    full_name: str = "",
    phone: str = "",
    email: str = "",
) -> User:
    user = User(username=username, organisation=organisation, full_name=full_name, phone=phone, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record("accounts.user_created", by=by, target=user, after=snapshot(user, USER_FIELDS))
    return user


@transaction.atomic
def set_user_active(*, by, user: User, active: bool) -> None:
    before = snapshot(user, ["is_active"])
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(
        "accounts.user_activated" if active else "accounts.user_deactivated",
        by=by,
        target=user,
        before=before,
        after=snapshot(user, ["is_active"]),
    )


@transaction.atomic
def set_password(*, by, user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    record("accounts.password_set", by=by, target=user)


@transaction.atomic
def assign_role(*, by, user: User, role: Role, region=None, tps=None) -> RoleAssignment:
    problem = role_area_error(role.code, "tps" if tps is not None else region.level)
    if problem:
        raise ValueError(problem)
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, region=region, tps=tps)
    if created:
        record(
            "accounts.role_assigned",
            by=by,
            target=user,
            area=area_of(assignment),
            after={"role": role.code, "region": region.code if region else None, "tps": tps.code if tps else None},
        )
    return assignment


@transaction.atomic
def revoke_role(*, by, assignment: RoleAssignment) -> None:
    before = {
        "role": assignment.role.code,
        "region": assignment.region.code if assignment.region is not None else None,
        "tps": assignment.tps.code if assignment.tps is not None else None,
    }
    user, area = assignment.user, area_of(assignment)
    assignment.delete()
    record("accounts.role_revoked", by=by, target=user, before=before, area=area)


@transaction.atomic
def create_api_token(*, by, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is never stored and shown only once."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, token_hash=hash_token(raw), hint=raw[:8])
    record(
        "accounts.token_created",
        by=by,
        target=token,
        target_repr=_token_repr(token),
        after={"user": user.username, "name": name, "hint": token.hint},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, by, token: ApiToken) -> None:
    if token.revoked_at:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        "accounts.token_revoked",
        by=by,
        target=token,
        target_repr=_token_repr(token),
        after={"revoked_at": token.revoked_at},
    )


def _token_repr(token: ApiToken) -> str:
    """A token as the audit log names it: its owner and name, never its hint (shown to the desk admin only)."""
    return f"{token.user.username}: {token.name}"
