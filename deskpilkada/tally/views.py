import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deskpilkada import drafts, uploads
from deskpilkada.accounts.access import (
    AuthenticatedHttpRequest,
    can,
    chosen_contest,
    contests_for,
    fresh_auth_required,
    get_region_for_user,
    get_tps_for_user,
    grants_for,
    has_cap,
    home_areas,
    home_contest,
    public,
    region_scope,
    requires,
    tps_scope,
)
from deskpilkada.accounts.models import User
from deskpilkada.elections.models import Contest
from deskpilkada.imports import ImportRejected, csv_response
from deskpilkada.regions.codes import CodeError, normalize_region_code, undotted
from deskpilkada.regions.maps import region_features
from deskpilkada.regions.models import Level, Region
from deskpilkada.tally import actions, chain, loading, results, rules
from deskpilkada.tally.forms import DHasilForm, RootForm, SheetForm
from deskpilkada.tally.models import ChainCheckpoint, RecapFinal, RegionTotal, SheetPhoto, TallySheet, Verification
from deskpilkada.tps.codes import normalize_tps_code
from deskpilkada.tps.forms import ImportForm
from deskpilkada.tps.models import Tps


def posted_version(request: HttpRequest) -> int:
    """The `versi` the form was opened with; a tampered value is simply stale."""
    try:
        return int(request.POST.get("versi", "0"))
    except ValueError:
        return -1


def sheet_scope(user: User, cap: str = "tally.view") -> Q:
    return tps_scope(user, cap, "tps")


@requires("tally.view")
def tally_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    contest = chosen_contest(request)
    areas = home_areas(request.user, "tally.view")
    totals = RegionTotal.objects.filter(contest=contest, region__code__in=areas).select_related("region")
    own_tps = Tps.objects.filter(tps_scope(request.user, "tally.enter"))[:1] if not areas else []
    sheets = TallySheet.objects.filter(contest=contest).filter(sheet_scope(request.user))
    return render(
        request,
        "tally/home.html",
        {
            "contest": contest,
            "contests": contests_for(request),
            "totals": totals,
            "own_tps": own_tps,
            "held": sheets.held().count(),
            "disputed": sheets.disputed().count(),
            "can_import": has_cap(request.user, "tally.import"),
            "can_import_dpt": has_cap(request.user, "dpt.import"),
            "can_finalise": has_cap(request.user, "tally.finalise"),
            "can_recap": has_cap(request.user, "recap.enter"),
            "finals": set(RecapFinal.objects.filter(contest=contest).values_list("region_id", flat=True)),
            "kecamatan": Region.objects.filter(
                region_scope(request.user, "tally.view"), level=Level.DISTRICT, code__startswith=contest.region.code
            ).order_by("code"),
        },
    )


def _sheet_context(request: HttpRequest, tps: Tps, contest: Contest) -> dict[str, Any]:
    sheet = TallySheet.objects.filter(contest=contest, tps=tps).select_related("latest").first()
    versions = sheet.versions.select_related("entered_by").prefetch_related("votes") if sheet else []
    return {
        "tps": tps,
        "contest": contest,
        "sheet": sheet,
        "versions": versions,
        "verifications": sheet.verifications.select_related("by") if sheet else [],
        "photos": sheet.photos.all() if sheet else [],
        "labels": dict(rules.FIELDS),
        "can_enter": can(request.user, "tally.enter", tps),
        "can_verify": can(request.user, "tally.verify", tps),
    }


def _get(request: HttpRequest, code: str, contest_code: str, cap: str) -> tuple[Tps, Contest]:
    tps = get_tps_for_user(request, code, cap)
    contest = get_object_or_404(Contest.objects.select_related("election", "region"), code=contest_code)
    if not actions.contest_covers(contest, tps):
        raise Http404(_("TPS ini tidak ikut pemilihan tersebut."))
    return tps, contest


@requires("tally.view")
def sheet_detail(request: AuthenticatedHttpRequest, code: str, contest: str) -> HttpResponse:
    tps, contest_obj = _get(request, code, contest, "tally.view")
    return render(request, "tally/sheet_detail.html", _sheet_context(request, tps, contest_obj))


