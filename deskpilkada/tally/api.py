import hashlib
from typing import Annotated

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Header, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from deskpilkada.accounts.access import api_require_object, api_requires, public
from deskpilkada.api_errors import ApiError, Text, answers
from deskpilkada.elections.models import Contest
from deskpilkada.regions.codes import CodeError, normalize_region_code
from deskpilkada.regions.models import Region
from deskpilkada.tally import actions, chain, lookups, results, rules
from deskpilkada.tally.models import ChainCheckpoint, SheetVersion, Source, TallySheet
from deskpilkada.tps.codes import normalize_tps_code
from deskpilkada.tps.models import Tps
from deskpilkada.writelock import serialized_writes

router = Router(tags=["penghitungan"])


class SheetIn(Schema):
    kode_tps: str
    pemilihan: str
    dpt: int
    dptb: int
    dpk: int
    pengguna_dpt: int
    pengguna_dptb: int
    pengguna_dpk: int
    surat_suara_diterima: int
    surat_suara_digunakan: int
    surat_suara_rusak: int
    surat_suara_sisa: int
    suara_sah: int
    suara_tidak_sah: int
    paslon: dict[Annotated[int, Field(ge=1, le=99)], int] = Field(
        ..., description='suara per nomor urut paslon, mis. {"1": 120, "2": 98}'
    )
    dpt_laki: int | None = None
    dpt_perempuan: int | None = None
    dptb_laki: int | None = None
    dptb_perempuan: int | None = None
    dpk_laki: int | None = None
    dpk_perempuan: int | None = None
    pengguna_laki: int | None = None
    pengguna_perempuan: int | None = None
    pemilih_disabilitas: int | None = None
    alasan: str = Field("", max_length=300, description="wajib untuk koreksi C.Hasil yang sudah ada")
    versi: int | None = Field(
        None, ge=0, le=2**31 - 1, description="versi terakhir yang dibaca; 409 bila sudah berubah"
    )


class ProblemOut(Schema):
    field: str
    message: str


class SheetOut(Schema):
    kode_tps: str
    pemilihan: str
    versi: int
    status: str
    verified: bool
    problems: list[ProblemOut]
    hash: str


def _source(request) -> str:
    """How the sheet arrived: a machine's token is the API; the browser's session (the entry page's
    queue on a KPPS's phone) is entry by that person, as through the form."""
    if request.headers.get("Authorization") or request.headers.get("X-API-Key"):
        return Source.API
    return actions.source_for(request.user)


def _prepare(request, payload: SheetIn) -> actions.Entry:
    """The sheet as the action takes it, or ApiError: a TPS or contest that does not exist, a TPS
    outside the sender's area, a figure too large."""
    try:
        tps = lookups.tps(normalize_tps_code(payload.kode_tps))
    except CodeError:
        tps = None
    if tps is None:
        raise ApiError(422, _("TPS tidak ada."), field="kode_tps")
    api_require_object(request.user, "tally.enter", tps)
    contest = lookups.contest(payload.pemilihan)
    if contest is None:
        raise ApiError(422, _("pemilihan tidak ada."), field="pemilihan")
    data = payload.dict()
    numbers = {k: v for k, v in data.items() if isinstance(v, int) and k != "versi"}
    numbers.update({rules.vote_key(int(n)): v for n, v in payload.paslon.items()})
    for key, value in numbers.items():
        if abs(value) > rules.MAX_FIGURE:
            raise ApiError(422, _("angka terlalu besar untuk satu TPS."), field=key)
    sheet = rules.Sheet(
        numbers={k: data[k] for k in rules.FIELD_KEYS},
        votes={int(n): v for n, v in payload.paslon.items()},
        extra={k: data[k] for k in rules.OPTIONAL_KEYS if data.get(k) is not None},
    )
    return actions.Entry(tps, contest, sheet, reason=payload.alasan, expected_version=payload.versi)


def _answer(entry: actions.Entry, version: SheetVersion) -> dict:
    row = version.sheet
    return {
        "kode_tps": entry.tps.code,
        "pemilihan": entry.contest.code,
        "versi": version.number,
        "status": row.status,
        "verified": row.verified,
        "problems": rules.described(version.problems),
        "hash": version.hash,
    }


