"""Region outlines from GeoJSON: reading the file, checking and simplifying each geometry, centroids.

The file is a GeoJSON FeatureCollection in WGS84 (longitude, latitude: RFC 7946). Each feature
names its region by its Kemendagri code in the property `kode`, `code` or `kode_kemendagri`
(dotted `32.71.01` or undotted `327101`) and has a Polygon or MultiPolygon geometry.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from deskpilkada.imports import ImportRejected, RowError
from deskpilkada.regions.codes import CodeError, normalize_region_code

CODE_PROPERTIES = ("kode", "code", "kode_kemendagri")
NAME_PROPERTIES = ("nama", "name")
# Indonesia with a margin: Sabang to Merauke, Miangas to Rote.
LONGITUDE = (94.0, 142.0)
LATITUDE = (-11.5, 6.5)
# Douglas-Peucker tolerance in degrees (about 5 m): unseen at city zoom, most points gone.
TOLERANCE = 0.00005
DECIMALS = 5  # about 1 m
# Per region after simplification: the map payloads stay light.
MAX_POINTS = 5000
WGS84 = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"}


@dataclass(frozen=True)
class FeatureError(RowError):
    """A problem with one feature; `row` is its position in the file (the first is 1)."""

    label: str = ""  # the feature's code or name, when it has one

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        where = _("Fitur %(n)d") % {"n": self.row}
        if self.label:
            where += f" ({self.label})"
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass
class Outline:
    number: int  # the feature's position in the file
    code: str  # dotted
    geometry: dict
    points: int
    centroid: tuple[float, float]  # (lat, lon)

    @property
    def fingerprint(self) -> str:
        return geometry_fingerprint(self.geometry)


def geometry_fingerprint(geometry: dict) -> str:
    """A short digest that tells two outlines apart in the audit log without storing either."""
    return hashlib.sha256(json.dumps(geometry, separators=(",", ":")).encode()).hexdigest()[:16]


def _file_error(message: str) -> ImportRejected:
    return ImportRejected([FeatureError(0, "", message)])


def read_geojson(fileobj, max_bytes: int | None = None) -> list:
    """The features of a GeoJSON file, or ImportRejected naming what is wrong with the file."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    data = fileobj.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _file_error(
            _("Berkas terlalu besar; batasnya %(max)s MB. Sederhanakan batas wilayahnya dulu (mis. dengan mapshaper).")
            % {"max": round(max_bytes / 2**20, 1)}
        )
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _file_error(_("Berkas bukan teks UTF-8: simpan GeoJSON sebagai UTF-8."))
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as exc:
        raise _file_error(
            _("Berkas bukan JSON yang sah (baris %(line)d, kolom %(col)d): %(err)s")
            % {"line": exc.lineno, "col": exc.colno, "err": exc.msg}
        )
    if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Feature"):
        raise _file_error(_("Berkas JSON ini bukan GeoJSON: harus berupa FeatureCollection."))
    crs = doc.get("crs")
    if crs is not None:
        name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
        if name not in WGS84:
            raise _file_error(
                _("Sistem koordinat «%(crs)s» tidak diterima: ekspor ulang dalam WGS84 (EPSG:4326, bujur dan lintang).")
                % {"crs": name or crs}
            )
    features = doc.get("features") if doc["type"] == "FeatureCollection" else [doc]
    if not isinstance(features, list):
        raise _file_error(_("«features» harus berupa daftar fitur."))
    if not features:
        raise _file_error(_("Berkas tidak berisi fitur."))
    return features


def _property(properties: dict, names: tuple[str, ...]) -> tuple[str, object] | None:
    lowered = {str(k).lower(): (k, v) for k, v in properties.items()}
    for name in names:
        if name in lowered and lowered[name][1] not in (None, ""):
            return lowered[name]
    return None


