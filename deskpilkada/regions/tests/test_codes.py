import pytest

from deskpilkada.regions.codes import dotted, kelurahan_of, normalize_region_code, regions_of, undotted


@pytest.mark.parametrize(
    ("plain", "with_dots"),
    [
        ("32", "32"),
        ("3271", "32.71"),
        ("327104", "32.71.04"),
        ("3271041001", "32.71.04.1001"),
        ("3271041001028", "32.71.04.1001.028"),
    ],
)
def test_dotted_and_undotted_undo_each_other_at_every_level(plain, with_dots):
    assert dotted(plain) == with_dots
    assert undotted(with_dots) == plain


def test_dotted_agrees_with_the_normalised_region_code():
    for plain in ("32", "3271", "327104", "3271041001"):
        assert dotted(plain) == normalize_region_code(plain)


def test_the_kelurahan_of_a_tps_is_its_first_ten_digits_dotted():
    assert kelurahan_of("3271061002028") == "32.71.06.1002"


def test_a_tps_lies_in_four_regions_province_first():
    assert regions_of("3271061002028") == ["32", "32.71", "32.71.06", "32.71.06.1002"]


def test_a_region_lies_in_those_above_it_and_itself_dotted_or_not():
    assert regions_of("32.71.04") == ["32", "32.71", "32.71.04"]
    assert regions_of("327104") == ["32", "32.71", "32.71.04"]
    assert regions_of("32") == ["32"]