def _submit(request, payload: SheetIn, *, savepoint: bool = True) -> tuple[int, dict]:
    """`savepoint=False` when the caller's own transaction is rolled back on a refusal."""
    entry = _prepare(request, payload)
    try:
        version = actions.submit_sheet(
            by=request.user,
            tps=entry.tps,
            contest=entry.contest,
            sheet=entry.sheet,
            source=_source(request),
            reason=entry.reason,
            expected_version=entry.expected_version,
            savepoint=savepoint,
        )
    except actions.Stale as exc:
        raise ApiError(409, exc.message, field=exc.field)
    except actions.Refused as exc:
        raise ApiError(422, exc.message, field=exc.field)
    return 201, _answer(entry, version)


IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    max_length=120,
    description="kunci kirim ulang (paling banyak 120 karakter): kiriman ulang dengan kunci dan isi JSON "
    "yang sama mendapat jawaban pertama",
)


@router.post(
    "/tally-sheets",
    response=answers({201: SheetOut}, 400, 401, 403, 409, 422),
    summary="Kirim C.Hasil satu TPS (header Idempotency-Key)",
)
@api_requires("tally.enter")
def post_sheet(request, payload: SheetIn, idempotency_key: Text | None = IDEMPOTENCY_KEY):
    """A sheet that breaks a counting rule is stored as held (`status: held`, with `problems`).
    Retrying with the same `Idempotency-Key` returns the first answer and never counts twice."""
    key = (idempotency_key or "").strip()
    if not key:
        return _submit(request, payload)
    try:
        return actions.submit_once(
            user=request.user,
            key=key,
            body=payload.model_dump(mode="json"),
            submit=lambda: _submit(request, payload, savepoint=False),
        )
    except actions.Refused as exc:
        raise ApiError(422, exc.message, field=exc.field)


class PhotoOut(Schema):
    kode_tps: str
    pemilihan: str
    versi: int
    sha256: str
    size: int


@router.post(
    "/tally-sheets/{contest}/{tps_code}/photos",
    response=answers({201: PhotoOut}, 400, 401, 403, 404, 422),
    summary="Tambah foto plano C.Hasil satu TPS (multipart `foto`, header Idempotency-Key)",
)
@api_requires("tally.enter")
def post_sheet_photo(
    request, contest: Text, tps_code: str, foto: File[UploadedFile], idempotency_key: Text | None = IDEMPOTENCY_KEY
):
    """The plano photo of a sheet already sent (JPEG, PNG or WebP, checked by its first bytes). The
    entry page's queue sends the sheet first and its photo after, so that the figures, which are
    small, are counted as soon as there is any signal. A retry with the same `Idempotency-Key` and
    the same photo gets the first answer and adds no second photo."""
    try:
        tps = Tps.objects.get(code=normalize_tps_code(tps_code))
    except (CodeError, Tps.DoesNotExist):
        raise ApiError(404, _("TPS tidak ditemukan."))
    api_require_object(request.user, "tally.enter", tps)
    sheet = TallySheet.objects.filter(contest__code=contest, tps=tps).select_related("latest", "contest").first()
    if sheet is None or sheet.latest is None:
        raise ApiError(404, _("Belum ada C.Hasil untuk TPS ini."))
    digest = hashlib.sha256()
    for chunk in foto.chunks():
        digest.update(chunk)
    foto.seek(0)

    def add() -> tuple[int, dict]:
        try:
            photo = actions.add_photo(by=request.user, sheet=sheet, upload=foto)
        except actions.Refused as exc:
            raise ApiError(422, exc.message, field=exc.field)
        return 201, {
            "kode_tps": tps.code,
            "pemilihan": sheet.contest.code,
            "versi": sheet.latest.number,
            "sha256": photo.sha256,
            "size": photo.size,
        }

    key = (idempotency_key or "").strip()
    if not key:
        return add()
    body = {"kode_tps": tps.code, "pemilihan": sheet.contest.code, "foto": digest.hexdigest()}
    try:
        return actions.submit_once(user=request.user, key=key, body=body, submit=add)
    except actions.Refused as exc:
        raise ApiError(422, exc.message, field=exc.field)


