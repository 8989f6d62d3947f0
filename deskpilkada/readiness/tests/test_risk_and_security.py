"""Hazards per TPS (BPBD's kelurahan list refined), weather warnings, vulnerability classes and the
security gaps."""

import datetime as dt

import pytest

from deskpilkada import clock
from deskpilkada import testing as make
from deskpilkada.readiness import actions, summary
from deskpilkada.readiness.models import Level
from deskpilkada.tps.models import Tps

KEBON_PEDES = "3271061002028"  # flood-prone kelurahan (BPBD)
BOGOR_BARAT = "3271041001001"  # landslide-prone kelurahan
BOGOR_SELATAN = "3271011001001"  # not listed


def _row(code):
    return summary.readiness_rows(Tps.objects.filter(code=code))[0]


def test_a_tps_takes_the_hazards_of_its_kelurahan_from_bpbd_until_refined(db, persona):
    assert _row(KEBON_PEDES).hazards == {"banjir": Level.MEDIUM} and _row(KEBON_PEDES).risky
    assert _row(BOGOR_SELATAN).hazards == {}
    actions.set_tps_hazard(by=persona("bpbd"), tps=make.tps(KEBON_PEDES), kind="banjir", level=Level.NONE, note="bukit")
    assert _row(KEBON_PEDES).hazards == {} and not _row(KEBON_PEDES).risky
    actions.set_tps_hazard(by=persona("bpbd"), tps=make.tps(BOGOR_SELATAN), kind="angin", level=Level.HIGH)
    assert _row(BOGOR_SELATAN).hazards == {"angin": Level.HIGH}


def test_a_weather_warning_raises_the_risk_of_the_tps_inside_its_area_only(db, persona):
    start = clock.now()
    warning = actions.add_weather_warning(
        by=persona("bpbd"),
        region=make.region("32.71.06"),
        kind="banjir",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        text="Hujan lebat",
    )
    assert _row(KEBON_PEDES).hazards["banjir"] == Level.HIGH and _row(KEBON_PEDES).weather == [warning.pk]
    assert _row(BOGOR_SELATAN).hazards == {} and _row(BOGOR_SELATAN).weather == []
    assert set(warning.tps().values_list("code", flat=True)) == {f"32710610020{n:02d}" for n in (1, 2, 25, 27, 28)}
    with clock.at(start + dt.timedelta(hours=4)):  # over: the risk is BPBD's again
        assert _row(KEBON_PEDES).hazards["banjir"] == Level.MEDIUM


def test_a_weather_warning_needs_a_window_and_a_text(db, persona):
    start = clock.now()
    with pytest.raises(actions.Refused) as refused:
        actions.add_weather_warning(
            by=persona("bpbd"), region=make.region("32.71"), kind="banjir", starts_at=start, ends_at=start, text="x"
        )
    assert refused.value.field == "ends_at"
    with pytest.raises(actions.Refused) as refused:
        actions.add_weather_warning(
            by=persona("bpbd"),
            region=make.region("32.71"),
            kind="banjir",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            text=" ",
        )
    assert refused.value.field == "text"


@pytest.mark.parametrize(
    ("indicators", "score", "klass"),
    [
        ([], 0, "tidak_rawan"),
        (["dptb", "disabilitas"], 2, "tidak_rawan"),
        (["dptb", "basis_paslon"], 3, "rawan"),
        (["konflik", "politik_uang", "basis_paslon"], 8, "sangat_rawan"),
        (["konflik", "politik_uang"], 6, "rawan"),
    ],
)
def test_the_class_follows_the_score_of_the_indicators(db, persona, indicators, score, klass):
    vuln = actions.assess_vulnerability(by=persona("bawaslu"), tps=make.tps(BOGOR_SELATAN), indicators=indicators)
    assert (vuln.score, vuln.klass) == (score, klass)
    assert _row(BOGOR_SELATAN).vuln_class == klass


def test_thresholds_are_data_per_election_and_class_every_tps_again(db, persona):
    actions.assess_vulnerability(
        by=persona("bawaslu"), tps=make.tps(BOGOR_SELATAN), indicators=["konflik", "politik_uang"]
    )
    assert _row(BOGOR_SELATAN).vuln_class == "rawan"
    actions.update_rules(
        by=persona("admin"), election=make.election(), vulnerable_from=2, very_vulnerable_from=5, needs={}
    )
    assert _row(BOGOR_SELATAN).vuln_class == "sangat_rawan"


