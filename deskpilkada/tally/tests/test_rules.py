"""The counting rules, property-based: a sheet that keeps every rule passes; corrupt any one
number of such a sheet and a rule catches it."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from deskpilkada.tally import rules

LIMITS = rules.Limits(Decimal("2.5"), 0, Decimal("1.02"))


@st.composite
def valid_sheets(draw):
    dpt = draw(st.integers(1, 600))
    dptb = draw(st.integers(0, 20))
    dpk = draw(st.integers(0, 20))
    voters_dpt = draw(st.integers(0, dpt))
    bound = int(dpt * Decimal("1.02"))
    voters_dptb = draw(st.integers(0, max(0, min(dptb, bound - voters_dpt))))
    voters_dpk = draw(st.integers(0, max(0, min(dpk, bound - voters_dpt - voters_dptb))))
    dpk = voters_dpk  # DPK voters are listed as they come to vote
    voters = voters_dpt + voters_dptb + voters_dpk
    invalid = draw(st.integers(0, voters))
    valid = voters - invalid
    n = draw(st.integers(2, 6))
    cuts = sorted(draw(st.lists(st.integers(0, valid), min_size=n - 1, max_size=n - 1)))
    votes = [b - a for a, b in zip([0, *cuts], [*cuts, valid], strict=True)]
    received = draw(st.integers(voters, rules.max_ballots(dpt, LIMITS)))
    damaged = draw(st.integers(0, received - voters))
    return rules.balanced_sheet(
        dpt, votes, invalid=invalid, dptb=dptb, voters_dptb=voters_dptb, dpk=dpk, damaged=damaged, received=received
    )


@settings(max_examples=300, deadline=None)
@given(valid_sheets())
def test_any_sheet_that_keeps_the_rules_passes(sheet):
    assert rules.check(sheet, LIMITS, registered_dpt=sheet.get("dpt")) == []


@settings(max_examples=400, deadline=None)
@given(valid_sheets(), st.data())
def test_any_single_field_corruption_of_a_valid_sheet_is_caught(sheet, data):
    # DPTb is the one number the form does not pin down: any value from its voters up is consistent,
    # so a changed DPTb can only be caught against the DPTb register (pindah memilih), which the
    # voters module will hold. DPTb below its own voters is caught (test_dptb_below_its_voters_is_caught).
    keys = [k for k in rules.FIELD_KEYS if k != "dptb"] + [rules.vote_key(n) for n in sheet.votes]
    registered = sheet.get("dpt")
    key = data.draw(st.sampled_from(keys))
    delta = data.draw(st.integers(-1000, 1000).filter(lambda d: d != 0))
    if key.startswith("paslon_"):
        n = int(key.split("_")[1])
        sheet.votes[n] += delta
    else:
        sheet.numbers[key] += delta
    problems = rules.check(sheet, LIMITS, registered_dpt=registered)
    assert problems, f"{key} changed by {delta} went unnoticed"


def test_each_rule_names_its_field():
    base = rules.balanced_sheet(500, [100, 190], invalid=10, damaged=3)
    assert (base.get("surat_suara_diterima"), base.get("surat_suara_sisa")) == (513, 210)
    assert rules.check(base, LIMITS) == []
    base.numbers["suara_sah"] = 291
    fields = {p.field for p in rules.check(base, LIMITS)}
    assert "suara_sah" in fields and "surat_suara_digunakan" in fields
    base.numbers["suara_sah"] = 290
    base.numbers["surat_suara_diterima"] = 600
    base.numbers["surat_suara_sisa"] = 297
    problems = rules.check(base, LIMITS)
    assert [p.field for p in problems] == ["surat_suara_diterima"]
    assert "513" in problems[0].message  # 500 + 2.5 % rounded up


def test_a_sirekap_style_misread_is_caught_by_the_plausibility_bound():
    sheet = rules.Sheet(
        numbers={
            "dpt": 229,
            "dptb": 0,
            "dpk": 0,
            "pengguna_dpt": 4695,
            "pengguna_dptb": 0,
            "pengguna_dpk": 0,
            "surat_suara_diterima": 235,
            "surat_suara_digunakan": 4695,
            "surat_suara_rusak": 0,
            "surat_suara_sisa": 0,
            "suara_sah": 4695,
            "suara_tidak_sah": 0,
        },
        votes={1: 4695},
    )
    messages = " ".join(p.message for p in rules.check(sheet, LIMITS))
    assert "batas kewajaran" in messages and "melebihi" in messages


def test_negative_numbers_are_named():
    sheet = rules.Sheet(numbers=dict.fromkeys(rules.FIELD_KEYS, 0), votes={1: -5, 2: 5})
    assert [p.field for p in rules.check(sheet, LIMITS)] == ["paslon_1"]


def test_dptb_below_its_voters_is_caught():
    sheet = rules.Sheet(
        numbers={
            "dpt": 10,
            "dptb": 1,
            "dpk": 0,
            "pengguna_dpt": 5,
            "pengguna_dptb": 2,
            "pengguna_dpk": 0,
            "surat_suara_diterima": 11,
            "surat_suara_digunakan": 7,
            "surat_suara_rusak": 0,
            "surat_suara_sisa": 4,
            "suara_sah": 7,
            "suara_tidak_sah": 0,
        },
        votes={1: 7},
    )
    assert [p.field for p in rules.check(sheet, LIMITS)] == ["pengguna_dptb"]
