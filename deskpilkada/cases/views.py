"""The case desk's pages: the inbox (the list pattern of deskpilkada/lists.py), a case and its actions,
the staff form; the public report form, its status page and the hoax clarifications with their feed."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from deskpilkada import clock, drafts, uploads
from deskpilkada.accounts.access import AuthenticatedHttpRequest, public, region_scope, requires
from deskpilkada.accounts.middleware import client_ip
from deskpilkada.accounts.models import Organisation, User
from deskpilkada.audit.transitions import allowed_steps, history
from deskpilkada.cases import actions, deadlines, intake, loading, pdf
from deskpilkada.cases.access import REPORT, handled_q, handlers, may_handle, may_see, visible_q
from deskpilkada.cases.categories import CATEGORIES, VERDICTS, detail_rows
from deskpilkada.cases.forms import CaseForm, DetailsForm, ImportForm, PublicReportForm, StatusForm, StepForm
from deskpilkada.cases.models import (
    SEVERITY_RANK,
    Case,
    CaseAttachment,
    CaseQuerySet,
    CaseStep,
    Clarification,
    Severity,
)
from deskpilkada.imports import ImportRejected, table_response
from deskpilkada.lists import Filter, ListPage, bulk, ticked_ids
from deskpilkada.regions.codes import undotted
from deskpilkada.regions.maps import region_features
from deskpilkada.regions.models import Level, Region


def _since(qs: QuerySet, value: str, field: str, end: bool = False) -> QuerySet:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return qs
    start = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1 if end else 0), dt.time()))
    return qs.filter(**{f"{field}__{'lt' if end else 'gte'}": start})


# The inbox's filters, shared by the page, its export, the API's list and the desk's links.
CASE_FILTERS = [
    Filter("kategori", lambda qs, v: qs.filter(category=v)),
    Filter(
        "status",
        lambda qs, v: (
            cast(CaseQuerySet, qs).open() if v == "terbuka" else (qs if v == "semua" else qs.filter(status=v))
        ),
    ),
    Filter("wilayah", lambda qs, v: qs.filter(area__startswith=undotted(v))),
    Filter("tingkat", lambda qs, v: qs.filter(severity=v)),
    Filter(
        "lewat",
        lambda qs, v: (
            cast(CaseQuerySet, qs).overdue()
            if v == "ya"
            else (cast(CaseQuerySet, qs).due_soon() if v == "segera" else qs)
        ),
    ),
    Filter("dari", lambda qs, v: _since(qs, v, "known_at")),
    Filter("sampai", lambda qs, v: _since(qs, v, "known_at", end=True)),
    Filter(
        "q", lambda qs, v: qs.filter(Q(title__icontains=v) | Q(description__icontains=v) | Q(tracking_code=v.upper()))
    ),
]
STATUS_CHOICES = [("terbuka", _lazy("Semua yang terbuka")), ("semua", _lazy("Semua status")), *Case.Status.choices]


def inbox_page(request: HttpRequest) -> ListPage:
    rows = Case.objects.filter(visible_q(request.user)).select_related("region", "tps", "assigned_org", "assigned_to")
    if request.GET.get("saya") == "ya":
        rows = rows.filter(Q(assigned_to=request.user) | Q(handled_q(request.user), assigned_to__isnull=True))
    if request.GET.get("kelompok") != "semua":
        rows = rows.filter(group__isnull=True)  # a group shows as its first case, with its sightings counted
    return ListPage(request, rows.needs_me_first(), filters=CASE_FILTERS, defaults={"status": "terbuka"})


def _areas(user) -> QuerySet[Region]:
    """The kecamatan of the user's areas, for the inbox's area filter."""
    return Region.objects.filter(region_scope(user, REPORT), level=Level.DISTRICT).order_by("name")


# Status steps offered in bulk: not "new" (no case goes back to it) nor "duplicate" (needs its parent: its own action).
BULK_STATUS = {s: label for s, label in Case.Status.choices if s not in ("new", "duplicate")}


@requires(REPORT)
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    listing = inbox_page(request)
    now = clock.now()
    page = listing.page
    counts = dict(
        Case.objects.filter(group__in=[c.pk for c in page]).values_list("group").annotate(n=Count("pk")).order_by()
    )
    for c in page:
        c.sighting_count = counts.get(c.pk, 0)
    context = {
        "categories": [(c.code, c.label) for c in CATEGORIES.values()],
        "statuses": STATUS_CHOICES,
        "severities": Severity.choices,
        "kecamatan": _areas(request.user),
        "now": now,
        "can_handle": Case.objects.filter(handled_q(request.user)).exists(),
        "bulk_statuses": list(BULK_STATUS.items()),
        "organisations": Organisation.objects.order_by("name"),
        # A sighting has no deadline of its own (deadlines.py): counting first cases only lets the inbox's index answer.
        "overdue": Case.objects.filter(visible_q(request.user), group__isnull=True).open().overdue().count(),
    }
    return listing.render("cases/inbox.html", context)


EXPORT_COLUMNS = [
    "id",
    "kode_lacak",
    "kategori",
    "judul",
    "status",
    "tingkat",
    "tempat",
    "kejadian",
    "diketahui",
    "tenggat",
    "organisasi",
    "petugas",
]


def export_row(c: Case) -> list:
    return [
        c.pk,
        c.tracking_code,
        c.get_category_display(),
        c.title,
        c.get_status_display(),
        c.get_severity_display(),
        c.area,
        timezone.localtime(c.occurred_at).strftime("%Y-%m-%d %H:%M"),
        timezone.localtime(c.known_at).strftime("%Y-%m-%d %H:%M"),
        timezone.localtime(c.due_at).strftime("%Y-%m-%d %H:%M") if c.due_at else "",
        c.assigned_org.name if c.assigned_org else "",
        str(c.assigned_to) if c.assigned_to else "",
    ]


@requires(REPORT)
def export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    return inbox_page(request).export(fmt, "kasus", EXPORT_COLUMNS, export_row)


@requires(REPORT)
@require_POST
def bulk_action(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Bulk actions on the ticked cases, each through the audited action and only on cases the user handles;
    or the export of the ticked cases the user may see."""
    rows = Case.objects.filter(handled_q(request.user))
    what = request.POST.get("aksi", "")
    note = request.POST.get("catatan", "")[:1000]
    if what == "ekspor":  # the ticked cases the user may see, as Excel
        ticked = (
            Case.objects.filter(visible_q(request.user), pk__in=ticked_ids(request))
            .select_related("assigned_org", "assigned_to")
            .order_by("pk")
        )
        return table_response("xlsx", "kasus-dipilih", EXPORT_COLUMNS, (export_row(c) for c in ticked))
    if what == "saya":
        result = bulk(
            rows, ticked_ids(request), lambda c: actions.assign(c, by=request.user, user=request.user, note=note)
        )
        label = _("Ditugaskan kepada saya")
    elif what == "organisasi":
        org = Organisation.objects.filter(pk=request.POST.get("organisasi") or 0).first()
        if org is None:
            messages.error(request, _("Pilih organisasi penanggung jawab."))
            return _back(request)
        result = bulk(
            rows, ticked_ids(request), lambda c: actions.assign(c, by=request.user, organisation=org, note=note)
        )
        label = _("Ditugaskan kepada %(org)s") % {"org": org}
    elif what.startswith("status:") and what[7:] in BULK_STATUS:
        result = bulk(rows, ticked_ids(request), lambda c: actions.move(c, what[7:], by=request.user, note=note))
        label = _("Status «%(s)s»") % {"s": BULK_STATUS[what[7:]]}
    elif what == "duplikat":
        parent = Case.objects.filter(visible_q(request.user), pk=_int(request.POST.get("induk"))).first()
        if parent is None:
            messages.error(request, _("Isi nomor kasus induk yang dapat Anda lihat."))
            return _back(request)
        result = bulk(
            rows, ticked_ids(request), lambda c: actions.mark_duplicate(c, of=parent, by=request.user, note=note)
        )
        label = _("Duplikat dari %(case)s") % {"case": parent}
    else:
        messages.error(request, _("Pilih tindakan untuk kasus yang dicentang."))
        return _back(request)
    messages.success(request, f"{label}: {result.message()}")
    for case, reason in result.refused[:5]:
        messages.warning(request, f"{case}: {reason}")
    return _back(request)


