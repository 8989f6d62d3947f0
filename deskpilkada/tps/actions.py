"""Audited writes to the TPS register."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from deskpilkada import numbers
from deskpilkada.audit.log import changes, record, record_many, snapshot
from deskpilkada.imports import ImportRejected, RowError, parse_bool, parse_float, parse_int, read_table
from deskpilkada.memo import forget_process_caches
from deskpilkada.regions.codes import CodeError
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps.codes import normalize_tps_code, split_tps_code
from deskpilkada.tps.models import MAX_VOTERS_PER_TPS, Tps

EDITABLE = [
    "address",
    "rt",
    "rw",
    "lat",
    "lon",
    "dpt_male",
    "dpt_female",
    "special_kind",
    "special_place",
    "wheelchair_accessible",
]

# The import/export columns, in order; the first two are required.
COLUMNS = [
    "kode_tps",
    "alamat",
    "rt",
    "rw",
    "lintang",
    "bujur",
    "dpt_laki",
    "dpt_perempuan",
    "tps_khusus",
    "tempat_khusus",
    "akses_kursi_roda",
]
REQUIRED = ["kode_tps", "dpt_laki", "dpt_perempuan"]


class StaleEdit(Exception):
    """Someone else saved the TPS since this form was opened."""


@transaction.atomic
def create_tps(*, by, kelurahan: Region, number: int, **fields) -> Tps:
    tps = Tps(kelurahan=kelurahan, number=number, code=kelurahan.undotted_code + f"{number:03d}", **fields)
    tps.full_clean()
    tps.save()
    record("tps.created", by=by, target=tps, after=snapshot(tps, ["code", *EDITABLE]))
    return tps


@transaction.atomic
def update_tps(*, by, tps: Tps, expected_version: int, **fields) -> Tps:
    """Apply `fields` if nobody saved the TPS since `expected_version`; else raise StaleEdit."""
    current = Tps.objects.select_for_update().get(pk=tps.pk)
    if current.version != expected_version:
        raise StaleEdit
    before = snapshot(current, EDITABLE)
    for name, value in fields.items():
        setattr(current, name, value)
    if not changes(before, snapshot(current, EDITABLE))[1]:
        return current  # nothing changed: nothing to write, nothing to audit
    current.full_clean()
    current.version = F("version") + 1
    current.save(update_fields=[*fields, "version", "updated_at"])
    current.refresh_from_db()
    b, a = changes(before, snapshot(current, EDITABLE))
    record("tps.updated", by=by, target=current, before=b, after=a)
    return current


def template_rows(example: Tps | None = None) -> list[list]:
    """The template's rows under the header: a note, and `example` as it stands in the register.
    Both begin with "#", so an import skips them: the example can never overwrite a real TPS."""
    note = _(
        "# Baris yang diawali # dilewati saat impor. Satu baris per TPS: kode_tps 13 digit "
        "(kode kelurahan + nomor TPS 3 digit), dpt_laki dan dpt_perempuan wajib; "
        "tps_khusus: kosong, lapas, rumah_sakit atau lain; akses_kursi_roda: ya atau tidak."
    )
    if example is None:
        return [[note]]
    row = export_row(example)
    return [[note], ["#" + str(row[0]), *row[1:]]]


def export_row(t: Tps) -> list:
    return [
        t.code,
        t.address,
        t.rt,
        t.rw,
        t.lat if t.lat is not None else "",
        t.lon if t.lon is not None else "",
        t.dpt_male,
        t.dpt_female,
        t.special_kind,
        t.special_place,
        "ya" if t.wheelchair_accessible else "tidak",
    ]


@dataclass
class TpsImportResult:
    created: int
    updated: int
    unchanged: int
    notes: list[int] = field(default_factory=list)  # rows skipped as notes ("#…")

    def summary(self) -> str:
        text = _("%(c)s TPS baru, %(u)s diperbarui, %(n)s tidak berubah") % {
            "c": numbers.number(self.created),
            "u": numbers.number(self.updated),
            "n": numbers.number(self.unchanged),
        }
        if self.notes:
            text += "; " + _("%(n)s baris catatan (diawali #) dilewati") % {"n": numbers.number(len(self.notes))}
        return text


def _parse_row(number: int, row: dict, villages: dict[str, Region], errors: list[RowError]) -> dict | None:
    start = len(errors)

    def field(column, parse):
        try:
            return parse(row.get(column, ""))
        except (ValueError, CodeError) as exc:
            errors.append(RowError(number, column, str(exc)))
            return None

    code = field("kode_tps", normalize_tps_code)
    kelurahan = None
    if code:
        village_code, tps_number = split_tps_code(code)
        kelurahan = villages.get(village_code)
        if kelurahan is None:
            errors.append(
                RowError(number, "kode_tps", _("kelurahan %(k)s tidak ada di daftar wilayah") % {"k": village_code})
            )
        elif tps_number == 0:
            errors.append(RowError(number, "kode_tps", _("nomor TPS tidak boleh 000")))
    male = field("dpt_laki", lambda v: parse_int(v, maximum=MAX_VOTERS_PER_TPS))
    female = field("dpt_perempuan", lambda v: parse_int(v, maximum=MAX_VOTERS_PER_TPS))
    if male is not None and female is not None and male + female > MAX_VOTERS_PER_TPS:
        errors.append(
            RowError(
                number,
                "dpt_laki",
                _("DPT %(n)d melebihi batas %(max)d pemilih per TPS") % {"n": male + female, "max": MAX_VOTERS_PER_TPS},
            )
        )
    lat = field("lintang", lambda v: parse_float(v, minimum=-11.5, maximum=6.5))
    lon = field("bujur", lambda v: parse_float(v, minimum=94.5, maximum=141.5))
    if ("lintang" in row) != ("bujur" in row) or (lat is None) != (lon is None):
        missing = "bujur" if lat is not None or ("lintang" in row and "bujur" not in row) else "lintang"
        errors.append(RowError(number, missing, _("lintang dan bujur diisi bersama-sama, atau keduanya kosong")))
    special = (row.get("tps_khusus") or "").strip().lower()
    if special not in {c for c, _label in Tps.SpecialKind.choices}:
        errors.append(RowError(number, "tps_khusus", _("isi kosong, «lapas», «rumah_sakit» atau «lain»")))
    accessible = field("akses_kursi_roda", parse_bool)
    if len(errors) > start:
        return None
    data = {"code": code, "kelurahan": kelurahan, "number": int(code[10:]), "dpt_male": male, "dpt_female": female}
    # Only the columns the file has: a file without addresses never blanks the addresses.
    present = {
        "alamat": ("address", row.get("alamat", "")[:255]),
        "rt": ("rt", row.get("rt", "")[:5]),
        "rw": ("rw", row.get("rw", "")[:5]),
        "lintang": ("lat", lat),
        "bujur": ("lon", lon),
        "tps_khusus": ("special_kind", special),
        "tempat_khusus": ("special_place", row.get("tempat_khusus", "")[:120]),
        "akses_kursi_roda": ("wheelchair_accessible", bool(accessible)),
    }
    data.update({name: value for column, (name, value) in present.items() if column in row})
    return data


def import_tps(fileobj, *, by, allowed=None) -> TpsImportResult:
    """Create or update TPS from a CSV/Excel file; all-or-nothing with a row report.

    `allowed(kelurahan)` may refuse rows outside the importing user's area.
    """
    villages = {r.code: r for r in Region.objects.filter(level=Level.VILLAGE)}
    errors: list[RowError] = []
    parsed: list[dict] = []
    seen: dict[str, int] = {}
    notes: list[int] = []
    for number, row in read_table(fileobj, required=REQUIRED, optional=COLUMNS, notes=notes):
        data = _parse_row(number, row, villages, errors)
        if data is None:
            continue
        if data["code"] in seen:
            errors.append(
                RowError(
                    number,
                    "kode_tps",
                    _("duplikat: kode yang sama sudah ada di baris %(r)d") % {"r": seen[data["code"]]},
                )
            )
            continue
        if allowed is not None and not allowed(data["kelurahan"]):
            errors.append(RowError(number, "kode_tps", _("TPS di luar wilayah kewenangan Anda")))
            continue
        seen[data["code"]] = number
        parsed.append(data)
    if errors:
        raise ImportRejected(errors)
    if not parsed:
        raise ImportRejected([RowError(0, "", _("Berkas tidak berisi baris data."))])
    result = load_tps(parsed, by=by)
    result.notes = notes
    return result


@transaction.atomic
def load_tps(parsed: list[dict], *, by) -> TpsImportResult:
    """Create or update TPS from checked rows (the import's, or the demo's plan): keyed by code,
    only changed fields written, one audit row per TPS created or changed."""
    existing = {t.code: t for t in Tps.objects.select_for_update().filter(code__in=[d["code"] for d in parsed])}
    new, changed, audit, unchanged = [], [], [], 0
    for data in parsed:
        tps = existing.get(data["code"])
        if tps is None:
            new.append(Tps(**data))
            continue
        before = snapshot(tps, EDITABLE)
        for name in EDITABLE:
            if name in data:
                setattr(tps, name, data[name])
        b, a = changes(before, snapshot(tps, EDITABLE))
        if a:
            tps.version += 1
            changed.append(tps)
            audit.append((tps, b, a))
        else:
            unchanged += 1
    Tps.objects.bulk_create(new, batch_size=1000)
    Tps.objects.bulk_update(changed, [*EDITABLE, "version"], batch_size=1000)
    transaction.on_commit(forget_process_caches)  # bulk writes send no signal (memo.ProcessCache)
    created = list(Tps.objects.filter(code__in=[t.code for t in new]))
    record_many("tps.created", by=by, items=[(t, None, snapshot(t, ["code", *EDITABLE])) for t in created])
    record_many("tps.updated", by=by, items=audit)
    record("tps.imported", by=by, after={"created": len(new), "updated": len(changed), "unchanged": unchanged})
    return TpsImportResult(len(new), len(changed), unchanged)


class RelocationRefused(ValueError):
    """A relocation that cannot be recorded as given; `field` names the input at fault."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def _inside(geometry: dict, lat: float, lon: float) -> bool:
    """Is (lat, lon) inside a GeoJSON Polygon/MultiPolygon (lon, lat)? Even-odd ray casting, holes included."""
    polygons = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        polygons = [polygons]
    for polygon in polygons:
        crossings = 0
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    crossings += 1
        if crossings % 2:
            return True
    return False


