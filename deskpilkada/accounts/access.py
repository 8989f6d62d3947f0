"""The one mechanism that decides access, for pages and the API alike.

Every view declares what it needs with `@requires("cap")` or `@public`; the permission matrix
test fails for any URL whose view declares nothing. A capability is granted by a role, and a
role only reaches inside its area (a region and everything below it, or a single TPS).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from deskpilkada.accounts.models import Role, RoleAssignment, User
from deskpilkada.elections.models import Contest
from deskpilkada.regions.codes import CodeError, regions_of, undotted
from deskpilkada.regions.models import Region
from deskpilkada.tps.codes import normalize_tps_code
from deskpilkada.tps.models import Tps

PUBLIC = "public"
SIGNED_IN = "signed-in"  # any signed-in user, for their own account pages


@dataclass(frozen=True)
class Grant:
    role: str
    caps: frozenset[str]
    region_code: str | None  # dotted, e.g. "32.71.04"
    tps_id: int | None
    tps_code: str | None

    def covers_region_code(self, code: str) -> bool:
        return self.region_code is not None and (code == self.region_code or code.startswith(self.region_code + "."))

    def covers_tps(self, tps) -> bool:
        if self.tps_id is not None:
            return tps.pk == self.tps_id
        return self.covers_region_code(tps.kelurahan_code_dotted())


def grants_for(user) -> list[Grant]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_desk_grants", None)
    if cached is None:
        rows = RoleAssignment.objects.filter(user=user).select_related("role", "region", "tps")
        cached = [
            Grant(
                role=a.role.code,
                caps=frozenset(a.role.capabilities),
                region_code=a.region.code if a.region is not None else None,
                tps_id=a.tps_id,
                tps_code=a.tps.code if a.tps is not None else None,
            )
            for a in rows
        ]
        user._desk_grants = cached
    return cached


def has_cap(user, cap: str) -> bool:
    return any(cap in g.caps for g in grants_for(user))


def can(user, cap: str, target=None) -> bool:
    """May `user` use `cap` on `target` (a Region, a Tps, or None for "somewhere")?"""
    grants = [g for g in grants_for(user) if cap in g.caps]
    if target is None:
        return bool(grants)
    if isinstance(target, Region):
        return any(g.covers_region_code(target.code) for g in grants)
    return any(g.covers_tps(target) for g in grants)


def tps_scope(user, cap: str, field: str = "") -> Q:
    """A filter for TPS (or rows with a TPS at `field`) inside the user's areas for `cap`.

    TPS codes begin with the undotted kelurahan code, so an area is a code prefix.
    """
    prefix = f"{field}__" if field else ""
    q = Q(pk__in=[])
    for g in grants_for(user):
        if cap not in g.caps:
            continue
        if g.tps_id is not None:
            q |= Q(**{f"{prefix}pk": g.tps_id})
        elif g.region_code:
            q |= Q(**{f"{prefix}code__startswith": undotted(g.region_code)})
    return q


def region_scope(user, cap: str, field: str = "") -> Q:
    """A filter for regions inside the user's areas for `cap` (TPS-level grants see none)."""
    prefix = f"{field}__" if field else ""
    q = Q(pk__in=[])
    for g in grants_for(user):
        if cap in g.caps and g.region_code:
            q |= Q(**{f"{prefix}code": g.region_code}) | Q(**{f"{prefix}code__startswith": g.region_code + "."})
    return q


def home_areas(user, cap: str) -> list[str]:
    """The dotted region codes the user's grants for `cap` start from."""
    return sorted({g.region_code for g in grants_for(user) if cap in g.caps and g.region_code})


class AuthenticatedHttpRequest(HttpRequest):
    """What a `@requires` view receives: a request whose user is signed in (an annotation only;
    the decorator is what makes it true, as django-stubs suggests for such views)."""

    user: User


def requires(cap: str):
    """Page view decorator: sign-in, then the capability somewhere; objects are checked by getters."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if cap != SIGNED_IN and not has_cap(request.user, cap):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access = cap  # type: ignore[attr-defined]
        return wrapped

    return decorator


def public(view):
    """Marks a view as open to anyone, deliberately."""
    view.access = PUBLIC
    return view


def fresh_auth_required(view):
    """For irreversible or sensitive steps: the password must have been entered recently."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        at = request.session.get("reauth_at", 0)
        if time.time() - at > settings.REAUTH_MAX_AGE:
            return redirect(reverse("accounts:reauth") + "?" + urlencode({"next": request.get_full_path()}))
        return view(request, *args, **kwargs)

    return wrapped


def require_object(user, cap: str, obj) -> None:
    if not can(user, cap, obj):
        raise PermissionDenied


# --- permission-aware getters for page views: the object, or 404 / 403 ------------------------


def get_tps_for_user(request, code: str, cap: str = "tps.view") -> Tps:
    """The TPS by code (dotted or not), or 404; 403 when it lies outside the user's area."""
    try:
        tps = Tps.objects.select_related("kelurahan__parent").get(code=normalize_tps_code(code))
    except (CodeError, Tps.DoesNotExist):
        raise Http404(_("TPS tidak ditemukan."))
    require_object(request.user, cap, tps)
    return tps