def _int(value) -> int:
    return int(value) if value and str(value).isdigit() else 0


def _back(request: HttpRequest) -> HttpResponse:
    back = request.POST.get("kembali", "")
    return redirect(back if back.startswith("/kasus/") and not back.startswith("//") else "cases:inbox")


@requires(REPORT)
def timeline(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The inbox's cases (same filters) on a map, one pin per place coloured by the worst severity,
    and as a timeline: how many became known each day, by category."""
    listing = inbox_page(request)
    rows = listing.rows.order_by()
    places: dict[tuple[float, float], dict] = {}
    unplaced = 0
    for lat, lon, rlat, rlon, severity, title, region in rows.values_list(
        "lat", "lon", "region__lat", "region__lon", "severity", "title", "region__name"
    )[:5000]:
        lat, lon = (lat, lon) if lat is not None else (rlat, rlon)
        if lat is None or lon is None:
            unplaced += 1
            continue
        spot = places.setdefault(
            (round(lat, 4), round(lon, 4)),
            {"lat": lat, "lon": lon, "count": 0, "status": severity, "title": region, "note": title},
        )
        spot["count"] += 1
        if SEVERITY_RANK[severity] < SEVERITY_RANK[spot["status"]]:
            spot["status"] = severity
    points = [
        {**p, "text": p["count"], "note": p["note"] if p["count"] == 1 else _("%(n)d kasus") % {"n": p["count"]}}
        for p in places.values()
    ]
    days = (
        rows.annotate(day=TruncDate("known_at"))
        .values_list("day", "category")
        .annotate(n=Count("pk"))
        .order_by("day", "category")
    )
    by_day: dict[dt.date, dict[str, int]] = {}
    for day, category, n in days:
        by_day.setdefault(day, {})[category] = n
    top = max((sum(v.values()) for v in by_day.values()), default=0)
    labels = {c.code: c.label for c in CATEGORIES.values()}
    timeline_rows = [
        {"day": day, "total": sum(v.values()), "parts": [(labels[c], n) for c, n in sorted(v.items())]}
        for day, v in sorted(by_day.items())
    ]
    regions = Region.objects.filter(region_scope(request.user, REPORT), level__in=[Level.DISTRICT, Level.VILLAGE])
    context = {
        "list": listing,
        "points": points,
        "unplaced": unplaced,
        "map_regions": region_features(regions),
        "timeline": timeline_rows,
        "top": top,
        "severities": Severity.choices,
    }
    return render(request, "cases/timeline.html", context)


@requires(REPORT)
def import_file(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Cases from a CSV or Excel register: all or nothing, with the refused rows listed."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = cases = None
    if request.method == "POST" and form.is_valid():
        try:
            cases = loading.import_cases(form.cleaned_data["file"], by=request.user)
        except ImportRejected as exc:
            report = exc
    context = {"form": form, "report": report, "cases": cases, "columns": loading.COLUMNS, "required": loading.REQUIRED}
    return render(request, "cases/import.html", context)


@requires(REPORT)
def template(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    return table_response(fmt, "templat-kasus", loading.COLUMNS, loading.template_rows())


@requires(REPORT)
def new_case(request: AuthenticatedHttpRequest) -> HttpResponse:
    category = request.POST.get("category") or request.GET.get("kategori") or "fraud"
    form = CaseForm(request.POST or None, request.FILES or None, category=category)
    if request.GET.get("tempat") and not request.POST:
        form.fields["place_code"].initial = request.GET["tempat"][:20]
    if request.method == "POST" and request.POST.get("ganti_kategori") is None and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a refused attachment leaves no case without it
                case = actions.report_case(
                    by=request.user,
                    category=data["category"],
                    title=data["title"],
                    description=data["description"],
                    place_code=data["place_code"],
                    occurred_at=data["occurred_at"],
                    known_at=data["known_at"],
                    severity=data["severity"],
                    details=form.details(),
                    reporter_name=data["reporter_name"],
                    reporter_contact=data["reporter_contact"],
                )
                if data.get("attachment"):
                    actions.add_attachment(case, by=request.user, upload=data["attachment"])
        except actions.Refused as e:
            name = e.field if e.field in form.fields else (f"d_{e.field}" if f"d_{e.field}" in form.fields else None)
            form.add_error(name, e.message)
        else:
            drafts.saved(request, messages.SUCCESS, _("Kasus %(case)s dicatat.") % {"case": case}, "kasus-baru")
            late = [d for d in deadlines.deadlines(case) if d.kind == "registrasi" and d.state == deadlines.OVERDUE]
            if late:
                messages.warning(
                    request,
                    _("Kejadian ini diketahui lebih dari 7 hari yang lalu: batas pelaporan ke Bawaslu sudah lewat."),
                )
            return redirect(case)
    return render(request, "cases/case_form.html", {"form": form, "category": CATEGORIES[form.chosen]})


def _case_for(request: HttpRequest, pk: int) -> Case:
    case = get_object_or_404(
        Case.objects.select_related(
            "region__parent", "tps", "assigned_org", "assigned_to", "election", "handling_region"
        ),
        pk=pk,
    )
    if not may_see(request.user, case):
        raise Http404
    return case


@requires(REPORT)
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    handles = may_handle(request.user, case)
    steps = allowed_steps(case)
    context = {
        "case": case,
        "handles": handles,
        "details": detail_rows(case.category, case.details),
        "deadlines": deadlines.deadlines(case),
        "history": [(h, _status_label(h.before), _status_label(h.after)) for h in history(case)],
        "comments": case.comments.select_related("author"),
        "attachments": case.attachments.all(),
        "steps": case.steps.select_related("organisation", "by"),
        "sightings": case.sightings.filter(visible_q(request.user)).select_related("region").order_by("known_at")[:50],
        "sighting_count": case.sightings.count(),
        "duplicates": case.duplicates.order_by("pk")[:50],
        "status_form": StatusForm(initial={"to": steps[0] if steps else ""}),
        "allowed": [(s, Case.Status(s).label) for s in steps if s != Case.Status.DUPLICATE],
        "severities": Severity.choices,
        "step_form": StepForm(initial={"on": clock.today()}),
        "step_kinds": [(k, label) for k, label in CaseStep.Kind.choices if k != CaseStep.Kind.ESCALATION],
        "organisations": Organisation.objects.order_by("name"),
        "assignees": sorted(handlers(case), key=lambda u: str(u)) if handles else [],
        "clarification": getattr(case, "clarification", None),
        "can_escalate": case.handling_region.level > Level.REGENCY,
        "verdicts": VERDICTS,
        "details_form": DetailsForm(case=case) if handles and CATEGORIES[case.category].details else None,
    }
    return render(request, "cases/case_detail.html", context)


def _status_label(code: str) -> str:
    return str(dict(Case.Status.choices).get(code, code))


ACTS = (
    "status",
    "assign",
    "escalate",
    "duplicate",
    "info",
    "comment",
    "attach",
    "step",
    "clarify",
    "severity",
    "details",
    "ungroup",
)


@requires(REPORT)
@require_POST
def case_act(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One of the case's actions (ACTS), for those who handle it; comments for those who may see it."""
    case = _case_for(request, pk)
    what = request.POST.get("aksi", "")
    if what not in ACTS:
        messages.error(request, _("Tindakan tidak dikenal."))
        return redirect(case)
    if what != "comment" and not may_handle(request.user, case):
        messages.error(request, _("Anda dapat melihat kasus ini, tetapi tidak menanganinya."))
        return redirect(case)
    post, user = request.POST, request.user
    version = _int(post.get("versi")) or None
    try:
        if what == "status":
            actions.move(case, post.get("to", ""), by=user, note=post.get("note", "")[:1000], expected_version=version)
            done = _("Status diubah.")
        elif what == "assign":
            person = User.objects.filter(pk=_int(post.get("petugas")), is_active=True).first()
            org = Organisation.objects.filter(pk=_int(post.get("organisasi"))).first()
            actions.assign(
                case, by=user, organisation=org, user=person, note=post.get("note", ""), expected_version=version
            )
            done = _("Penanggung jawab dicatat.")
        elif what == "details":
            details = DetailsForm(post, case=case)
            if not details.is_valid():
                name, errs = next(iter(details.errors.items()))
                label = details.fields[name].label if name in details.fields else name
                raise actions.Refused(name, f"{label}: {' '.join(str(e) for e in errs)}")
            kept = {k: v for k, v in case.details.items() if f"d_{k}" not in details.detail_names}  # e.g. the verdict
            actions.update_details(case, by=user, details={**kept, **details.details()}, expected_version=version)
            done = _("Rincian kasus disimpan.")
        elif what == "ungroup":
            actions.ungroup(case, by=user, note=post.get("note", "")[:1000])
            done = _("Laporan ini kini kasus sendiri, dengan tenggatnya sendiri.")
        elif what == "severity":
            actions.update_details(case, by=user, details=case.details, severity=post.get("tingkat", ""))
            done = _("Tingkat diubah; tenggat dihitung ulang.")
        elif what == "escalate":
            actions.escalate(case, by=user, note=post.get("note", "")[:1000])
            done = _("Kasus dinaikkan ke %(r)s.") % {"r": case.handling_region.parent}
        elif what == "duplicate":
            parent = Case.objects.filter(visible_q(user), pk=_int(post.get("induk"))).first()
            if parent is None:
                raise actions.Refused(
                    "induk",
                    _("Kasus induk #%(n)s tidak ada atau di luar kewenangan Anda.") % {"n": post.get("induk", "")},
                )
            actions.mark_duplicate(case, of=parent, by=user, note=post.get("note", "")[:1000])
            done = _("Ditandai duplikat.")
        elif what == "info":
            actions.request_info(case, by=user, note=post.get("note", "")[:1000])
            done = _("Keterangan tambahan diminta; tenggat tindak lanjut ditambah.")
        elif what == "comment":
            actions.add_comment(
                case,
                by=user,
                text=post.get("text", ""),
                is_outcome=post.get("hasil") == "on" and may_handle(user, case),
            )
            done = _("Catatan ditambahkan.")
        elif what == "attach":
            if "file" not in request.FILES:
                raise actions.Refused("file", _("Pilih berkas foto atau PDF."))
            actions.add_attachment(case, by=user, upload=request.FILES["file"])
            done = _("Lampiran ditambahkan.")
        elif what == "step":
            form = StepForm(post)
            if not form.is_valid():
                raise actions.Refused("on", " ".join(str(e) for errs in form.errors.values() for e in errs))
            data = form.cleaned_data
            org = Organisation.objects.filter(pk=_int(post.get("organisasi"))).first()
            actions.add_step(
                case,
                by=user,
                kind=data["kind"],
                on=data["on"],
                reference=data["reference"],
                outcome=data["outcome"],
                organisation=org,
            )
            done = _("Langkah dicatat.")
        else:
            actions.publish_clarification(
                case,
                by=user,
                title=post.get("judul", ""),
                text=post.get("klarifikasi", ""),
                claim=post.get("klaim", ""),
                verdict=post.get("verdict", ""),
            )
            done = _("Klarifikasi dipublikasikan di /klarifikasi/.")
    except actions.Refused as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done)
    return redirect(case)