class BatchItemOut(Schema):
    kode_tps: str
    pemilihan: str
    ok: bool
    versi: int | None = None
    status: str | None = None
    problems: list[ProblemOut] = []
    error: str | None = None


class BatchOut(Schema):
    stored: int
    refused: int
    items: list[BatchItemOut]


MAX_BATCH = 200


def _refused(item: SheetIn, message: str) -> dict:
    return {"kode_tps": item.kode_tps, "pemilihan": item.pemilihan, "ok": False, "error": message}


@router.post(
    "/tally-sheets/batch",
    response=answers({200: BatchOut}, 400, 401, 403, 422),
    summary="Kirim banyak C.Hasil sekaligus (maks. 200)",
)
@api_requires("tally.enter")
def post_sheet_batch(request, payload: list[SheetIn], idempotency_key: Text | None = IDEMPOTENCY_KEY):
    """For bulk senders (a PPK's spreadsheet, a mirror of another system): every sheet gets the
    same checks, hash chain link, audit row and roll-up as a single one, all in one transaction
    written in bulk; a refused sheet (outside the sender's area, unknown paslon, …) is reported in
    its place and the others are stored. The `Idempotency-Key` covers the whole batch."""
    if len(payload) > MAX_BATCH:
        raise ApiError(422, _("Paling banyak %(n)d C.Hasil per kiriman.") % {"n": MAX_BATCH}, field="body")

    def submit_all() -> tuple[int, dict]:
        lookups.know_tps(item.kode_tps for item in payload)
        items: list[dict | None] = [None] * len(payload)
        entries, places = [], []
        for n, item in enumerate(payload):
            try:
                entries.append(_prepare(request, item))
                places.append(n)
            except HttpError as exc:
                items[n] = {
                    "kode_tps": item.kode_tps,
                    "pemilihan": item.pemilihan,
                    "ok": False,
                    "error": str(exc.message),
                }
        results = actions.submit_sheets(by=request.user, entries=entries, source=_source(request))
        for n, entry, result in zip(places, entries, results, strict=True):
            if isinstance(result, actions.Refused):
                items[n] = {
                    "kode_tps": payload[n].kode_tps,
                    "pemilihan": payload[n].pemilihan,
                    "ok": False,
                    "error": result.message,
                }
            else:
                items[n] = {**_answer(entry, result), "ok": True}
        stored = sum(1 for i in items if i and i["ok"])
        return 200, {"stored": stored, "refused": len(payload) - stored, "items": items}

    key = (idempotency_key or "").strip()
    if not key:
        with serialized_writes(), transaction.atomic():
            return submit_all()
    body = [item.model_dump(mode="json") for item in payload]
    try:
        return actions.submit_once(user=request.user, key=key, body=body, submit=submit_all)
    except actions.Refused as exc:
        raise ApiError(422, exc.message, field=exc.field)


@router.api_operation(
    ["GET", "HEAD"],
    "/results/{contest}/{region_code}",
    auth=None,
    response=answers({200: dict, 304: None}, 404, 422),
    summary="Hasil per wilayah (publik; ETag, If-None-Match dijawab 304)",
)
@public
def get_results(request, contest: Text, region_code: str, response: HttpResponse):
    etag = results.public_etag(contest, region_code, page=False)
    if etag is not None:
        response["ETag"] = f'"{etag}"'
        response["Cache-Control"] = results.PUBLIC_CACHE_CONTROL
        if response["ETag"] in request.headers.get("If-None-Match", ""):
            return 304, None
    contest_obj = get_object_or_404(Contest.objects.select_related("region"), code=contest)
    try:
        region = Region.objects.get(code=normalize_region_code(region_code))
    except (CodeError, Region.DoesNotExist):
        raise ApiError(404, _("Wilayah tidak ditemukan."))
    if not contest_obj.region.contains(region):
        raise ApiError(404, _("Wilayah ini tidak ikut pemilihan tersebut."))
    return results.region_result(contest_obj, region)


