from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from deskpilkada.accounts.access import api_require_object, api_requires, can, tps_scope
from deskpilkada.api_errors import ApiError, answers
from deskpilkada.regions.codes import CodeError, normalize_region_code
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps import actions
from deskpilkada.tps.codes import normalize_tps_code
from deskpilkada.tps.models import MAX_VOTERS_PER_TPS, Tps

router = Router(tags=["tps"])


class TpsOut(Schema):
    code: str
    number: int
    kelurahan_code: str = Field(..., alias="kelurahan.code")
    kelurahan: str = Field(..., alias="kelurahan.name")
    kecamatan: str = Field(..., alias="kelurahan.parent.name")
    address: str
    rt: str
    rw: str
    lat: float | None
    lon: float | None
    dpt_male: int
    dpt_female: int
    dpt: int
    special_kind: str
    special_place: str
    wheelchair_accessible: bool
    version: int


class TpsFilter(Schema):
    kecamatan: str | None = None
    kelurahan: str | None = None
    q: str | None = None


class TpsFields(Schema):
    address: str = Field("", max_length=255)
    rt: str = Field("", max_length=5)
    rw: str = Field("", max_length=5)
    lat: float | None = Field(None, ge=-11.5, le=6.5)
    lon: float | None = Field(None, ge=94.5, le=141.5)
    dpt_male: int = Field(0, ge=0, le=MAX_VOTERS_PER_TPS)
    dpt_female: int = Field(0, ge=0, le=MAX_VOTERS_PER_TPS)
    special_kind: Tps.SpecialKind = Tps.SpecialKind.NONE
    special_place: str = Field("", max_length=120)
    wheelchair_accessible: bool = False


class TpsCreate(TpsFields):
    kelurahan: str
    number: int = Field(..., ge=1, le=999)


def _may_be_left_out(**constraints):
    """A PATCH field that may be left out but is never null (its column is NOT NULL): an explicit
    null fails validation with the field named, and the OpenAPI shows no null default."""

    def no_default(schema: dict) -> None:
        schema.pop("default", None)

    return Field(None, json_schema_extra=no_default, **constraints)


class TpsPatch(Schema):
    version: int = Field(..., ge=1, le=2**31 - 1)
    address: str = _may_be_left_out(max_length=255)
    rt: str = _may_be_left_out(max_length=5)
    rw: str = _may_be_left_out(max_length=5)
    lat: float | None = Field(None, ge=-11.5, le=6.5)
    lon: float | None = Field(None, ge=94.5, le=141.5)
    dpt_male: int = _may_be_left_out(ge=0, le=MAX_VOTERS_PER_TPS)
    dpt_female: int = _may_be_left_out(ge=0, le=MAX_VOTERS_PER_TPS)
    special_kind: Tps.SpecialKind = _may_be_left_out()
    special_place: str = _may_be_left_out(max_length=120)
    wheelchair_accessible: bool = _may_be_left_out()


# 426,000 TPS at one per page is under this; a larger page would only overflow the SQL offset.
MAX_PAGE = 1_000_000


class Paging(PageNumberPagination):
    """Ninja's page numbers, with the page bounded so that a huge one answers 422, not 500."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, description="paling banyak 100")


def _get(request, code: str, cap: str) -> Tps:
    try:
        code = normalize_tps_code(code)
    except CodeError as exc:
        raise ApiError(404, str(exc))
    tps = get_object_or_404(Tps.objects.select_related("kelurahan__parent"), code=code)
    api_require_object(request.user, cap, tps)
    return tps


def _check_total(male: int, female: int) -> None:
    if male + female > MAX_VOTERS_PER_TPS:
        message = _("dpt_male + dpt_female = %(total)d melebihi %(max)d pemilih per TPS.") % {
            "total": male + female,
            "max": MAX_VOTERS_PER_TPS,
        }
        error = ApiError(422, message)
        error.problems = [{"field": name, "message": message} for name in ("dpt_male", "dpt_female")]
        raise error


@router.get("/tps", response=answers({200: list[TpsOut]}, 401, 403, 422), summary="Daftar TPS di wilayah Anda")
@api_requires("tps.view")
@paginate(Paging, page_size=100)
def list_tps(request, filters: Query[TpsFilter]):
    qs = Tps.objects.filter(tps_scope(request.user, "tps.view")).select_related("kelurahan__parent")
    if filters.kelurahan:
        qs = qs.filter(code__startswith=filters.kelurahan.replace(".", ""))
    elif filters.kecamatan:
        qs = qs.filter(code__startswith=filters.kecamatan.replace(".", ""))
    return qs.search(filters.q or "")


@router.get(
    "/tps/{code}", response=answers({200: TpsOut}, 401, 403, 404), summary="Satu TPS (kode 13 angka atau bertitik)"
)
@api_requires("tps.view")
def get_tps(request, code: str):
    return _get(request, code, "tps.view")


@router.post("/tps", response=answers({201: TpsOut}, 400, 401, 403, 409, 422), summary="Buat TPS")
@api_requires("tps.manage")
def create_tps(request, payload: TpsCreate):
    try:
        kelurahan = Region.objects.get(code=normalize_region_code(payload.kelurahan), level=Level.VILLAGE)
    except (CodeError, Region.DoesNotExist):
        raise ApiError(422, _("kode kelurahan tidak ada."), field="kelurahan")
    if not can(request.user, "tps.manage", kelurahan):
        raise ApiError(403, _("Kelurahan ini di luar wilayah kewenangan Anda."))
    _check_total(payload.dpt_male, payload.dpt_female)
    if Tps.objects.filter(kelurahan=kelurahan, number=payload.number).exists():
        raise ApiError(409, _("TPS dengan nomor ini sudah ada di kelurahan tersebut."), field="number")
    data = payload.dict(exclude={"kelurahan", "number"})
    try:
        tps = actions.create_tps(by=request.user, kelurahan=kelurahan, number=payload.number, **data)
    except ValidationError as exc:
        raise ApiError.from_django(exc)
    return 201, Tps.objects.select_related("kelurahan__parent").get(pk=tps.pk)


@router.patch(
    "/tps/{code}",
    response=answers({200: TpsOut}, 400, 401, 403, 404, 409, 422),
    summary="Ubah TPS (kirim version yang terakhir dibaca)",
)
@api_requires("tps.manage")
def patch_tps(request, code: str, payload: TpsPatch):
    tps = _get(request, code, "tps.manage")
    fields = payload.dict(exclude={"version"}, exclude_unset=True)
    _check_total(fields.get("dpt_male", tps.dpt_male), fields.get("dpt_female", tps.dpt_female))
    try:
        actions.update_tps(by=request.user, tps=tps, expected_version=payload.version, **fields)
    except ValidationError as exc:
        raise ApiError.from_django(exc)
    except actions.StaleEdit:
        raise ApiError(
            409, _("TPS ini sudah diubah orang lain (version berbeda). Baca ulang lalu kirim lagi."), field="version"
        )
    return Tps.objects.select_related("kelurahan__parent").get(pk=tps.pk)