@requires(REPORT)
def case_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The case as a PDF, for a letter to another organisation; the contact only for its handlers."""
    case = _case_for(request, pk)
    data = pdf.case_pdf(case, with_contact=may_handle(request.user, case))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kasus-{case.pk}.pdf"'
    return response


@requires(REPORT)
def attachment(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """A case's photo or PDF, only to those who may see the case; never rendered inline as HTML."""
    item = get_object_or_404(CaseAttachment.objects.select_related("case"), pk=pk)
    if not may_see(request.user, item.case):
        raise Http404
    return uploads.serve(item.file, item.content_type)


# Public


@public
def report(request: HttpRequest) -> HttpResponse:
    """The public report form: short, anonymous if wished, rate-limited per client, answered with a code."""
    form = PublicReportForm(request.POST or None, request.FILES or None)
    status = 200
    wait = intake.wait_seconds(client_ip(request) or "-") if request.method == "POST" else 0
    if wait:  # counted before the checks, as the API counts every attempt: a flood of bad posts is refused too
        form.is_valid()
        form.add_error(None, intake.too_many_message(wait))
        status = 429
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a refused photo leaves no report behind without a code
                case = actions.report_case(
                    by=None,
                    category=data["category"],
                    description=data["description"],
                    place_code=form.place_code(),
                    occurred_at=data["occurred_at"],
                    source=Case.Source.PUBLIC,
                    reporter_contact=data["contact"],
                    anonymous=data["anonymous"],
                )
                if data.get("photo"):
                    actions.add_attachment(case, by=None, upload=data["photo"])
        except actions.Refused as e:
            field = {"place_code": "tps_number", "file": "photo"}.get(e.field, e.field)
            form.add_error(field if field in form.fields else None, e.message)
            status = 422
        else:
            request.session["reported_code"] = case.tracking_code
            return redirect("cases:report_status", code=case.tracking_code)
    elif request.method == "POST":
        status = 422
    return render(request, "cases/report_form.html", {"form": form}, status=status)