def test_an_unknown_indicator_is_refused(db, persona):
    with pytest.raises(actions.Refused) as refused:
        actions.assess_vulnerability(by=persona("bawaslu"), tps=make.tps(BOGOR_SELATAN), indicators=["hantu"])
    assert refused.value.field == "indicators"


def test_the_gap_is_what_the_class_needs_less_what_is_assigned(db, persona):
    tps = make.tps(BOGOR_SELATAN)
    row = _row(BOGOR_SELATAN)  # not assessed: needs what a not-vulnerable TPS needs, Linmas from the election
    assert row.needed == {"polri": 1, "tni": 0, "linmas": make.election().linmas_per_tps == 2 and 2}
    assert row.gap == 3
    actions.set_deployment(by=persona("security"), tps=tps, force="polri", count=1, unit="Polsek Bogor Selatan")
    actions.set_deployment(by=persona("security"), tps=tps, force="linmas", count=1)
    assert _row(BOGOR_SELATAN).gap == 1
    actions.assess_vulnerability(by=persona("bawaslu"), tps=tps, indicators=["konflik", "politik_uang", "basis_paslon"])
    row = _row(BOGOR_SELATAN)  # very vulnerable: 2 Polri, 1 TNI, 2 Linmas
    assert row.needed == {"polri": 2, "tni": 1, "linmas": 2} and row.gap == 1 + 1 + 1
    actions.update_rules(
        by=persona("admin"),
        election=make.election(),
        vulnerable_from=3,
        very_vulnerable_from=7,
        needs={"sangat_rawan": {"polri": 1}},
    )
    assert _row(BOGOR_SELATAN).gap == 0 + 1 + 1


def test_gaps_are_totalled_by_kecamatan_and_kelurahan(db, persona):
    rows = summary.readiness_rows(Tps.objects.all())
    by_kecamatan = summary.totals_by(rows, 6)
    assert by_kecamatan["327106"].gap_tps == 5 and by_kecamatan["327104"].gap_tps == 2
    for code in ("3271041001001", "3271041001002"):
        for force, n in (("polri", 1), ("linmas", 2)):
            actions.set_deployment(by=persona("security_kec"), tps=make.tps(code), force=force, count=n)
    by_kelurahan = summary.totals_by(summary.readiness_rows(Tps.objects.all()), 10)
    assert by_kelurahan["3271041001"].gap_tps == 0 and by_kelurahan["3271061002"].gap_persons == 5 * 3


def test_a_deployment_needs_a_count(db, persona):
    with pytest.raises(actions.Refused) as refused:
        actions.set_deployment(by=persona("security"), tps=make.tps(BOGOR_SELATAN), force="polri", count=None)
    assert refused.value.field == "count"


def test_a_risky_tps_without_a_plan_is_listed_until_it_has_one(client_as, persona):
    body = client_as("viewer").get("/kesiapan/rawan-bencana/?tanpa=rencana").content.decode()
    assert "TPS 028 Kebon Pedes" in body
    actions.save_mitigation_plan(
        by=persona("kpu"),
        tps=make.tps(KEBON_PEDES),
        measures="Tenda ditinggikan",
        responsible="PPS",
        due_on=dt.date(2024, 11, 26),
        backup_address="Aula RW 05",
    )
    body = client_as("viewer").get("/kesiapan/rawan-bencana/?tanpa=rencana").content.decode()
    assert "TPS 028 Kebon Pedes" not in body