def parse_code(value) -> str:
    """The dotted region code of a feature's code property; ValueError with the reason."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(_("kode wilayah harus berupa teks, mis. «32.71.01» atau «327101»"))
    try:
        return normalize_region_code(str(value))
    except CodeError as exc:
        raise ValueError(str(exc))


def _position(value) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) not in (2, 3):
        raise ValueError(_("setiap titik harus berupa [bujur, lintang]"))
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) for v in value):
        raise ValueError(_("koordinat harus berupa angka"))
    lon, lat = float(value[0]), float(value[1])
    if not (LONGITUDE[0] <= lon <= LONGITUDE[1] and LATITUDE[0] <= lat <= LATITUDE[1]):
        hint = (
            _("urutannya terbalik: GeoJSON menulis bujur dulu, lalu lintang")
            if LONGITUDE[0] <= lat <= LONGITUDE[1] and LATITUDE[0] <= lon <= LATITUDE[1]
            else _("koordinat harus dalam derajat WGS84 (EPSG:4326), bukan meter atau sistem lain")
        )
        raise ValueError(
            _("titik [%(lon)s, %(lat)s] di luar Indonesia: %(hint)s") % {"lon": value[0], "lat": value[1], "hint": hint}
        )
    return lon, lat


def _ring(value) -> list[tuple[float, float]]:
    if not isinstance(value, list):
        raise ValueError(_("setiap cincin poligon harus berupa daftar titik"))
    ring = [_position(p) for p in value]
    if len(ring) < 4:
        raise ValueError(_("cincin poligon harus punya sedikitnya 4 titik (yang terakhir sama dengan yang pertama)"))
    if ring[0] != ring[-1]:
        raise ValueError(_("cincin poligon tidak tertutup: titik terakhir harus sama dengan titik pertama"))
    return ring


def _polygon(value) -> list[list[tuple[float, float]]]:
    if not isinstance(value, list) or not value:
        raise ValueError(_("poligon harus berupa daftar cincin (batas luar, lalu lubang bila ada)"))
    rings = [_ring(r) for r in value]
    if abs(ring_area(rings[0])) == 0:
        raise ValueError(_("batas luar poligon tidak punya luas"))
    return rings


def check_geometry(geometry) -> list[list[list[tuple[float, float]]]]:
    """The polygons of a Polygon or MultiPolygon (each a list of rings); ValueError with the reason."""
    if not isinstance(geometry, dict):
        raise ValueError(_("fitur tanpa geometri"))
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        return [_polygon(coordinates)]
    if kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise ValueError(_("MultiPolygon harus berupa daftar poligon"))
        return [_polygon(p) for p in coordinates]
    raise ValueError(_("jenis geometri «%(kind)s» tidak diterima: hanya Polygon atau MultiPolygon") % {"kind": kind})


def ring_area(ring: list[tuple[float, float]]) -> float:
    """Signed area in square degrees (shoelace); enough to weigh parts of one small region."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def _ring_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """(area, lon, lat) of a ring; the vertex mean for a ring without area."""
    area = ring_area(ring)
    if area == 0:
        n = len(ring) - 1
        return 0.0, sum(p[0] for p in ring[:-1]) / n, sum(p[1] for p in ring[:-1]) / n
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return area, cx / (6 * area), cy / (6 * area)


def centroid(polygons: list[list[list[tuple[float, float]]]]) -> tuple[float, float]:
    """(lat, lon) of the area-weighted centroid: outer rings add, holes subtract."""
    total = sx = sy = 0.0
    for rings in polygons:
        for i, ring in enumerate(rings):
            area, x, y = _ring_centroid(ring)
            weight = abs(area) if i == 0 else -abs(area)
            total += weight
            sx += weight * x
            sy += weight * y
    if total <= 0:
        _area, x, y = _ring_centroid(polygons[0][0])
        return y, x
    return sy / total, sx / total


def _distance(p, a, b) -> float:
    """Distance from p to the segment a–b, in degrees."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def simplify(ring: list[tuple[float, float]], tolerance: float = TOLERANCE) -> list[tuple[float, float]]:
    """Douglas-Peucker on a closed ring, rounded to DECIMALS; a ring that would collapse is kept whole."""
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    # The point farthest from the first splits the ring in two, so that neither half is degenerate.
    far = max(range(1, len(ring) - 1), key=lambda i: math.hypot(ring[i][0] - ring[0][0], ring[i][1] - ring[0][1]))
    keep[far] = True
    stack = [(0, far), (far, len(ring) - 1)]
    while stack:
        start, end = stack.pop()
        best, index = 0.0, -1
        for i in range(start + 1, end):
            d = _distance(ring[i], ring[start], ring[end])
            if d > best:
                best, index = d, i
        if index != -1 and best > tolerance:
            keep[index] = True
            stack += [(start, index), (index, end)]
    out: list[tuple[float, float]] = []
    for point, kept in zip(ring, keep, strict=True):
        rounded = (round(point[0], DECIMALS), round(point[1], DECIMALS))
        if kept and (not out or out[-1] != rounded):
            out.append(rounded)
    if len(out) < 4 or out[0] != out[-1] or ring_area(out) == 0:
        return ring
    return out


