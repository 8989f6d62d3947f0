from pathlib import Path

from deskpilkada.imports import ImportCommand
from deskpilkada.regions.actions import import_boundaries


class Command(ImportCommand):
    help = (
        "Impor batas wilayah dari GeoJSON (FeatureCollection, WGS84): tiap fitur Polygon atau MultiPolygon "
        "dengan kode Kemendagri di properti «kode», «code» atau «kode_kemendagri» (32.71.01 atau 327101). "
        "Batas disederhanakan (sekitar 5 m) dan digambar di setiap peta. Semua atau tidak sama sekali: "
        "satu fitur salah membatalkan impor dan semua fitur salah dilaporkan."
    )
    path_help = "berkas GeoJSON (.geojson, .json)"

    def run(self, path, *, by, **options):
        with open(path, "rb") as fh:
            return import_boundaries(fh, by=by, source=Path(path).name).summary()
