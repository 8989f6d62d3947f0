"""The API of points 2 and 7: relocating a TPS on the day, and the readiness of every TPS under a region."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from deskpilkada.accounts.access import api_require_object, api_requires, tps_scope
from deskpilkada.api_errors import ApiError, answers
from deskpilkada.readiness import actions, summary
from deskpilkada.regions.codes import CodeError
from deskpilkada.regions.models import Region
from deskpilkada.tps.api import TpsOut, _get
from deskpilkada.tps.models import Tps

router = Router(tags=["kesiapan TPS"])


class RelocationIn(Schema):
    address: str = Field(..., max_length=255, description="alamat tempat baru")
    lat: float | None = Field(None, ge=-11.5, le=6.5)
    lon: float | None = Field(None, ge=94.5, le=141.5)
    reason: str = Field("", max_length=500, description="wajib: mengapa TPS dipindahkan")
    decided_by: str = Field("", max_length=160, description="siapa yang memutuskan (kosong: pengguna ini)")
    at: dt.datetime | None = Field(None, description="waktu pemindahan (kosong: sekarang)")
    confirm_outside_kelurahan: bool = Field(False, description="wajib true bila tempat baru di luar kelurahan")


@router.post(
    "/tps/{code}/relocation",
    response=answers({200: TpsOut}, 400, 401, 403, 404, 422),
    summary="Pindahkan TPS pada hari H (alamat dan titik peta berubah di mana-mana, termasuk cek TPS publik)",
)
@api_requires("relocation.manage")
def relocate_tps(request, code: str, payload: RelocationIn):
    """Moves the TPS; one audit row names both places; the lurah, PPS and KPPS are told. Afterwards
    `GET /voters/lookup` for a voter of this TPS answers the new address with `relocated`."""
    tps = _get(request, code, "relocation.manage")
    try:
        actions.relocate(by=request.user, tps=tps, **payload.dict())
    except actions.Refused as exc:
        raise ApiError(422, exc.message, field=exc.field or None)
    return Tps.objects.select_related("kelurahan__parent").get(pk=tps.pk)


class ChecklistState(Schema):
    complete: bool
    answered: int
    items: int
    flags: int
    open_warnings: int


class HazardOut(Schema):
    kind: str
    level: int = Field(..., description="1 rendah, 2 sedang, 3 tinggi")


class VulnerabilityOut(Schema):
    class_: str | None = Field(None, alias="class", description="tidak_rawan, rawan, sangat_rawan; null: belum dinilai")
    score: int


class Personnel(Schema):
    polri: int
    tni: int
    linmas: int


class SecurityOut(Schema):
    needed: Personnel
    assigned: Personnel
    gap: int


class TpsReadinessOut(Schema):
    code: str
    number: int
    kelurahan: str
    address: str
    checklist: ChecklistState
    hazards: list[HazardOut]
    risk_level: int
    weather_warnings: list[int]
    mitigation_plan: bool
    backup_location: bool
    vulnerability: VulnerabilityOut
    security: SecurityOut
    relocated: bool


class ClassCounts(Schema):
    tidak_rawan: int
    rawan: int
    sangat_rawan: int
    unassessed: int


class SecurityTotals(Schema):
    needed: Personnel
    assigned: Personnel


class RegionTotals(Schema):
    tps: int
    checklist_complete: int
    tps_with_open_warnings: int
    open_warnings: int
    risky: int
    risky_without_plan: int
    risky_without_backup: int
    under_weather_warning: int
    vulnerability: ClassCounts
    security: SecurityTotals
    security_gap_tps: int
    security_gap_persons: int
    relocated: int


class RegionReadinessOut(Schema):
    region: str
    name: str
    totals: RegionTotals
    tps: list[TpsReadinessOut]


@router.get(
    "/readiness/{region_code}",
    response=answers({200: RegionReadinessOut}, 401, 403, 404),
    by_alias=True,
    summary="Kesiapan setiap TPS di bawah wilayah: daftar periksa, bahaya, kerawanan, keamanan, relokasi; dan totalnya",
)
@api_requires("desk.view")
def region_readiness(request, region_code: str):
    try:
        region = Region.objects.by_code(region_code)
    except (CodeError, Region.DoesNotExist):
        raise ApiError(404, _("Wilayah tidak ditemukan."))
    api_require_object(request.user, "desk.view", region)
    visible = Tps.objects.filter(tps_scope(request.user, "desk.view"), code__startswith=region.undotted_code)
    rows = summary.readiness_rows(visible)
    return {
        "region": region.code,
        "name": region.display_name,
        "totals": summary.totals(rows).as_api(),
        "tps": [r.as_api() for r in rows],
    }