def get_region_for_user(request, code: str, cap: str = "regions.view") -> Region:
    """The region by code (dotted or not), or 404; 403 when it lies outside the user's area."""
    try:
        region = Region.objects.select_related("parent").by_code(code)
    except (CodeError, Region.DoesNotExist):
        raise Http404(_("Wilayah tidak ditemukan."))
    require_object(request.user, cap, region)
    return region


def contests_for(request):
    """The contests a page offers to choose from (every contest: which races there are is public)."""
    return Contest.objects.select_related("election", "region").prefetch_related("candidates")


LAST_CONTEST = "pemilihan"  # the session key of the contest last chosen on a page


def home_contest(user, contests: list[Contest]) -> Contest | None:
    """The contest of the user's own level: the one whose region is the smallest holding one of
    the user's areas (the mayor's for anyone in Kota Bogor, the governor's for the province)."""
    areas = [g.tps_code or undotted(g.region_code or "") for g in grants_for(user)]
    covering = [c for c in contests if any(a and a.startswith(c.region.undotted_code) for a in areas)]
    return max(covering, key=lambda c: len(c.region.code), default=None)


def chosen_contest(request) -> Contest:
    """The contest named by `pemilihan` (query or form), remembered for the next page; else the one
    last chosen, else the contest of the user's own level, else the first. 404 when there is none."""
    contests = list(contests_for(request))
    if not contests:
        raise Http404(_("Belum ada pemilihan."))
    code = request.GET.get("pemilihan") or request.POST.get("pemilihan")
    named = next((c for c in contests if c.code == code), None)
    session = getattr(request, "session", None)
    if named is not None:
        if session is not None and session.get(LAST_CONTEST) != named.code:
            session[LAST_CONTEST] = named.code
        return named
    remembered = session.get(LAST_CONTEST) if session is not None else None
    return (
        next((c for c in contests if c.code == remembered), None) or home_contest(request.user, contests) or contests[0]
    )


def api_requires(cap: str):
    """API operation decorator: the authenticated user (token or session) needs `cap` somewhere."""

    def decorator(func):
        @wraps(func)
        def wrapped(request, *args, **kwargs):
            if cap != SIGNED_IN and not has_cap(request.user, cap):
                raise HttpError(403, "Anda tidak memiliki izin untuk tindakan ini.")
            return func(request, *args, **kwargs)

        wrapped.access = cap  # type: ignore[attr-defined]
        return wrapped

    return decorator


def api_require_object(user, cap: str, obj) -> None:
    if not can(user, cap, obj):
        raise HttpError(403, "Objek ini di luar wilayah kewenangan Anda.")


def assignment_scope(user, cap: str) -> Q:
    """A filter for role assignments whose area lies inside the user's areas for `cap`."""
    q = Q(pk__in=[])
    for g in grants_for(user):
        if cap not in g.caps or not g.region_code:
            continue
        q |= Q(region__code=g.region_code) | Q(region__code__startswith=g.region_code + ".")
        q |= Q(tps__code__startswith=undotted(g.region_code))
    return q


def manageable_users(user):
    """The users `user` may see and manage: those whose every role lies inside its areas for
    `accounts.manage`. A user without any role yet is visible to every manager (it reaches nothing),
    so that a new account can be given its first role."""
    if not has_cap(user, "accounts.manage"):
        return User.objects.none()
    outside = RoleAssignment.objects.exclude(assignment_scope(user, "accounts.manage")).values("user_id")
    return User.objects.exclude(pk__in=outside)


def get_user_for_manager(request, username: str):
    """The user named `username` if the signed-in manager may manage it; 404 if there is none, 403 if it
    holds a role outside the manager's area."""
    subject = get_object_or_404(User.objects.select_related("organisation"), username=username)
    if not manageable_users(request.user).filter(pk=subject.pk).exists():
        raise PermissionDenied
    return subject


def audit_scope(user) -> Q:
    """A filter for audit entries inside the reader's areas for `audit.view`. Entries with no area
    (the role table, organisations) are for desk admins only."""
    q = Q(pk__in=[])
    for g in grants_for(user):
        if "audit.view" not in g.caps:
            continue
        if g.tps_code:
            q |= Q(area=g.tps_code)
        elif g.region_code:
            q |= Q(area__startswith=undotted(g.region_code))
    if has_cap(user, "accounts.manage"):
        q |= Q(area="")
    return q


def users_reaching(*, cap: str | None = None, role: str | None = None, area: str | None = None, organisation=None):
    """Active users holding `role` (or a role granting `cap`) whose area holds `area` (an undotted region
    or 13-digit TPS code; None: anywhere), optionally only of `organisation`. Recipients of notifications."""
    roles = Role.objects.all()
    if role:
        roles = roles.filter(code=role)
    role_ids = [r.pk for r in roles if cap is None or cap in r.capabilities]
    assignments = RoleAssignment.objects.filter(role_id__in=role_ids)
    if area:
        reach = Q(region__code__in=regions_of(area))
        if len(area) == 13:
            reach |= Q(tps__code=area)
        assignments = assignments.filter(reach)
    users = User.objects.filter(is_active=True, pk__in=assignments.values("user_id"))
    if organisation is not None:
        users = users.filter(organisation=organisation)
    return users