@requires("tally.enter")
def sheet_enter(request: AuthenticatedHttpRequest, code: str, contest: str) -> HttpResponse:
    tps, contest_obj = _get(request, code, contest, "tally.enter")
    draft = drafts.key("chasil", tps, contest_obj)
    sheet = TallySheet.objects.filter(contest=contest_obj, tps=tps).select_related("latest").first()
    correction = bool(sheet and sheet.status == TallySheet.Status.COUNTED)
    initial = sheet.latest.as_sheet().as_flat() if sheet else {"dpt": tps.dpt}
    form = SheetForm(
        request.POST or None, request.FILES or None, contest=contest_obj, correction=correction, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data.get("alasan", "")
        if sheet and not correction and not reason:
            reason = _("Perbaikan C.Hasil yang ditahan")
        try:
            version = actions.submit_sheet(
                by=request.user,
                tps=tps,
                contest=contest_obj,
                sheet=form.to_sheet(),
                source=actions.source_for(request.user),
                reason=reason,
                expected_version=posted_version(request),
                photo=form.cleaned_data.get("foto"),
            )
        except actions.Refused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if version.passed:
                drafts.saved(request, messages.SUCCESS, _("C.Hasil tersimpan dan dihitung."), draft)
                return redirect("tally:sheet", code=tps.code, contest=contest_obj.code)
            drafts.saved(
                request,
                messages.WARNING,
                _("C.Hasil tersimpan tetapi DITAHAN: perbaiki isian yang ditandai. Data Anda tidak hilang."),
                draft,
            )
            form = SheetForm(request.POST, contest=contest_obj, correction=False, initial=initial)
            form.is_valid()
            form.add_problems(version.problems)
            sheet = version.sheet
    return render(
        request,
        "tally/sheet_form.html",
        {
            "tps": tps,
            "contest": contest_obj,
            "sheet": sheet,
            "form": form,
            "correction": correction,
            "limits": contest_obj.election.tally_limits(),
            "registered_dpt": tps.dpt,
            "draft_key": draft,
            **_queue_context(request.user, tps, contest_obj, sheet, correction),
        },
    )


def _queue_context(
    user: User, tps: Tps, contest: Contest, sheet: TallySheet | None, correction: bool
) -> dict[str, Any]:
    """What the entry page's queue of sheets kept on the phone needs (desk/tally-queue.js). The
    phone of someone whose role is at this TPS (a KPPS) keeps the entry pages of every contest
    there for offline use; an operator's, entering many TPS, keeps only the pages it opened."""
    pages: list[str] = []
    if any(g.tps_id == tps.pk for g in grants_for(user)):
        contests = Contest.objects.select_related("region").order_by("pk")
        pages = [
            reverse("tally:enter", kwargs={"code": tps.code, "contest": c.code})
            for c in contests
            if actions.contest_covers(c, tps)
        ]
        pages.append(reverse("tally:home"))
    words = {
        "waiting": _("menunggu sinyal"),
        "top": _("%(n)s C.Hasil di antrean perangkat ini menunggu sinyal: lihat antrean"),
        "sent": _("terkirim"),
        "held": _("ditahan"),
        "refused": _("ditolak"),
        "login": _("masuk lagi untuk mengirim"),
        "will_hold": _("akan ditahan"),
        "photo": _("Foto plano"),
        "open_sheet": _("Lihat C.Hasil"),
        "remove": _("Hapus dari daftar"),
        "required": _("Wajib diisi."),
        "number": _("Isi dengan angka."),
        "too_big": _("Angka terlalu besar untuk satu TPS."),
        "reason": _("Koreksi wajib disertai alasan."),
        "not_photo": _("Berkas bukan foto JPEG, PNG atau WebP."),
        "held_fix": _("Perbaikan C.Hasil yang ditahan"),
        "fix_first": _("Belum disimpan: lengkapi isian yang ditandai."),
        "saved": _("Tersimpan di perangkat ini; terkirim sendiri saat ada sinyal."),
        "saved_held": _(
            "Tersimpan di perangkat ini; terkirim sendiri saat ada sinyal, "
            "tetapi akan DITAHAN: periksa isian yang ditandai."
        ),
    }
    return {
        "queue_words": words,
        "queue_pages": json.dumps(pages),
        "queue_label": f"{tps} · {contest.name}",
        "default_reason": _("Perbaikan C.Hasil yang ditahan") if sheet and not correction else "",
        "optional_keys": json.dumps(rules.OPTIONAL_KEYS),
        "max_figure": rules.MAX_FIGURE,
    }


@requires("tally.verify")
def sheet_verify(request: AuthenticatedHttpRequest, code: str, contest: str) -> HttpResponse:
    tps, contest_obj = _get(request, code, contest, "tally.verify")
    sheet = get_object_or_404(TallySheet.objects.select_related("latest"), contest=contest_obj, tps=tps)
    draft = drafts.key("entri-kedua", tps, contest_obj)
    form = SheetForm(request.POST or None, contest=contest_obj, with_reason=False)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "photo":
                actions.confirm_against_photo(by=request.user, sheet=sheet, expected_version=posted_version(request))
                messages.success(request, _("C.Hasil diverifikasi dengan foto."))
                return redirect("tally:sheet", code=tps.code, contest=contest_obj.code)
            if form.is_valid():
                check = actions.submit_second_entry(by=request.user, sheet=sheet, figures=form.to_sheet())
                if check.matches:
                    drafts.saved(request, messages.SUCCESS, _("Entri kedua cocok: C.Hasil terverifikasi."), draft)
                else:
                    drafts.saved(
                        request,
                        messages.WARNING,
                        _("Entri kedua berbeda di %(n)d isian: C.Hasil masuk daftar sengketa.")
                        % {"n": len(check.differences)},
                        draft,
                    )
                return redirect("tally:sheet", code=tps.code, contest=contest_obj.code)
        except actions.Refused as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "tally/sheet_verify.html",
        {
            "tps": tps,
            "contest": contest_obj,
            "sheet": sheet,
            "form": form,
            "photos": sheet.photos.all(),
            "same_person": sheet.latest and sheet.latest.entered_by_id == request.user.pk,
            "draft_key": draft,
        },
    )


