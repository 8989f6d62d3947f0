"""Point 3's API: the crews' coverage of a region, per TPS and in total."""

from ninja import Router, Schema

from deskpilkada.accounts.access import api_requires
from deskpilkada.api_errors import ApiError, answers
from deskpilkada.elections.models import Election
from deskpilkada.officers.coverage import tps_coverage
from deskpilkada.officers.views import VIEW, reaches
from deskpilkada.regions.codes import CodeError, undotted
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps

router = Router(tags=["petugas"])


class CrewOut(Schema):
    needed: int
    present: int


class TpsCoverageOut(Schema):
    code: str
    kpps: CrewOut
    linmas: CrewOut
    chair: bool
    chair_trained: bool
    trained: dict[str, int]
    screened: int
    unfit: int
    complete: bool


class TotalOut(Schema):
    tps: int
    complete: int
    trained: int
    screened: int
    chair_untrained: int
    kpps: CrewOut
    linmas: CrewOut
    unfit: int


class TopicOut(Schema):
    code: str
    name: str


class CoverageOut(Schema):
    region: str
    name: str
    topics: list[TopicOut]
    total: TotalOut
    tps: list[TpsCoverageOut]


@router.get(
    "/officers/coverage/{region_code}",
    response=answers({200: CoverageOut}, 401, 403, 404),
    summary="Cakupan kru per TPS dan total: kebutuhan dan yang ada, terlatih per materi wajib, skrining, tidak sehat",
)
@api_requires(VIEW)
def coverage(request, region_code: str):
    """`region_code`: a region (dotted or not) or a 13-digit TPS. Per TPS: KPPS and Linmas needed (the
    election's rules) and serving; whether a chair serves and attended every required topic; per
    required KPPS topic, the serving KPPS who attended it; officers screened; unfit officers still
    serving. `total` sums them (TPS complete, fully trained, fully screened, chairs untrained)."""
    try:
        code = undotted(region_code)
    except CodeError:
        raise ApiError(404, "Wilayah tidak ditemukan.") from None
    if len(code) == 13:
        tps = Tps.objects.select_related("kelurahan").filter(code=code).first()
        if tps is None:
            raise ApiError(404, "TPS tidak ditemukan.")
        name = str(tps)
    else:
        try:
            region = Region.objects.by_code(region_code)
        except (CodeError, Region.DoesNotExist):
            raise ApiError(404, "Wilayah tidak ditemukan.") from None
        name = region.display_name
    if not reaches(request.user, code):
        raise ApiError(403, "Wilayah ini di luar wilayah kewenangan Anda.")
    election = Election.objects.current()
    if election is None:
        raise ApiError(404, "Belum ada pemilihan aktif.")
    cov = tps_coverage(election, code)
    t = cov.totals
    return {
        "region": code,
        "name": name,
        "topics": [{"code": c, "name": n} for c, n in cov.topics],
        "total": {
            "tps": t["tps"],
            "complete": t["complete"],
            "trained": t["trained"],
            "screened": t["screened"],
            "chair_untrained": t["chair_untrained"],
            "kpps": {"needed": t["kpps_needed"], "present": t["kpps"]},
            "linmas": {"needed": t["linmas_needed"], "present": t["linmas"]},
            "unfit": t["unfit"],
        },
        "tps": [
            {
                "code": r.code,
                "kpps": {"needed": r.kpps_needed, "present": r.kpps},
                "linmas": {"needed": r.linmas_needed, "present": r.linmas},
                "chair": r.chair,
                "chair_trained": r.chair_trained,
                "trained": r.trained,
                "screened": r.screened,
                "unfit": r.unfit,
                "complete": r.complete,
            }
            for r in cov.tps
        ],
    }