def simplified_geometry(polygons) -> tuple[dict, int]:
    """(GeoJSON geometry, number of points) of the simplified polygons."""
    parts = [[[list(p) for p in simplify(ring)] for ring in rings] for rings in polygons]
    points = sum(len(ring) for rings in parts for ring in rings)
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": parts[0]}, points
    return {"type": "MultiPolygon", "coordinates": parts}, points


def read_outlines(fileobj, known: dict[str, str], max_bytes: int | None = None) -> list[Outline]:
    """Every feature checked before anything is written; ImportRejected lists each bad feature.

    `known` maps the dotted codes of the regions on record to their names."""
    errors: list[FeatureError] = []
    outlines: list[Outline] = []
    seen: dict[str, int] = {}
    for number, feature in enumerate(read_geojson(fileobj, max_bytes), start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(FeatureError(number, "", _("bukan Feature GeoJSON")))
            continue
        raw = feature.get("properties")
        properties: dict = raw if isinstance(raw, dict) else {}
        named = _property(properties, NAME_PROPERTIES)
        label = str(named[1])[:60] if named else ""
        found = _property(properties, CODE_PROPERTIES)
        if found is None:
            message = _("tidak ada kode wilayah: isi kode Kemendagri di properti «kode», «code» atau «kode_kemendagri»")
            errors.append(FeatureError(number, "properties", message, label))
            continue
        column, value = found
        try:
            code = parse_code(value)
        except ValueError as exc:
            errors.append(FeatureError(number, column, str(exc), label))
            continue
        if code not in known:
            label = f"{code} {label}".strip()
            errors.append(
                FeatureError(number, column, _("kode %(code)s tidak ada di daftar wilayah") % {"code": code}, label)
            )
            continue
        label = f"{code} {label or known[code]}"
        if code in seen:
            errors.append(
                FeatureError(number, column, _("kode yang sama sudah dipakai fitur %(n)d") % {"n": seen[code]}, label)
            )
            continue
        seen[code] = number
        try:
            polygons = check_geometry(feature.get("geometry"))
        except ValueError as exc:
            errors.append(FeatureError(number, "geometry", str(exc), label))
            continue
        geometry, points = simplified_geometry(polygons)
        if points > MAX_POINTS:
            errors.append(
                FeatureError(
                    number,
                    "geometry",
                    _("terlalu rinci: %(n)d titik setelah disederhanakan, batasnya %(max)d")
                    % {"n": points, "max": MAX_POINTS},
                    label,
                )
            )
            continue
        outlines.append(Outline(number, code, geometry, points, centroid(polygons)))
    if errors:
        raise ImportRejected(errors)
    return outlines