@requires("tally.verify")
def resolve_dispute(request: AuthenticatedHttpRequest, code: str, contest: str) -> HttpResponse:
    """A verifier settles a dispute: the first entry confirmed by the photo, or the second made a correction."""
    tps, contest_obj = _get(request, code, contest, "tally.verify")
    sheet = get_object_or_404(TallySheet, contest=contest_obj, tps=tps)
    if request.method != "POST":
        return redirect("tally:sheet", code=tps.code, contest=contest_obj.code)
    keep = request.POST.get("pilih", "")
    try:
        outcome = actions.resolve_dispute(
            by=request.user,
            sheet=sheet,
            keep=keep,
            reason=request.POST.get("alasan", ""),
            expected_version=posted_version(request),
        )
    except actions.Refused as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('tally:disputed')}?pemilihan={contest_obj.code}#sengketa-{tps.code}")
    if isinstance(outcome, Verification):  # the first entry kept, confirmed against the photo
        messages.success(request, _("Sengketa selesai: entri pertama cocok dengan foto, C.Hasil terverifikasi."))
    elif outcome.passed:
        messages.success(request, _("Sengketa selesai: entri kedua menjadi versi koreksi; verifikasi sekali lagi."))
    else:
        messages.warning(
            request, _("Entri kedua disimpan sebagai versi koreksi tetapi DITAHAN: periksa isian yang ditandai.")
        )
    return redirect("tally:sheet", code=tps.code, contest=contest_obj.code)


@public
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """Plano photos are public, as KPU publishes them: they back the public results."""
    item = get_object_or_404(SheetPhoto, pk=pk)
    return uploads.serve(item.file, item.content_type)


def _list(request: HttpRequest, template: str, rows_fn: Callable[[Contest], Any]) -> HttpResponse:
    contest = chosen_contest(request)
    return render(request, template, {"contest": contest, "contests": contests_for(request), "rows": rows_fn(contest)})


@requires("tally.view")
def held_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _list(
        request,
        "tally/held_list.html",
        lambda c: (
            TallySheet.objects.held()
            .filter(contest=c)
            .filter(sheet_scope(request.user))
            .select_related("latest__entered_by", "tps__kelurahan")
            .order_by("-updated_at")
        ),
    )


