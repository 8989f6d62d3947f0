import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deskpilkada import drafts
from deskpilkada.accounts import actions, throttle
from deskpilkada.accounts.access import (
    SIGNED_IN,
    can,
    fresh_auth_required,
    get_user_for_manager,
    manageable_users,
    public,
    requires,
)
from deskpilkada.accounts.forms import (
    LoginForm,
    OrganisationCreateForm,
    OrganisationEditForm,
    ReauthForm,
    RoleAssignForm,
    TokenForm,
    UserCreateForm,
)
from deskpilkada.accounts.middleware import client_ip
from deskpilkada.accounts.models import ApiToken, Organisation, RoleAssignment, User
from deskpilkada.audit.log import area_of, record
from deskpilkada.regions.models import Region


def _safe_next(request, fallback: str = "/") -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return nxt
    return fallback


def _wait_message(wait: throttle.Wait) -> str:
    if wait.seconds > 90:
        return _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(n)d menit.") % {
            "n": (wait.seconds + 59) // 60
        }
    return _("Beberapa percobaan gagal. Tunggu %(n)d detik sebelum mencoba lagi.") % {"n": wait.seconds}


def _throttled(response, wait: throttle.Wait):
    response.status_code = 429
    response["Retry-After"] = str(wait.seconds)
    return response


@public
def login_view(request):
    form = LoginForm(request.POST or None)
    wait = throttle.Wait(0, False)
    if request.method == "POST" and form.is_valid():
        username, ip = form.cleaned_data["username"], client_ip(request)
        wait = throttle.check(username, ip)
        if wait:
            form.add_error(None, _wait_message(wait))
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                throttle.note_failure(username, ip)  # the next try may have to wait; this one says "wrong"
                subject = User.objects.filter(username=username).first()
                record("accounts.login_failed", by=None, target_repr=username[:150], area=area_of(subject))
                form.add_error(None, _("Nama pengguna atau kata sandi salah."))
            else:
                login(request, user)
                request.session["reauth_at"] = time.time()
                throttle.note_success(username, ip)
                record("accounts.login", by=user, target=user)
                return redirect(_safe_next(request))
    response = render(request, "accounts/login.html", {"form": form, "next": _safe_next(request, "")})
    return _throttled(response, wait) if wait else response


@public
@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        record("accounts.logout", by=request.user, target=request.user)
    logout(request)
    return redirect("accounts:login")


