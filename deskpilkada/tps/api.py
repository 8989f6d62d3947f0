from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from deskpilkada.accounts.access import api_require_object, api_requires, can, tps_scope
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


class TpsPatch(Schema):
    version: int
    address: str | None = Field(None, max_length=255)
    rt: str | None = Field(None, max_length=5)
    rw: str | None = Field(None, max_length=5)
    lat: float | None = Field(None, ge=-11.5, le=6.5)
    lon: float | None = Field(None, ge=94.5, le=141.5)
    dpt_male: int | None = Field(None, ge=0, le=MAX_VOTERS_PER_TPS)
    dpt_female: int | None = Field(None, ge=0, le=MAX_VOTERS_PER_TPS)
    special_kind: Tps.SpecialKind | None = None
    special_place: str | None = Field(None, max_length=120)
    wheelchair_accessible: bool | None = None


def _get(request, code: str, cap: str) -> Tps:
    try:
        code = normalize_tps_code(code)
    except CodeError as exc:
        raise HttpError(404, str(exc))
    tps = get_object_or_404(Tps.objects.select_related("kelurahan__parent"), code=code)
    api_require_object(request.user, cap, tps)
    return tps


def _check_total(male: int, female: int) -> None:
    if male + female > MAX_VOTERS_PER_TPS:
        raise HttpError(422, f"dpt_male + dpt_female = {male + female} melebihi {MAX_VOTERS_PER_TPS} pemilih per TPS.")


@router.get("/tps", response=list[TpsOut], summary="Daftar TPS di wilayah Anda")
@api_requires("tps.view")
@paginate(PageNumberPagination, page_size=100)
def list_tps(request, filters: Query[TpsFilter]):
    qs = Tps.objects.filter(tps_scope(request.user, "tps.view")).select_related("kelurahan__parent")
    if filters.kelurahan:
        qs = qs.filter(code__startswith=filters.kelurahan.replace(".", ""))
    elif filters.kecamatan:
        qs = qs.filter(code__startswith=filters.kecamatan.replace(".", ""))
    return qs.search(filters.q or "")


@router.get("/tps/{code}", response=TpsOut, summary="Satu TPS (kode 13 angka atau bertitik)")
@api_requires("tps.view")
def get_tps(request, code: str):
    return _get(request, code, "tps.view")


@router.post("/tps", response={201: TpsOut}, summary="Buat TPS")
@api_requires("tps.manage")
def create_tps(request, payload: TpsCreate):
    try:
        kelurahan = Region.objects.get(code=normalize_region_code(payload.kelurahan), level=Level.VILLAGE)
    except (CodeError, Region.DoesNotExist):
        raise HttpError(422, "kelurahan: kode kelurahan tidak ada.")
    if not can(request.user, "tps.manage", kelurahan):
        raise HttpError(403, "Kelurahan ini di luar wilayah kewenangan Anda.")
    _check_total(payload.dpt_male, payload.dpt_female)
    if Tps.objects.filter(kelurahan=kelurahan, number=payload.number).exists():
        raise HttpError(409, "number: TPS dengan nomor ini sudah ada di kelurahan tersebut.")
    data = payload.dict(exclude={"kelurahan", "number"})
    try:
        tps = actions.create_tps(by=request.user, kelurahan=kelurahan, number=payload.number, **data)
    except ValidationError as exc:
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))
    return 201, Tps.objects.select_related("kelurahan__parent").get(pk=tps.pk)


@router.patch("/tps/{code}", response=TpsOut, summary="Ubah TPS (kirim version yang terakhir dibaca)")
@api_requires("tps.manage")
def patch_tps(request, code: str, payload: TpsPatch):
    tps = _get(request, code, "tps.manage")
    fields = payload.dict(exclude={"version"}, exclude_unset=True)
    _check_total(fields.get("dpt_male", tps.dpt_male), fields.get("dpt_female", tps.dpt_female))
    try:
        actions.update_tps(by=request.user, tps=tps, expected_version=payload.version, **fields)
    except ValidationError as exc:
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))
    except actions.StaleEdit:
        raise HttpError(409, "TPS ini sudah diubah orang lain (version berbeda). Baca ulang lalu kirim lagi.")
    return Tps.objects.select_related("kelurahan__parent").get(pk=tps.pk)