@requires("tally.view")
def disputed_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    def rows(contest: Contest) -> list[dict[str, Any]]:
        sheets = (
            TallySheet.objects.disputed()
            .filter(contest=contest)
            .filter(sheet_scope(request.user))
            .select_related("latest__entered_by", "tps__kelurahan")
            .annotate(photo_count=Count("photos"))
            .prefetch_related(
                Prefetch(
                    "verifications",
                    to_attr="differing",
                    queryset=Verification.objects.filter(kind=Verification.Kind.SECOND_ENTRY, matches=False)
                    .select_related("by")
                    .order_by("-at"),
                )
            )
        )
        out: list[dict[str, Any]] = []
        for s in sheets:
            check = s.differing[0] if s.differing else None
            out.append(
                {
                    "sheet": s,
                    "check": check,
                    "diffs": check.differences if check else [],
                    "can_resolve": can(request.user, "tally.verify", s.tps),
                    "can_enter": can(request.user, "tally.enter", s.tps),
                    "own_first": s.latest is not None and s.latest.entered_by_id == request.user.pk,
                }
            )
        return out

    return _list(request, "tally/disputed_list.html", rows)


@requires("tally.view")
def anomaly_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _list(request, "tally/anomaly_list.html", lambda c: results.anomalies(c, sheet_scope(request.user)))


@requires("tally.view")
def sirekap_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _list(request, "tally/sirekap_list.html", lambda c: results.sirekap_comparison(c, sheet_scope(request.user)))


@requires("tally.view")
def situation_room(request: AuthenticatedHttpRequest) -> HttpResponse:
    contest = chosen_contest(request)
    areas = Region.objects.filter(region_scope(request.user, "tally.view"), level=Level.DISTRICT)
    scope = sheet_scope(request.user)
    context = {
        "contest": contest,
        "contests": contests_for(request),
        "kecamatan": RegionTotal.objects.filter(contest=contest, region__in=areas)
        .select_related("region")
        .order_by("region__code"),
        "city": RegionTotal.objects.filter(contest=contest, region__code__in=home_areas(request.user, "tally.view"))
        .select_related("region")
        .first(),
        "held": TallySheet.objects.held()
        .filter(contest=contest)
        .filter(scope)
        .select_related("tps__kelurahan", "latest")
        .order_by("-updated_at")[:15],
        "disputed": TallySheet.objects.disputed()
        .filter(contest=contest)
        .filter(scope)
        .select_related("tps__kelurahan")
        .order_by("-updated_at")[:15],
        "anomalies": results.anomalies(contest, scope, limit=15),
    }
    if request.headers.get("HX-Request"):
        return render(request, "tally/situation_room.html#board", context)
    return render(request, "tally/situation_room.html", context)


@requires("tally.view")
def d_hasil(request: AuthenticatedHttpRequest, contest: str, code: str) -> HttpResponse:
    kecamatan = get_region_for_user(request, code, "tally.view")
    if kecamatan.level != Level.DISTRICT:
        raise Http404(_("D.Hasil adalah rekap kecamatan."))
    contest_obj = get_object_or_404(Contest, code=contest)
    if not contest_obj.region.contains(kecamatan):
        raise Http404(_("Kecamatan ini tidak ikut pemilihan tersebut."))
    final = RecapFinal.objects.filter(contest=contest_obj, region=kecamatan).exists()
    may_enter = can(request.user, "recap.enter", kecamatan) and not final
    form = DHasilForm(request.POST or None, contest=contest_obj)
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            actions.record_d_hasil(
                by=request.user,
                contest=contest_obj,
                kecamatan=kecamatan,
                voters=data["pengguna"],
                valid=data["suara_sah"],
                invalid=data["suara_tidak_sah"],
                votes={c.number: data[rules.vote_key(c.number)] for c in form.candidates},
            )
            drafts.saved(
                request, messages.SUCCESS, _("D.Hasil tersimpan."), drafts.key("d-hasil", contest_obj, kecamatan)
            )
            return redirect("tally:d_hasil", contest=contest_obj.code, code=kecamatan.code)
    return render(
        request,
        "tally/d_hasil.html",
        {
            "contest": contest_obj,
            "kecamatan": kecamatan,
            "form": form,
            "may_enter": may_enter,
            "comparison": results.d_hasil_comparison(contest_obj, kecamatan),
            "draft_key": drafts.key("d-hasil", contest_obj, kecamatan),
            "final": RecapFinal.objects.filter(contest=contest_obj, region=kecamatan).first(),
            "can_finalise": can(request.user, "tally.finalise", kecamatan),
        },
    )


