"""Audited writes to the region register."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from deskpilkada import numbers
from deskpilkada.audit.log import record, record_many
from deskpilkada.progress import Progress
from deskpilkada.regions.boundaries import geometry_fingerprint, read_outlines
from deskpilkada.regions.codes import CodeError, normalize_region_code
from deskpilkada.regions.models import Level, Region, RegionBoundary, RegionHazard

# The idn-area-data files, in the order parents come before children.
FILES = (
    (Level.PROVINCE, "provinces.csv", None),
    (Level.REGENCY, "regencies.csv", "province_code"),
    (Level.DISTRICT, "districts.csv", "regency_code"),
    (Level.VILLAGE, "villages.csv", "district_code"),
)


class RegionImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class RegionImportResult:
    created: int = 0
    renamed: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return _("%(c)s wilayah baru, %(r)s berganti nama, %(u)s tetap") % {
            "c": numbers.number(self.created),
            "r": numbers.number(self.renamed),
            "u": numbers.number(self.unchanged),
        }


def _read(directory: Path, level: int, filename: str, parent_col: str | None, prefix: str, errors: list):
    path = directory / filename
    if not path.exists():
        errors.append(f"{filename}: berkas tidak ditemukan di {directory.name}/")
        return []
    rows = []
    with path.open(newline="", encoding="utf-8") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), start=2):
            try:
                code = normalize_region_code(row["code"])
            except (CodeError, KeyError) as exc:
                errors.append(f"{filename} baris {lineno}, kolom code: {exc}")
                continue
            if code.count(".") + 1 != level:
                errors.append(f"{filename} baris {lineno}, kolom code: «{code}» bukan kode tingkat ini")
                continue
            if prefix and not (code.startswith(prefix) or prefix.startswith(code + ".") or code == prefix):
                continue
            name = (row.get("name") or "").strip()
            if not name:
                errors.append(f"{filename} baris {lineno}, kolom name: nama kosong")
                continue
            parent = normalize_region_code(row[parent_col]) if parent_col else None
            rows.append((code, name, parent))
    return rows


def import_regions(directory: Path, *, by, prefix: str = "", progress: bool = True) -> RegionImportResult:
    """Create or rename regions from the idn-area-data CSVs; never duplicates a code.

    With `prefix` (e.g. `32.71`), only that region, its ancestors and its descendants are taken.
    All-or-nothing: any bad row and nothing is written.
    """
    prefix = normalize_region_code(prefix) if prefix else ""
    errors: list[str] = []
    levels = [(level, _read(Path(directory), level, f, col, prefix, errors)) for level, f, col in FILES]
    if errors:
        raise RegionImportError(errors)
    total = sum(len(rows) for _, rows in levels)
    bar = Progress("Impor wilayah", total) if progress else None
    result = RegionImportResult()
    with transaction.atomic():
        existing = {code: (pk, name) for pk, code, name in Region.objects.values_list("pk", "code", "name")}
        for level, rows in levels:
            new, renamed = [], []
            for code, name, parent_code in rows:
                if parent_code and parent_code not in existing:
                    errors.append(f"{code}: induk {parent_code} tidak ada")
                    continue
                parent_id = existing[parent_code][0] if parent_code else None
                if code not in existing:
                    new.append(Region(code=code, name=name, level=level, parent_id=parent_id))
                elif existing[code][1] != name:
                    renamed.append(Region(pk=existing[code][0], name=name))
                else:
                    result.unchanged += 1
            if errors:
                raise RegionImportError(errors)
            Region.objects.bulk_create(new, batch_size=2000)
            Region.objects.bulk_update(renamed, ["name"], batch_size=2000)
            result.created += len(new)
            result.renamed += len(renamed)
            existing.update(
                {
                    code: (pk, name)
                    for pk, code, name in Region.objects.filter(level=level).values_list("pk", "code", "name")
                }
            )
            if bar:
                bar.advance(len(rows))
        record(
            "regions.imported",
            by=by,
            target_repr=f"{Path(directory).name} {prefix}".strip(),
            after={"created": result.created, "renamed": result.renamed, "prefix": prefix},
        )
    if bar:
        bar.finish()
    return result


@transaction.atomic
def set_region_location(*, by, region: Region, lat: float, lon: float) -> None:
    """The representative point of a region (map labels, the map's centre)."""
    if (region.lat, region.lon) == (lat, lon):
        return
    before = {"lat": region.lat, "lon": region.lon}
    region.lat, region.lon = lat, lon
    region.save(update_fields=["lat", "lon"])
    record("regions.location_set", by=by, target=region, before=before, after={"lat": lat, "lon": lon})


@transaction.atomic
def add_hazard(*, by, region: Region, kind: str, source: str = "") -> RegionHazard:
    """List `region` as prone to `kind` (BPBD's lists); a hazard already listed keeps its row,
    and only a changed source is written."""
    if kind not in RegionHazard.Kind.values:
        raise ValueError(f"unknown hazard kind {kind!r}")
    source = source[:300]
    hazard = RegionHazard.objects.select_for_update().filter(region=region, kind=kind).first()
    if hazard is None:
        hazard = RegionHazard.objects.create(region=region, kind=kind, source=source)
        record(
            "regions.hazard_added", by=by, target=hazard, after={"region": region.code, "kind": kind, "source": source}
        )
    elif hazard.source != source:
        before = {"source": hazard.source}
        hazard.source = source
        hazard.save(update_fields=["source"])
        record("regions.hazard_updated", by=by, target=hazard, before=before, after={"source": source})
    return hazard


@dataclass
class BoundaryImportResult:
    created: int = 0
    replaced: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return _("%(c)s batas wilayah baru, %(r)s diganti, %(u)s tetap") % {
            "c": numbers.number(self.created),
            "r": numbers.number(self.replaced),
            "u": numbers.number(self.unchanged),
        }


def import_boundaries(fileobj, *, by, source: str = "") -> BoundaryImportResult:
    """Set region outlines from a GeoJSON file (format in `regions/boundaries.py`), simplified.

    All-or-nothing: one bad feature and nothing is written; ImportRejected names every bad one."""
    known = dict(Region.objects.values_list("code", "name"))
    outlines = read_outlines(fileobj, known)
    result = BoundaryImportResult()
    with transaction.atomic():
        regions = {r.code: r for r in Region.objects.filter(code__in=[o.code for o in outlines])}
        existing = {
            b.region_id: b for b in RegionBoundary.objects.select_for_update().filter(region__in=regions.values())
        }
        new, changed, audit = [], [], []
        for outline in outlines:
            region = regions[outline.code]
            lat, lon = outline.centroid
            after = {"points": outline.points, "centroid": [round(lat, 6), round(lon, 6)], "sha": outline.fingerprint}
            boundary = existing.get(region.pk)
            if boundary is None:
                boundary = RegionBoundary(region=region)
                new.append(boundary)
                before = None
            elif boundary.geometry == outline.geometry:
                result.unchanged += 1
                continue
            else:
                before = {
                    "points": boundary.points,
                    "centroid": [boundary.centroid_lat, boundary.centroid_lon],
                    "sha": geometry_fingerprint(boundary.geometry),
                }
                changed.append(boundary)
            boundary.geometry, boundary.points = outline.geometry, outline.points
            boundary.centroid_lat, boundary.centroid_lon = lat, lon
            boundary.source = source[:200]
            audit.append((boundary, before, after))
        RegionBoundary.objects.bulk_create(new, batch_size=500)
        RegionBoundary.objects.bulk_update(
            changed, ["geometry", "points", "centroid_lat", "centroid_lon", "source"], batch_size=500
        )
        result.created, result.replaced = len(new), len(changed)
        record_many("regions.boundary_set", by=by, items=audit)
        record(
            "regions.boundaries_imported",
            by=by,
            target_repr=source,
            after={"created": result.created, "replaced": result.replaced, "unchanged": result.unchanged},
        )
    return result
