"""What every map draws of the regions: their names where they belong, their outlines when imported."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Avg, Q, QuerySet

from deskpilkada.regions.models import Level, Region, RegionBoundary
from deskpilkada.tps.models import Tps

# From a TPS to the region of each level it lies in.
TPS_REGION = {
    Level.VILLAGE: "kelurahan_id",
    Level.DISTRICT: "kelurahan__parent_id",
    Level.REGENCY: "kelurahan__parent__parent_id",
    Level.PROVINCE: "kelurahan__parent__parent__parent_id",
}


def label_points(regions: Iterable[Region]) -> dict[int, tuple[float, float]]:
    """Region id -> (lat, lon) for its name on a map: the region's own point, else its outline's
    centroid, else the centre of its TPS (a kelurahan the register placed, with no point of its own)."""
    regions = list(regions)
    points = {r.pk: (r.lat, r.lon) for r in regions if r.lat is not None and r.lon is not None}
    missing = [r for r in regions if r.pk not in points]
    if missing:
        centroids = RegionBoundary.objects.filter(region__in=missing).values_list(
            "region_id", "centroid_lat", "centroid_lon"
        )
        points.update({pk: (lat, lon) for pk, lat, lon in centroids})
        missing = [r for r in missing if r.pk not in points]
    by_level: dict[int, list[int]] = {}
    for r in missing:
        by_level.setdefault(r.level, []).append(r.pk)
    for level, ids in by_level.items():
        link = TPS_REGION[Level(level)]
        rows = (
            Tps.objects.filter(**{f"{link}__in": ids}, lat__isnull=False, lon__isnull=False)
            .values(link)
            .annotate(lat=Avg("lat"), lon=Avg("lon"))
        )
        points.update({row[link]: (round(row["lat"], 6), round(row["lon"], 6)) for row in rows})
    return points


def region_features(regions: Iterable[Region]) -> list[dict]:
    """GeoJSON features of kind "region" for a map: code, name, level and the label point
    ([lon, lat]); the imported outline as the geometry, or no geometry. A region with neither
    point nor outline is left out: there is nowhere to draw it."""
    regions = list(regions)
    points = label_points(regions)
    outlines = dict(RegionBoundary.objects.filter(region__in=regions).values_list("region_id", "geometry"))
    features = []
    for r in regions:
        point = points.get(r.pk)
        if point is None and r.pk not in outlines:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": outlines.get(r.pk),
                "properties": {
                    "kind": "region",
                    "code": r.code,
                    "name": r.name,
                    "level": r.level,
                    "label": [point[1], point[0]] if point else None,
                },
            }
        )
    return features


def neighbourhood(kelurahan: Region) -> QuerySet[Region]:
    """A kelurahan's kecamatan and every kelurahan of it: what a map of one place names around it."""
    return Region.objects.filter(Q(parent_id=kelurahan.parent_id) | Q(pk=kelurahan.parent_id))