@requires("tally.finalise")
@fresh_auth_required
@require_POST
def finalise(request: AuthenticatedHttpRequest, contest: str, code: str) -> HttpResponse:
    region = get_region_for_user(request, code, "tally.finalise")
    contest_obj = get_object_or_404(Contest, code=contest)
    if not contest_obj.region.contains(region):
        raise Http404(_("Wilayah ini tidak ikut pemilihan tersebut."))
    try:
        actions.finalise_recap(by=request.user, contest=contest_obj, region=region)
        messages.success(request, _("Rekap %(r)s difinalkan.") % {"r": region.name})
    except actions.Refused as exc:
        messages.error(request, exc.message)
    if region.level == Level.DISTRICT:
        return redirect("tally:d_hasil", contest=contest_obj.code, code=region.code)
    return redirect(f"{request.build_absolute_uri('/penghitungan/')}?pemilihan={contest_obj.code}")


@requires("tally.import")
def import_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = loading.import_results(form.cleaned_data["file"], by=request.user)
        except ImportRejected as exc:
            report = exc
    return render(
        request,
        "tally/import.html",
        {"form": form, "report": report, "result": result, "contests": contests_for(request)},
    )


@requires("tally.view")
def template_csv(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The CSV template of the chosen contest, its example row a TPS of the user's own area."""
    contest = chosen_contest(request)
    example = (
        Tps.objects.filter(tps_scope(request.user, "tally.view"), code__startswith=contest.region.undotted_code)
        .order_by("code")
        .first()
    )
    rows = loading.template_rows(contest, example)
    return csv_response(f"templat-chasil-{contest.code}", loading.template_columns(contest), rows)


# --- public results ---------------------------------------------------------------------


@public
def results_index(request: HttpRequest) -> HttpResponse:
    contests = Contest.objects.select_related("region", "election")
    return render(request, "tally/public_index.html", {"contests": contests})


def _public_target(contest_code: str, code: str) -> tuple[Contest, Region | Tps]:
    """The contest and the place a public results URL names: a TPS (a 13-digit code) or a region."""
    contest = get_object_or_404(Contest.objects.select_related("region", "election"), code=contest_code)
    if len(undotted(code)) == 13:
        try:
            tps = Tps.objects.select_related("kelurahan__parent").get(code=normalize_tps_code(code))
        except (CodeError, Tps.DoesNotExist):
            raise Http404
        if not actions.contest_covers(contest, tps):
            raise Http404
        return contest, tps
    try:
        region = Region.objects.select_related("parent").get(code=normalize_region_code(code))
    except (CodeError, Region.DoesNotExist):
        raise Http404
    if not contest.region.contains(region):
        raise Http404
    return contest, region


def _public_etag(request: HttpRequest, contest: str, code: str) -> str | None:
    if len(undotted(code)) != 13:
        return results.public_etag(contest, code, page=True, language=get_language())
    try:
        contest_obj, place = _public_target(contest, code)
    except Http404:
        return None
    assert isinstance(place, Tps)  # a 13-digit code names a TPS
    stamp = TallySheet.objects.filter(contest=contest_obj, tps=place).values_list("updated_at", flat=True).first()
    checkpoint = ChainCheckpoint.objects.filter(contest=contest_obj).order_by("-pk").values_list("pk", flat=True)
    cp = checkpoint.first() or 0
    return f"{contest_obj.code}-{place.code}-{stamp.timestamp() if stamp else 0}-cp{cp}-{get_language()}"


@public
def results_region(request: HttpRequest, contest: str, code: str) -> HttpResponse:
    etag = _public_etag(request, contest, code)
    if etag:
        quoted = f'"{etag}"'
        not_modified = get_conditional_response(request, etag=quoted)
        if not_modified is not None:
            return not_modified
    contest_obj, place = _public_target(contest, code)
    if isinstance(place, Tps):
        context = results.tps_result(contest_obj, place)
        context.update(
            {"contest": contest_obj, "tps": place, "candidates": contest_obj.candidates.all(), "labels": rules.FIELDS}
        )
        response = render(request, "tally/public_tps.html", context)
    else:
        region = place
        data = results.region_result(contest_obj, region)
        ancestors = [a for a in region.ancestors() if contest_obj.region.contains(a)]
        response = render(
            request,
            "tally/public_region.html",
            {
                "contest": contest_obj,
                "region": region,
                "data": data,
                "ancestors": ancestors,
                "child_is_tps": region.level == Level.VILLAGE,
                "checkpoint": chain.latest_checkpoint(contest_obj),
                "map_regions": region_features(Region.objects.filter(Q(pk=region.pk) | Q(parent=region))),
                "public_page": True,
            },
        )
    if etag:
        response["ETag"] = f'"{etag}"'
    response["Cache-Control"] = results.PUBLIC_CACHE_CONTROL
    return response


# --- public checkpoints of the hash chain ---------------------------------------------------


@public
def checkpoint_list(request: HttpRequest, contest: str) -> HttpResponse:
    """Every checkpoint of a contest, newest first, with the public key that checks them."""
    contest_obj = get_object_or_404(Contest.objects.select_related("election"), code=contest)
    checkpoints = ChainCheckpoint.objects.filter(contest=contest_obj).select_related("contest").defer("heads")
    response = render(
        request,
        "tally/public_checkpoints.html",
        {"contest": contest_obj, "checkpoints": checkpoints, **_key_context()},
    )
    patch_cache_control(response, public=True, max_age=30)
    return response


@public
def verify_root(request: HttpRequest) -> HttpResponse:
    """Anyone pastes a root they saved: is it published, does its signature verify, does the
    history as it is now still produce it (every chain recomputed)?"""
    form = RootForm(request.GET or None)
    checkpoint = check = None
    if form.is_valid():
        checkpoint = chain.find_checkpoint(form.cleaned_data["akar"])
        if checkpoint is not None:
            check = chain.check_contest(checkpoint.contest, against=checkpoint, cached=True)
    context = {"form": form, "asked": form.is_valid(), "checkpoint": checkpoint, "check": check, **_key_context()}
    response = render(request, "tally/public_verify.html", context)
    patch_cache_control(response, public=True, max_age=30)
    return response


def _key_context() -> dict[str, Any]:
    return {
        "public_key": chain.public_key_b64(),
        "key_id": chain.key_id(),
        "development_key": chain.is_development_key(),
        "contests": Contest.objects.order_by("pk"),
    }


# --- the entry page as a progressive web app (offline queue) -------------------------------

# The static files the entry page needs, kept by the service worker so that the page opens and
# its scripts run without a network (their hashed names change with every deploy, and so does
# the worker's text, which makes the browser install the new worker).
OFFLINE_STATIC = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "desk/desk.css",
    "desk/desk.js",
    "desk/favicon.svg",
    "desk/offline-store.js",
    "desk/tally-form.js",
    "desk/tally-queue.js",
    "desk/icons/icon-192.png",
    "desk/icons/icon-512.png",
]