def test_vulnerability_import_is_all_or_nothing_with_a_row_report(db, persona):
    import io

    from deskpilkada.imports import ImportRejected
    from deskpilkada.readiness.models import TpsVulnerability

    bad = io.BytesIO(b"kode_tps,konflik,dptb\n3271011001001,ya,tidak\n3271011001999,ya,ya\n3271011001002,mungkin,ya\n")
    with pytest.raises(ImportRejected) as rejected:
        actions.import_vulnerability(bad, by=persona("bawaslu"))
    assert [(e.row, e.column) for e in rejected.value.errors] == [(3, "kode_tps"), (4, "konflik")]
    assert not TpsVulnerability.objects.exists()
    good = io.BytesIO(
        b"kode_tps,konflik,politik_uang,basis_paslon\n3271011001001,ya,ya,ya\n32.71.01.1001.002,tidak,,\n"
    )
    result = actions.import_vulnerability(good, by=persona("bawaslu"))
    assert result.assessed == 2 and result.classes == {"sangat_rawan": 1, "tidak_rawan": 1}


def test_an_import_refuses_tps_outside_the_importers_area(client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("rawan.csv", b"kode_tps,konflik\n3271011001001,ya\n")
    response = client_as("bawaslu_kec").post("/kesiapan/kerawanan/impor/", {"file": upload})
    assert "di luar wilayah" in response.content.decode()


def test_counts_per_indicator_as_bawaslu_publishes_them(client_as, persona):
    for code in ("3271011001001", "3271011001002"):
        actions.assess_vulnerability(by=persona("bawaslu"), tps=make.tps(code), indicators=["dptb", "konflik"])
    response = client_as("viewer").get("/kesiapan/kerawanan/")
    counts = {i.code: n for i, n in response.context["indicators"]}
    assert counts["dptb"] == 2 and counts["konflik"] == 2 and counts["sara"] == 0


def test_the_area_totals_match_the_totals_of_every_tps(db, persona):
    """The one-aggregate totals (the province's summary) give what the per-TPS rows give."""
    import dataclasses

    from deskpilkada.readiness.models import TpsState

    kpps = persona("kpps")
    items = {
        "lokasi": "ya",
        "kursi_roda": "ya",
        "perlengkapan": "ya",
        "penerangan": "ya",
        "jarak_sungai": "500",
        "cadangan": "ya",
        "listrik": "ya",
        "sinyal": "baik",
    }
    actions.answer_checklist(by=kpps, tps=make.tps(KEBON_PEDES), answers={**items, "drainase": "ya"})
    actions.answer_checklist(by=None, tps=make.tps("3271061002027"), answers={**items, "sinyal": "lemah"})
    actions.answer_checklist(by=None, tps=make.tps(BOGOR_SELATAN), answers=items)
    actions.answer_checklist(by=None, tps=make.tps("3271011001002"), answers={"lokasi": "ya"})
    actions.save_mitigation_plan(
        by=None,
        tps=make.tps(KEBON_PEDES),
        measures="x",
        responsible="PPS",
        due_on=dt.date(2024, 11, 26),
        backup_address="Aula",
    )
    actions.set_tps_hazard(by=None, tps=make.tps("3271061002001"), kind="banjir", level=Level.NONE)
    actions.assess_vulnerability(
        by=None, tps=make.tps(BOGOR_BARAT), indicators=["konflik", "politik_uang", "basis_paslon"]
    )
    actions.assess_vulnerability(by=None, tps=make.tps(BOGOR_SELATAN), indicators=["dptb"])
    actions.set_deployment(by=None, tps=make.tps(BOGOR_BARAT), force="polri", count=3)
    actions.set_deployment(by=None, tps=make.tps(BOGOR_SELATAN), force="linmas", count=2)
    actions.set_deployment(by=None, tps=make.tps(BOGOR_SELATAN), force="polri", count=1)
    start = clock.now()
    actions.add_weather_warning(
        by=None,
        region=make.region("32.71.01"),
        kind="angin",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        text="x",
        raise_by=2,
    )
    TpsState.objects.filter(tps__code="3271031002001").delete()  # a TPS nobody has touched has no state row
    rows = summary.readiness_rows(Tps.objects.all())
    overall, by_area = summary.area_totals(Tps.objects.all(), 6)
    assert dataclasses.asdict(overall) == dataclasses.asdict(summary.totals(rows))
    assert {k: dataclasses.asdict(v) for k, v in by_area.items()} == {
        k: dataclasses.asdict(v) for k, v in summary.totals_by(rows, 6).items()
    }
    assert overall.ready == 1 and overall.risky == 8  # Bogor Selatan is risky under the wind warning, without a plan