@requires(SIGNED_IN)
def reauth_view(request):
    form = ReauthForm(request.POST or None)
    wait = throttle.Wait(0, False)
    if request.method == "POST" and form.is_valid():
        username, ip = request.user.username, client_ip(request)
        wait = throttle.check(username, ip)
        if wait:
            form.add_error("password", _wait_message(wait))
        elif request.user.check_password(form.cleaned_data["password"]):
            request.session["reauth_at"] = time.time()
            throttle.note_success(username, ip)
            return redirect(_safe_next(request))
        else:
            throttle.note_failure(username, ip)
            form.add_error("password", _("Kata sandi salah."))
    context = {"form": form, "next": _safe_next(request), "reauth_minutes": max(1, settings.REAUTH_MAX_AGE // 60)}
    response = render(request, "accounts/reauth.html", context)
    return _throttled(response, wait) if wait else response


@requires(SIGNED_IN)
def profile(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, raw = actions.create_api_token(by=request.user, user=request.user, name=form.cleaned_data["name"])
        request.session["new_token"] = raw  # shown once, after the redirect (a reload creates nothing)
        return redirect("accounts:profile")
    new_token = request.session.pop("new_token", None)
    return render(
        request,
        "accounts/profile.html",
        {
            "assignments": RoleAssignment.objects.filter(user=request.user).select_related(
                "role", "region", "tps__kelurahan"
            ),
            "tokens": request.user.api_tokens.all(),
            "form": form,
            "new_token": new_token,
        },
    )


@requires(SIGNED_IN)
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    actions.revoke_api_token(by=request.user, token=token)
    messages.success(request, _("Token «%(name)s» dicabut.") % {"name": token.name})
    return redirect("accounts:profile")


@requires("accounts.manage")
def user_list(request):
    users = (
        manageable_users(request.user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("assignments", queryset=RoleAssignment.objects.select_related("role", "region", "tps__kelurahan"))
        )
    )
    return render(request, "accounts/user_list.html", {"users": users})


@requires("accounts.manage")
@fresh_auth_required
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = actions.create_user(by=request.user, **form.cleaned_data)
        drafts.saved(request, messages.SUCCESS, _("Pengguna %(u)s dibuat.") % {"u": user.username}, "pengguna-baru")
        return redirect("accounts:user_detail", username=user.username)
    return render(request, "accounts/user_create.html", {"form": form})


@requires("accounts.manage")
@fresh_auth_required
def user_detail(request, username: str):
    user = get_user_for_manager(request, username)
    form = RoleAssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        area = form.cleaned_data["area"]
        region = area if isinstance(area, Region) else None
        tps = None if region else area
        if not can(request.user, "accounts.manage", area):
            form.add_error("area", _("Wilayah ini di luar wilayah kewenangan Anda."))
        else:
            try:
                actions.assign_role(by=request.user, user=user, role=form.cleaned_data["role"], region=region, tps=tps)
            except ValueError as exc:
                form.add_error("area", str(exc))
            else:
                messages.success(request, _("Peran ditambahkan."))
                return redirect("accounts:user_detail", username=user.username)
    assignments = user.assignments.select_related("role", "region", "tps__kelurahan")
    return render(request, "accounts/user_detail.html", {"subject": user, "assignments": assignments, "form": form})


@requires("accounts.manage")
@fresh_auth_required
@require_POST
def role_revoke(request, username: str, pk: int):
    subject = get_user_for_manager(request, username)
    assignment = get_object_or_404(RoleAssignment.objects.select_related("region", "tps"), pk=pk, user=subject)
    if not can(request.user, "accounts.manage", assignment.region or assignment.tps):
        raise PermissionDenied
    actions.revoke_role(by=request.user, assignment=assignment)
    messages.success(request, _("Peran dicabut."))
    return redirect("accounts:user_detail", username=username)


@requires("accounts.manage")
@fresh_auth_required
@require_POST
def user_set_active(request, username: str):
    user = get_user_for_manager(request, username)
    if user == request.user:
        messages.error(request, _("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    else:
        active = request.POST.get("active") == "1"
        actions.set_user_active(by=request.user, user=user, active=active)
        messages.success(
            request, _("Akun diaktifkan.") if active else _("Akun dinonaktifkan; sesinya tidak berlaku lagi.")
        )
    return redirect("accounts:user_detail", username=username)


# Organisations: not limited to an area (an organisation works wherever its users' roles reach),
# so every desk admin manages them.


@requires("accounts.manage")
def organisation_list(request):
    organisations = Organisation.objects.annotate(user_count=Count("users")).order_by("-active", "name")
    kind = request.GET.get("jenis", "")
    if kind in Organisation.Kind.values:
        organisations = organisations.filter(kind=kind)
    context = {"organisations": organisations, "kinds": Organisation.Kind.choices, "kind": kind}
    return render(request, "accounts/organisation_list.html", context)


@requires("accounts.manage")
def organisation_create(request):
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = actions.create_organisation(by=request.user, **form.cleaned_data)
        messages.success(request, _("Organisasi %(o)s dibuat.") % {"o": org.name})
        return redirect("accounts:organisation_list")
    return render(request, "accounts/organisation_create.html", {"form": form})


@requires("accounts.manage")
def organisation_detail(request, code: str):
    org = get_object_or_404(Organisation, code=code)
    shown = {"name": org.name, "kind": org.kind, "expected_name": org.name, "expected_kind": org.kind}
    form = OrganisationEditForm(request.POST or None, initial=shown)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expected = {"name": data["expected_name"], "kind": data["expected_kind"]}
        try:
            changed = actions.update_organisation(
                by=request.user, organisation=org, name=data["name"], kind=data["kind"], expected=expected
            )
        except actions.StaleEdit as exc:
            now = exc.args[0]
            form = OrganisationEditForm(
                request.POST | {"expected_name": now["name"], "expected_kind": now["kind"]}, initial=shown
            )
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Organisasi ini baru saja diubah orang lain (kini: %(n)s, %(k)s). Periksa isian Anda, lalu simpan "
                    "lagi bila masih perlu."
                )
                % {"n": now["name"], "k": Organisation.Kind(now["kind"]).label},
            )
        else:
            messages.success(request, _("Organisasi disimpan.") if changed else _("Tidak ada yang berubah."))
            return redirect("accounts:organisation_detail", code=org.code)
    users = manageable_users(request.user).filter(organisation=org).order_by("username")
    others = org.users.count() - len(users)
    context = {"org": org, "form": form, "users": users, "others": others}
    return render(request, "accounts/organisation_detail.html", context)


@requires("accounts.manage")
@require_POST
def organisation_set_active(request, code: str):
    org = get_object_or_404(Organisation, code=code)
    active = request.POST.get("active") == "1"
    actions.set_organisation_active(by=request.user, organisation=org, active=active)
    messages.success(
        request,
        _("Organisasi diaktifkan kembali.")
        if active
        else _("Organisasi dinonaktifkan: tidak dapat dipilih untuk pengguna baru; penggunanya tetap bekerja."),
    )
    return redirect("accounts:organisation_detail", code=org.code)