@public
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker of the entry pages, at /penghitungan/ so that its scope covers them. Its
    text names the static files of this deploy; it is never cached by HTTP, so that a new deploy
    reaches the phones at their next visit."""
    files = [static(name) for name in OFFLINE_STATIC]
    version = hashlib.sha256("\n".join(files).encode()).hexdigest()[:12]
    text = render_to_string(
        "tally/sw.js", {"files_json": json.dumps(files), "version": version, "scope": reverse("tally:home")}
    )
    response = HttpResponse(text, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def start_url(user: User | AnonymousUser) -> str:
    """Where the installed app opens: a KPPS's entry page of the contest of their level, at their
    TPS; anyone else the counting page."""
    if user.is_authenticated:
        tps = [g.tps_code for g in grants_for(user) if g.tps_code and "tally.enter" in g.caps]
        if len(tps) == 1:
            contests = Contest.objects.select_related("region")
            contest = home_contest(user, [c for c in contests if tps[0].startswith(c.region.undotted_code)])
            if contest is not None:
                return reverse("tally:enter", kwargs={"code": tps[0], "contest": contest.code})
    return reverse("tally:home")


@public
def web_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: the entry page installed on the phone's home screen, opening by itself."""
    scope = reverse("tally:home")
    manifest = {
        "id": scope,
        "name": _("Desk Pilkada — C.Hasil"),
        "short_name": _("C.Hasil"),
        "description": _("Isi C.Hasil di TPS, juga tanpa sinyal: terkirim sendiri saat ada sinyal."),
        "lang": get_language(),
        "start_url": start_url(request.user),
        "scope": scope,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#212529",
        "icons": [
            {"src": static(f"desk/icons/icon-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png", "purpose": "any"}
            for n in (192, 512)
        ],
    }
    response = HttpResponse(json.dumps(manifest, ensure_ascii=False), content_type="application/manifest+json")
    response["Cache-Control"] = "private, no-cache"
    return response