@public
def report_lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("kode", "")
    if code:
        cleaned = intake.clean_code(code)
        if cleaned:
            return redirect("cases:report_status", code=cleaned)
    return render(request, "cases/report_lookup.html", {"code": code, "wrong": bool(code)}, status=404 if code else 200)


@public
def report_status(request: HttpRequest, code: str) -> HttpResponse:
    case = intake.find_by_code(code)
    if case is None:
        return render(request, "cases/report_lookup.html", {"code": code, "wrong": True}, status=404)
    fresh = request.session.pop("reported_code", None) == case.tracking_code
    labels = dict(Case.Status.choices)
    status = intake.public_status(case)
    steps = [{"label": labels.get(s["status"], s["status"]), "at": s["at"]} for s in status["history"]]
    return render(
        request,
        "cases/report_status.html",
        {
            "case": case,
            "fresh": fresh,
            "steps": steps,
            "category": CATEGORIES[case.category].label,
            "current": labels.get(status["status"], status["status"]),
            "updated_at": status["updated_at"],
        },
    )


def published_clarifications() -> QuerySet[Clarification]:
    return Clarification.objects.filter(published_at__isnull=False, published_at__lte=clock.now())


@public
def clarifications(request: HttpRequest) -> HttpResponse:
    rows = published_clarifications()
    q = request.GET.get("q", "").strip()[:100]
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(claim__icontains=q) | Q(text__icontains=q))
    listing = ListPage(request, rows, per_page=20)
    return listing.render("cases/clarifications.html", {"q": q, "verdicts": VERDICT_LABELS})