def lies_outside_kelurahan(tps: Tps, lat: float | None, lon: float | None) -> bool:
    """Whether a new place lies outside the TPS's kelurahan: by the kelurahan's outline when imported,
    else by the nearest other placed TPS (a point nearer another kelurahan's TPS lies in that kelurahan)."""
    from deskpilkada.regions.models import RegionBoundary

    if lat is None or lon is None:
        return False
    boundary = RegionBoundary.objects.filter(region_id=tps.kelurahan_id).first()
    if boundary is not None:
        return not _inside(boundary.geometry, lat, lon)
    box = 0.02  # about 2 km: the neighbours that can be nearest
    nearby = (
        Tps.objects.exclude(pk=tps.pk)
        .filter(lat__range=(lat - box, lat + box), lon__range=(lon - box, lon + box))
        .values_list("kelurahan_id", "lat", "lon")
    )
    nearest = min(nearby, key=lambda row: (row[1] - lat) ** 2 + (row[2] - lon) ** 2, default=None)
    return nearest is not None and nearest[0] != tps.kelurahan_id


@transaction.atomic
def relocate_tps(
    *,
    by,
    tps: Tps,
    address: str,
    lat: float | None,
    lon: float | None,
    reason: str,
    decided_by: str,
    at=None,
    confirm_outside_kelurahan: bool = False,
):
    """Move the TPS to a new place now: its address and map point change everywhere (the register, the
    public look-up and list, every map), a Relocation keeps both places, and one audit row names both.
    Refused, naming the field, without an address or a reason, with half a point or a point out of range,
    or outside the kelurahan without `confirm_outside_kelurahan`."""
    from deskpilkada import clock
    from deskpilkada.tps.models import Relocation

    address, reason, decided_by = (address or "").strip(), (reason or "").strip(), (decided_by or "").strip()
    if not address:
        raise RelocationRefused(_("Isi alamat tempat baru."), "address")
    if not reason:
        raise RelocationRefused(_("Isi alasan pemindahan TPS."), "reason")
    if (lat is None) != (lon is None):
        raise RelocationRefused(_("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."), "lon")
    if lat is not None and not -11.5 <= lat <= 6.5:
        raise RelocationRefused(_("Lintang di luar wilayah Indonesia (-11,5 sampai 6,5)."), "lat")
    if lon is not None and not 94.5 <= lon <= 141.5:
        raise RelocationRefused(_("Bujur di luar wilayah Indonesia (94,5 sampai 141,5)."), "lon")
    current = Tps.objects.select_for_update().select_related("kelurahan").get(pk=tps.pk)
    outside = lies_outside_kelurahan(current, lat, lon)
    if outside and not confirm_outside_kelurahan:
        raise RelocationRefused(
            _(
                "Tempat baru berada di luar Kelurahan %(k)s. Pastikan pemilih dapat mencapainya, lalu "
                "centang konfirmasi pemindahan ke luar kelurahan."
            )
            % {"k": current.kelurahan.name},
            "confirm_outside_kelurahan",
        )
    when = at or clock.now()
    relocation = Relocation.objects.create(
        tps=current,
        from_address=current.address,
        from_lat=current.lat,
        from_lon=current.lon,
        to_address=address[:255],
        to_lat=lat,
        to_lon=lon,
        reason=reason[:500],
        at=when,
        decided_by=(decided_by or str(by or ""))[:160],
        outside_kelurahan=outside,
        voters_affected=current.dpt,
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    before = {"address": current.address, "lat": current.lat, "lon": current.lon}
    current.address, current.lat, current.lon = address[:255], lat, lon
    current.version = F("version") + 1
    current.save(update_fields=["address", "lat", "lon", "version", "updated_at"])
    current.refresh_from_db()
    record(
        "tps.relocated",
        by=by,
        target=current,
        before=before,
        after={
            "address": current.address,
            "lat": current.lat,
            "lon": current.lon,
            "reason": relocation.reason,
            "decided_by": relocation.decided_by,
            "at": when.isoformat(),
            "outside_kelurahan": outside,
            "voters_affected": relocation.voters_affected,
        },
    )
    return relocation
