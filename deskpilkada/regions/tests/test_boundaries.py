"""Region outlines from GeoJSON: the import, its refusals, and what the maps get from it."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from deskpilkada import testing as make
from deskpilkada.audit.models import AuditEntry
from deskpilkada.imports import ImportRejected
from deskpilkada.regions import boundaries
from deskpilkada.regions.actions import import_boundaries
from deskpilkada.regions.boundaries import MAX_POINTS, centroid, check_geometry, simplify
from deskpilkada.regions.maps import label_points, region_features
from deskpilkada.regions.models import Region, RegionBoundary

BOGOR_SELATAN, BOGOR_TIMUR = "32.71.01", "32.71.02"


def square(lon: float, lat: float, size: float = 0.01, step: int = 1) -> dict:
    """A closed square ring from its south-west corner, with `step` points per side."""
    ring = []
    for side in range(4):
        for i in range(step):
            t = i / step
            ring.append(
                [
                    [lon + t * size, lat],
                    [lon + size, lat + t * size],
                    [lon + size - t * size, lat + size],
                    [lon, lat + size - t * size],
                ][side]
            )
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def polygon(*ring) -> dict:
    return {"type": "Polygon", "coordinates": [list(ring)]}


def feature(geometry, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def geojson(*features, **extra) -> io.BytesIO:
    return io.BytesIO(json.dumps({"type": "FeatureCollection", **extra, "features": list(features)}).encode())


def two_kecamatan() -> io.BytesIO:
    """Two squares, one per kecamatan: one code dotted in `kode`, one undotted in `kode_kemendagri`."""
    return geojson(
        feature(square(106.80, -6.64), kode=BOGOR_SELATAN, nama="Bogor Selatan"),
        feature(square(106.82, -6.62, step=50), kode_kemendagri="327102", nama="Bogor Timur"),
    )


def errors_of(fileobj) -> list[str]:
    with pytest.raises(ImportRejected) as info:
        import_boundaries(fileobj, by=None)
    return [str(e) for e in info.value.errors]


def test_it_sets_the_outlines_of_two_kecamatan_from_a_small_geojson(db, persona):
    result = import_boundaries(two_kecamatan(), by=persona("kpu"), source="uji.geojson")
    assert (result.created, result.replaced, result.unchanged) == (2, 0, 0)
    selatan = RegionBoundary.objects.get(region__code=BOGOR_SELATAN)
    assert selatan.geometry["type"] == "Polygon" and selatan.points == 5
    assert (round(selatan.centroid_lat, 4), round(selatan.centroid_lon, 4)) == (-6.635, 106.805)
    # 200 points on the sides of a square: simplified to its 4 corners (and the closing point).
    assert RegionBoundary.objects.get(region__code=BOGOR_TIMUR).points == 5
    entries = AuditEntry.objects.filter(action="regions.boundary_set")
    assert entries.count() == 2 and entries.filter(area="327101", actor__username="operator.kpu").exists()
    assert AuditEntry.objects.get(action="regions.boundaries_imported").target_repr == "uji.geojson"


def test_reimporting_the_same_file_changes_nothing_and_a_new_outline_replaces_the_old(db):
    import_boundaries(two_kecamatan(), by=None)
    again = import_boundaries(two_kecamatan(), by=None)
    assert (again.created, again.replaced, again.unchanged) == (0, 0, 2)
    moved = import_boundaries(geojson(feature(square(106.81, -6.65), code="327101")), by=None)
    assert (moved.created, moved.replaced) == (0, 1)
    entry = AuditEntry.objects.filter(action="regions.boundary_set").latest("pk")
    assert entry.before["sha"] != entry.after["sha"] and entry.after["points"] == 5


def test_a_multipolygon_with_a_hole_is_accepted_and_its_centroid_weighs_the_parts(db):
    big = square(106.80, -6.64, size=0.02)["coordinates"][0]
    hole = square(106.805, -6.635, size=0.005)["coordinates"][0][::-1]
    island = square(106.85, -6.64, size=0.002)["coordinates"]
    geometry = {"type": "MultiPolygon", "coordinates": [[big, hole], island]}
    import_boundaries(geojson(feature(geometry, KODE=BOGOR_SELATAN)), by=None)
    stored = RegionBoundary.objects.get(region__code=BOGOR_SELATAN)
    assert stored.geometry["type"] == "MultiPolygon" and len(stored.geometry["coordinates"][0]) == 2
    lat, lon = centroid(check_geometry(geometry))
    assert -6.64 < lat < -6.62 and 106.80 < lon < 106.83 and (stored.centroid_lat, stored.centroid_lon) == (lat, lon)


@pytest.mark.parametrize(
    ("features", "expected"),
    [
        ([feature(square(106.8, -6.6), kode="32.71.99")], "Fitur 1 (32.71.99), kode: kode 32.71.99 tidak ada"),
        ([feature(square(106.8, -6.6), nama="Tanpa kode")], "Fitur 1 (Tanpa kode), properties: tidak ada kode"),
        ([feature(square(106.8, -6.6), kode="32-71")], "«32-71» tidak valid"),
        (
            [feature({"type": "LineString", "coordinates": [[106.8, -6.6], [106.9, -6.6]]}, kode=BOGOR_SELATAN)],
            "Fitur 1 (32.71.01 Bogor Selatan), geometry: jenis geometri «LineString» tidak diterima",
        ),
        ([feature(None, kode=BOGOR_SELATAN)], "geometry: fitur tanpa geometri"),
        (
            [feature(polygon([106.8, -6.6], [106.9, -6.6], [106.9, -6.5]), kode="327101")],
            "sedikitnya 4 titik",
        ),
        (
            [feature(polygon(*square(106.8, -6.6)["coordinates"][0][:-1]), kode="327101")],
            "tidak tertutup",
        ),
        ([feature(square(-6.6, 106.8), kode=BOGOR_SELATAN)], "urutannya terbalik"),
        ([feature(square(700000, 9270000, size=100), kode=BOGOR_SELATAN)], "bukan meter"),
        ([feature(polygon(*[["106.8", -6.6]] * 4), kode=BOGOR_SELATAN)], "harus berupa angka"),
        (
            [feature(square(106.8, -6.6), kode=BOGOR_SELATAN), feature(square(106.9, -6.6), code="327101")],
            "Fitur 2 (32.71.01 Bogor Selatan), code: kode yang sama sudah dipakai fitur 1",
        ),
        ([{"type": "Point", "coordinates": [106.8, -6.6]}], "Fitur 1: bukan Feature GeoJSON"),
    ],
)
def test_it_refuses_a_file_with_a_bad_feature_and_names_the_feature_and_the_problem(db, features, expected):
    errors = errors_of(geojson(*features))
    assert any(expected in e for e in errors), errors
    assert not RegionBoundary.objects.exists()


def test_one_bad_feature_refuses_the_whole_file_and_every_bad_feature_is_reported(db):
    errors = errors_of(
        geojson(
            feature(square(106.80, -6.64), kode=BOGOR_SELATAN),
            feature(square(106.8, -6.6), kode="32.71.98"),
            feature({"type": "Point", "coordinates": [106.8, -6.6]}, kode=BOGOR_TIMUR),
        )
    )
    assert [e.split(":")[0] for e in errors] == ["Fitur 2 (32.71.98), kode", "Fitur 3 (32.71.02 Bogor Timur), geometry"]
    assert not RegionBoundary.objects.exists() and not AuditEntry.objects.filter(action__startswith="regions.boundar")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"kode,nama\n32.71.01,Bogor Selatan\n", "bukan JSON yang sah (baris 1, kolom 1)"),
        (b'{"type": "FeatureCollection", "features": [', "bukan JSON yang sah"),
        (b"\xff\xfe{}", "bukan teks UTF-8"),
        (b'{"type": "Topology", "objects": {}}', "bukan GeoJSON"),
        (b'{"type": "FeatureCollection", "features": []}', "tidak berisi fitur"),
        (
            b'{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:32748"}}}',
            "Sistem koordinat «EPSG:32748» tidak diterima",
        ),
    ],
)
def test_it_refuses_a_file_that_is_not_geojson_in_wgs84(db, content, expected):
    errors = errors_of(io.BytesIO(content))
    assert len(errors) == 1 and expected in errors[0], errors


def test_it_refuses_a_file_above_the_upload_limit_and_an_outline_too_detailed_for_a_map(db, settings, monkeypatch):
    settings.UPLOAD_MAX_BYTES = 200
    assert "terlalu besar" in errors_of(two_kecamatan())[0]
    settings.UPLOAD_MAX_BYTES = 20 * 2**20
    # The same check at a tenth of the limit (the simplification of a zigzag of 5,000 points takes seconds).
    limit = MAX_POINTS // 10
    monkeypatch.setattr(boundaries, "MAX_POINTS", limit)
    # A zigzag every point of which is kept by the simplification.
    zigzag = [[106.8 + i * 0.0001, -6.6 + (0.001 if i % 2 else 0)] for i in range(limit + 10)]
    ring = [*zigzag, [106.8 + limit * 0.0001, -6.58], [106.8, -6.58], zigzag[0]]
    errors = errors_of(geojson(feature({"type": "Polygon", "coordinates": [ring]}, kode=BOGOR_SELATAN)))
    assert "terlalu rinci" in errors[0]


def test_simplification_keeps_the_shape_and_a_tiny_ring_whole():
    tiny = square(106.8, -6.6, size=0.00001)["coordinates"][0]
    assert simplify([tuple(p) for p in tiny]) == [tuple(p) for p in tiny]
    bumpy = square(106.8, -6.6, size=0.01, step=20)["coordinates"][0]
    assert len(simplify([tuple(p) for p in bumpy])) == 5


def test_the_command_imports_a_file_and_reports_the_features_it_refuses(db, tmp_path, capsys):
    good, bad = tmp_path / "batas.geojson", tmp_path / "salah.geojson"
    good.write_bytes(two_kecamatan().getvalue())
    bad.write_bytes(geojson(feature(square(106.8, -6.6), kode="32.71.99")).getvalue())
    call_command("import_boundaries", str(good))
    assert "Selesai: 2 batas wilayah baru, 0 diganti, 0 tetap." in capsys.readouterr().out
    with pytest.raises(CommandError, match=r"tidak ada yang disimpan \(1 kesalahan\):\n  Fitur 1 \(32.71.99\)"):
        call_command("import_boundaries", str(bad))


@pytest.fixture
def placed_tps(db):
    """A TPS in every kelurahan of the city, and every TPS placed on the map, as in the demo."""
    make.make_tps_everywhere("32.71")
    make.place_tps("32.71")


def test_a_region_without_a_point_is_labelled_at_its_outline_centroid_else_at_its_tps(placed_tps):
    make.make_tps("32.71.02.1001", 2, lat=-6.6101, lon=106.8302)  # a second TPS of the first kelurahan
    timur = Region.objects.get(code=BOGOR_TIMUR)
    kelurahan = Region.objects.filter(parent=timur).first()
    timur.lat = timur.lon = None
    timur.save(update_fields=["lat", "lon"])
    assert kelurahan.lat is None and kelurahan.tps_set.exists()
    import_boundaries(two_kecamatan(), by=None)
    points = label_points([timur, kelurahan])
    assert (round(points[timur.pk][0], 4), round(points[timur.pk][1], 4)) == (-6.615, 106.825)
    tps = list(kelurahan.tps_set.exclude(lat=None).values_list("lat", flat=True))
    assert len(tps) == 2 and points[kelurahan.pk][0] == pytest.approx(sum(tps) / len(tps), abs=1e-5)
    features = {f["properties"]["code"]: f for f in region_features([timur, kelurahan])}
    assert features[BOGOR_TIMUR]["geometry"]["type"] == "Polygon"
    assert features[BOGOR_TIMUR]["properties"]["label"] == [points[timur.pk][1], points[timur.pk][0]]
    assert features[kelurahan.code]["geometry"] is None and features[kelurahan.code]["properties"]["name"]


def test_every_map_gets_an_imported_outline_with_the_region_names(placed_tps, client, client_as):
    make.make_counted("3271041001001")  # the public results have a count to show
    kebon_pedes = Region.objects.get(code="32.71.06.1002")
    outline = square(106.77, -6.55, size=0.008)
    import_boundaries(
        geojson(feature(square(106.75, -6.60, size=0.03), kode="32.71.04"), feature(outline, kode=kebon_pedes.code)),
        by=None,
    )

    def regions(features):
        return {f["properties"]["code"]: f for f in features if f["properties"]["kind"] == "region"}

    desk = regions(client_as("ppk").get("/tps/peta/data.geojson").json()["features"])
    assert desk["32.71.04"]["geometry"]["type"] == "Polygon" and desk["32.71.04"]["properties"]["name"] == "Bogor Barat"
    invitations = regions(client_as("admin").get("/undangan/peta/data.geojson", {"hari": 1}).json()["features"])
    assert invitations["32.71.04"]["geometry"] and invitations[kebon_pedes.code]["geometry"]
    # Public: the kelurahan page, with its neighbours and its kecamatan, and the city's results.
    page = client.get(f"/cek-tps/kelurahan/{kebon_pedes.code}/")
    around = regions(page.context["map_regions"])
    assert around[kebon_pedes.code]["geometry"] == kebon_pedes.boundary.geometry and "32.71.06" in around
    assert set(around) == {"32.71.06", *Region.objects.filter(parent__code="32.71.06").values_list("code", flat=True)}
    lat, lon = around[kebon_pedes.code]["properties"]["label"][::-1]
    assert (round(lat, 3), round(lon, 3)) == (-6.546, 106.774)  # the centroid of its square
    assert len(page.context["map_points"]) == kebon_pedes.tps_set.exclude(lat=None).count() == 5
    city = client.get("/hasil/pilwalkot-bogor-2024/32.71/").context
    assert regions(city["map_regions"])["32.71.04"]["geometry"]["type"] == "Polygon"
    assert len(city["data"]["children"]) == 6 and all(c["lat"] is not None for c in city["data"]["children"])


def test_results_of_a_kecamatan_place_its_kelurahan_where_their_tps_are(placed_tps, client):
    make.make_counted("3271041001001")
    children = client.get("/hasil/pilwalkot-bogor-2024/32.71.04/").context["data"]["children"]
    kelurahan = Region.objects.filter(parent__code="32.71.04")
    assert {c["code"] for c in children} == set(kelurahan.values_list("code", flat=True))
    assert all(-6.62 < c["lat"] < -6.55 and 106.73 < c["lon"] < 106.80 for c in children)
    assert all(kelurahan.get(code=c["code"]).lat is None for c in children)  # placed by their TPS