VERDICT_LABELS = {
    "hoax": _lazy("Hoaks"),
    "misleading": _lazy("Menyesatkan"),
    "true": _lazy("Benar"),
    "unverifiable": _lazy("Tidak dapat diverifikasi"),
}


@public
def clarification(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(published_clarifications(), pk=pk)
    return render(
        request,
        "cases/clarification.html",
        {
            "item": item,
            "verdict": VERDICT_LABELS.get(item.verdict, item.verdict),
            "url": request.build_absolute_uri(item.get_absolute_url()),
        },
    )


class ClarificationFeed(Feed):
    feed_type = Atom1Feed
    title = _lazy("Klarifikasi hoaks Pilkada — Desk Pilkada")
    subtitle = _lazy("Klarifikasi yang dipublikasikan desk, terbaru di atas.")

    def link(self) -> str:
        return reverse("cases:clarifications")

    def items(self):
        return published_clarifications()[:50]

    def item_title(self, item: Clarification) -> str:
        return f"[{VERDICT_LABELS.get(item.verdict, item.verdict)}] {item.title}"

    def item_description(self, item: Clarification) -> str:
        return linebreaks(escape(item.text))  # the feed's summary is HTML: the text is shown, never run

    def item_pubdate(self, item: Clarification):
        return item.published_at


clarification_feed = public(ClarificationFeed())
