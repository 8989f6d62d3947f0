"""The case desk's API (issue 10): public reports with a tracking code, and the cases, scoped."""

import datetime as dt
from typing import Literal

from django.http import JsonResponse
from django.utils import timezone
from ninja import Router, Schema

from deskpilkada.accounts.access import api_requires, public
from deskpilkada.accounts.middleware import client_ip
from deskpilkada.api_errors import ApiError, answers, error_response
from deskpilkada.cases import actions, deadlines, intake
from deskpilkada.cases.access import REPORT, handled_q, may_handle, visible_q
from deskpilkada.cases.categories import CATEGORIES
from deskpilkada.cases.models import Case
from deskpilkada.cases.views import CASE_FILTERS

router = Router(tags=["kasus"])


class ReportIn(Schema):
    category: str
    description: str
    place_code: str
    occurred_at: dt.datetime
    contact: str = ""
    anonymous: bool = False


class ReportOut(Schema):
    tracking_code: str


class StatusStep(Schema):
    status: str
    at: dt.datetime


class ReportStatusOut(Schema):
    tracking_code: str
    category: str
    status: str
    updated_at: dt.datetime
    history: list[StatusStep]


class DeadlineOut(Schema):
    kind: str
    due_at: dt.datetime
    state: Literal["pending", "due_soon", "overdue", "met", "missed", "cancelled"]


class CaseOut(Schema):
    id: int
    category: str
    title: str
    description: str
    status: str
    severity: str
    place_code: str
    occurred_at: dt.datetime
    known_at: dt.datetime
    source: str
    details: dict
    assigned_org: str | None
    assigned_to: str | None
    group_id: int | None
    duplicate_of_id: int | None
    deadlines: list[DeadlineOut]
    reporter_contact: str | None = None  # to those handling the case only
    version: int


class TransitionIn(Schema):
    to: str
    note: str = ""


def _refused(e: actions.Refused) -> ApiError:
    return ApiError(409 if isinstance(e, actions.Stale) else 422, e.message, field=e.field)


@router.post(
    "/reports",
    auth=None,
    response=answers({201: ReportOut}, 400, 422, 429),
    summary="Lapor kejadian (publik, tanpa login; dibatasi per perangkat)",
)
@public
def report(request, body: ReportIn):
    """A public report: category, what, where (a kelurahan, kecamatan or TPS code, dotted or not) and
    when. Answers the tracking code with which the reporter follows its status."""
    wait = intake.wait_seconds(client_ip(request) or "-")
    if wait:
        return error_response(429, intake.too_many_message(wait), headers={"Retry-After": str(wait)})
    if body.category not in CATEGORIES or not CATEGORIES[body.category].public:
        raise ApiError(422, f"Kategori «{body.category}» tidak dikenal.", field="category")
    occurred = body.occurred_at if body.occurred_at.tzinfo else timezone.make_aware(body.occurred_at)
    try:
        case = actions.report_case(
            by=None,
            category=body.category,
            description=body.description,
            place_code=body.place_code,
            occurred_at=occurred,
            source=Case.Source.API,
            reporter_contact=body.contact,
            anonymous=body.anonymous,
        )
    except actions.Refused as e:
        raise _refused(e) from None
    return JsonResponse({"tracking_code": case.tracking_code}, status=201)


@router.get(
    "/reports/{tracking_code}",
    auth=None,
    response=answers({200: ReportStatusOut}, 404),
    summary="Status laporan dari kode lacak (publik)",
)
@public
def report_status(request, tracking_code: str):
    """Never a name, contact, assignee or note; an unknown and a mistyped code get the same 404."""
    case = intake.find_by_code(tracking_code)
    if case is None:
        return error_response(404, "Kode lacak tidak ditemukan. Periksa kembali kodenya.")
    return intake.public_status(case)


def case_out(case: Case, user, *, handled: set[int] | None = None, table: dict | None = None) -> dict:
    return {
        "id": case.pk,
        "category": case.category,
        "title": case.title,
        "description": case.description,
        "status": case.status,
        "severity": case.severity,
        "place_code": case.area,
        "occurred_at": case.occurred_at,
        "known_at": case.known_at,
        "source": case.source,
        "details": case.details,
        "assigned_org": case.assigned_org.name if case.assigned_org else None,
        "assigned_to": case.assigned_to.username if case.assigned_to else None,
        "group_id": case.group_id,
        "duplicate_of_id": case.duplicate_of_id,
        "deadlines": [d.as_api() for d in deadlines.deadlines(case, table=table)],
        "reporter_contact": case.reporter_contact
        if (case.pk in handled if handled is not None else may_handle(user, case))
        else None,
        "version": case.version,
    }


def _visible(request):
    return Case.objects.filter(visible_q(request.user)).select_related("assigned_org", "assigned_to", "election")


def _get(request, pk: int) -> Case:
    case = _visible(request).filter(pk=pk).first()
    if case is None:
        raise ApiError(404, "Kasus tidak ditemukan atau di luar kewenangan Anda.")
    return case


@router.get("/cases", response=answers({200: list[CaseOut]}, 401, 403, 422), summary="Daftar kasus (sesuai kewenangan)")
@api_requires(REPORT)
def case_list(
    request,
    category: str = "",
    status: str = "",
    area: str = "",
    overdue: bool = False,
    page: int = 1,
):
    """The cases the user may see, "needs me now" first; filters as the inbox's. 100 per page."""
    rows = _visible(request)
    values = {"kategori": category, "status": status, "wilayah": area, "lewat": "ya" if overdue else ""}
    for f in CASE_FILTERS:
        if values.get(f.name):
            rows = f.apply(rows, values[f.name])
    if page < 1 or page > 10_000:
        raise ApiError(422, "Halaman di luar jangkauan.", field="page")
    rows = rows.needs_me_first()[(page - 1) * 100 : page * 100]
    rows = list(rows)
    # One query for the contacts the user may see and one for the rules, not one per case.
    handled = set(
        Case.objects.filter(handled_q(request.user), pk__in=[c.pk for c in rows]).values_list("pk", flat=True)
    )
    elections = {c.election_id: c.election for c in rows}
    tables = {pk: deadlines.rules(election) for pk, election in elections.items()}
    return [case_out(c, request.user, handled=handled, table=tables[c.election_id]) for c in rows]


@router.get("/cases/{case_id}", response=answers({200: CaseOut}, 401, 403, 404, 422), summary="Satu kasus")
@api_requires(REPORT)
def case_detail(request, case_id: int):
    return case_out(_get(request, case_id), request.user)


@router.post(
    "/cases/{case_id}/transition",
    response=answers({200: CaseOut}, 400, 401, 403, 404, 409, 422),
    summary="Ubah status kasus (langkah yang diizinkan saja)",
)
@api_requires(REPORT)
def case_transition(request, case_id: int, body: TransitionIn):
    case = _get(request, case_id)
    if not may_handle(request.user, case):
        raise ApiError(403, "Anda dapat melihat kasus ini, tetapi tidak menanganinya.")
    if body.to not in Case.Status.values:
        raise ApiError(422, f"Status «{body.to}» tidak dikenal.", field="to")
    try:
        case = actions.move(case, body.to, by=request.user, note=body.note[:1000])
    except actions.Refused as e:
        raise _refused(e) from None
    return case_out(case, request.user)