@router.get(
    "/tally-sheets/{contest}/{tps_code}",
    response=answers({200: SheetOut}, 401, 403, 404, 422),
    summary="C.Hasil terakhir satu TPS",
)
@api_requires("tally.view")
def get_sheet(request, contest: Text, tps_code: str):
    try:
        tps = Tps.objects.get(code=normalize_tps_code(tps_code))
    except (CodeError, Tps.DoesNotExist):
        raise ApiError(404, _("TPS tidak ditemukan."))
    api_require_object(request.user, "tally.view", tps)
    sheet = get_object_or_404(TallySheet.objects.select_related("latest", "contest"), contest__code=contest, tps=tps)
    v = sheet.latest
    return {
        "kode_tps": tps.code,
        "pemilihan": contest,
        "versi": v.number,
        "status": sheet.status,
        "verified": sheet.verified,
        "problems": rules.described(v.problems),
        "hash": v.hash,
    }


# --- checkpoints of the hash chain (public) -------------------------------------------------


class CheckpointOut(Schema):
    id: int
    contest: str
    at: str
    chains: int
    versions: int
    last_version_id: int
    root: str
    prev_root: str
    key_id: str
    signature: str = Field(..., description="Ed25519 atas `message`, base64")
    message: str = Field(..., description="JSON kanonik yang ditandatangani, persis byte demi byte")


class CheckpointListOut(Schema):
    contest: str
    public_key: str
    key_id: str
    checkpoints: list[CheckpointOut]


class HeadOut(Schema):
    tps: str
    version: int
    hash: str


class CheckpointDetailOut(CheckpointOut):
    public_key: str
    heads: list[HeadOut] = Field(..., description="ujung rantai setiap TPS yang dilipat menjadi akar, urut kode TPS")


class SigningKeyOut(Schema):
    algorithm: str
    public_key: str = Field(..., description="32 byte kunci publik, base64")
    public_key_pem: str
    key_id: str
    development: bool = Field(..., description="true: kunci pengembangan yang diketahui umum, bukan kunci produksi")


def _checkpoint_out(cp) -> dict:
    return {
        "id": cp.pk,
        "contest": cp.contest.code,
        "at": cp.at.isoformat(),
        "chains": cp.chains,
        "versions": cp.versions,
        "last_version_id": cp.last_version_id,
        "root": cp.root,
        "prev_root": cp.prev_root,
        "key_id": cp.key_id,
        "signature": cp.signature,
        "message": cp.message().decode(),
    }


@router.get(
    "/tally-checkpoints/{contest}",
    response=answers({200: CheckpointListOut}, 404, 422),
    auth=None,
    summary="Checkpoint rantai C.Hasil satu pemilihan, terbaru dulu (publik)",
)
@public
def list_checkpoints(request, contest: Text):
    """Every checkpoint ever published for the contest (none is ever changed or removed)."""
    contest_obj = get_object_or_404(Contest, code=contest)
    rows = ChainCheckpoint.objects.filter(contest=contest_obj).select_related("contest").defer("heads")
    return {
        "contest": contest_obj.code,
        "public_key": chain.public_key_b64(),
        "key_id": chain.key_id(),
        "checkpoints": [_checkpoint_out(cp) for cp in rows],
    }


@router.get(
    "/tally-checkpoints/{contest}/{checkpoint_id}",
    response=answers({200: CheckpointDetailOut}, 404, 422),
    auth=None,
    summary="Satu checkpoint dengan ujung rantai setiap TPS, untuk menghitung akarnya sendiri (publik)",
)
@public
def get_checkpoint(request, contest: Text, checkpoint_id: int):
    cp = get_object_or_404(ChainCheckpoint.objects.select_related("contest"), contest__code=contest, pk=checkpoint_id)
    heads = chain.stored_heads(cp)
    return {
        **_checkpoint_out(cp),
        "public_key": chain.public_key_b64(),
        "heads": [{"tps": code, "version": heads[code][0], "hash": heads[code][1]} for code in sorted(heads)],
    }


@router.get("/tally-signing-key", response=SigningKeyOut, auth=None, summary="Kunci publik checkpoint (publik)")
@public
def get_signing_key(request):
    return {
        "algorithm": "Ed25519",
        "public_key": chain.public_key_b64(),
        "public_key_pem": chain.public_key_pem(),
        "key_id": chain.key_id(),
        "development": chain.is_development_key(),
    }
