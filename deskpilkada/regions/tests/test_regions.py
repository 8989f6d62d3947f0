import csv

import pytest

from deskpilkada.audit.models import AuditEntry
from deskpilkada.regions.actions import RegionImportError, import_regions
from deskpilkada.regions.codes import CodeError, normalize_region_code
from deskpilkada.regions.models import Region


@pytest.mark.parametrize(
    ("raw", "dotted"),
    [
        ("32", "32"),
        ("3271", "32.71"),
        ("327104", "32.71.04"),
        ("3271041001", "32.71.04.1001"),
        ("32.71.04.1001", "32.71.04.1001"),
        (" 32.71 ", "32.71"),
    ],
)
def test_it_accepts_dotted_and_kpu_undotted_codes(raw, dotted):
    assert normalize_region_code(raw) == dotted


@pytest.mark.parametrize("raw", ["", "3", "32710", "32.7", "abc", "32-71", "32.71.04.100"])
def test_it_refuses_malformed_codes_with_a_message_in_indonesian(raw):
    with pytest.raises(CodeError, match="tidak valid"):
        normalize_region_code(raw)


def _write(tmp_path, name, header, rows):
    with (tmp_path / name).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def _area_files(tmp_path, village_name="Desa Uji", extra_village=None):
    _write(tmp_path, "provinces.csv", ["code", "name"], [["99", "Provinsi Uji"]])
    _write(tmp_path, "regencies.csv", ["code", "province_code", "name"], [["99.01", "99", "Kota Uji"]])
    _write(tmp_path, "districts.csv", ["code", "regency_code", "name"], [["99.01.01", "99.01", 'Kecamatan, "Uji"']])
    villages = [["99.01.01.2001", "99.01.01", village_name]] + ([extra_village] if extra_village else [])
    _write(tmp_path, "villages.csv", ["code", "district_code", "name"], villages)


def test_rerunning_the_import_renames_and_adds_but_never_duplicates(db, tmp_path):
    _area_files(tmp_path)
    first = import_regions(tmp_path, by=None, progress=False)
    assert first.created == 4
    assert Region.objects.get(code="99.01.01").name == 'Kecamatan, "Uji"'
    _area_files(tmp_path, village_name="Desa Uji Baru", extra_village=["99.01.01.1002", "99.01.01", "Kelurahan Dua"])
    second = import_regions(tmp_path, by=None, progress=False)
    assert (second.created, second.renamed, second.unchanged) == (1, 1, 3)
    assert Region.objects.filter(code__startswith="99").count() == 5
    assert Region.objects.get(code="99.01.01.2001").name == "Desa Uji Baru"
    assert Region.objects.get(code="99.01.01.1002").parent.code == "99.01.01"
    assert AuditEntry.objects.filter(action="regions.imported").count() >= 2


def test_a_bad_row_rejects_the_whole_import_and_names_file_row_and_column(db, tmp_path):
    _area_files(tmp_path, extra_village=["99.01.01.X", "99.01.01", "Rusak"])
    with pytest.raises(RegionImportError) as exc:
        import_regions(tmp_path, by=None, progress=False)
    assert any("villages.csv baris 3, kolom code" in e for e in exc.value.errors)
    assert not Region.objects.filter(code__startswith="99").exists()


def test_prefix_imports_only_that_region_its_ancestors_and_descendants(db, tmp_path):
    _area_files(tmp_path)
    _write(
        tmp_path,
        "regencies.csv",
        ["code", "province_code", "name"],
        [["99.01", "99", "Kota Uji"], ["99.02", "99", "Kab Lain"]],
    )
    import_regions(tmp_path, by=None, prefix="9901", progress=False)
    assert Region.objects.filter(code="99").exists()
    assert not Region.objects.filter(code="99.02").exists()
    assert Region.objects.filter(code="99.01.01.2001").exists()


def test_demo_regions_are_the_real_kota_bogor(db):
    city = Region.objects.get(code="32.71")
    assert city.name == "Kota Bogor"
    assert Region.objects.kecamatan().filter(code__startswith="32.71.").count() == 6
    assert Region.objects.kelurahan().filter(code__startswith="32.71.").count() == 68
    assert Region.objects.within(city).count() == 1 + 6 + 68


def test_region_page_lists_children_with_tps_and_dpt(client_as):
    from deskpilkada import testing as make
    from deskpilkada.tps.models import Tps

    for n in range(1, 351):  # Bogor Barat: the world's two TPS and 350 more, 401 voters each
        make.make_tps("32.71.04.1002", n, dpt_male=200, dpt_female=201)
    bogor_barat = Tps.objects.filter(code__startswith="327104")
    count, dpt = bogor_barat.count(), sum(t.dpt for t in bogor_barat)
    assert (count, dpt) == (352, 2 * 250 + 350 * 401)
    response = client_as("viewer").get("/wilayah/3271/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bogor Barat" in body and "352" in body
    row = next(c for c in response.context["children"] if c["region"].code == "32.71.04")
    assert (row["tps"], row["dpt"]) == (count, dpt)


def test_a_region_page_costs_the_same_few_queries_however_many_kelurahan(client_as, django_assert_max_num_queries):
    c = client_as("viewer")
    with django_assert_max_num_queries(12):
        assert c.get("/wilayah/32.71.06/").status_code == 200  # 11 kelurahan, hazards prefetched
