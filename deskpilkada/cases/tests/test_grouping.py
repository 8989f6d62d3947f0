"""Near-duplicate grouping on hand-made examples (cases/similarity.py): a hoax reworded anywhere
joins the first report of it; other reports join a case of the same category at the same kelurahan
within 24 hours when their text is similar; and the near misses that must stay apart."""

import datetime as dt

import pytest

from deskpilkada.cases import actions
from deskpilkada.cases.models import Case
from deskpilkada.cases.similarity import HOAX_THRESHOLD, OTHER_THRESHOLD, find_group
from deskpilkada.cases.tests.conftest import (
    BATU_TULIS,
    KEBON_PEDES,
    MENTENG,
    MENTENG_TPS_1,
    MENTENG_TPS_2,
    SINDANG_BARANG,
    wib,
)
from deskpilkada.testing import make_case

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)

CLAIM = "Surat suara di TPS sudah dicoblos untuk paslon nomor 2 sebelum pemungutan, jangan datang ke TPS!"
CLAIM_REWORDED = "BEREDAR: surat suara sudah dicoblos untuk paslon nomor 2 sebelum pemungutan. Jangan datang ke TPS"
CLAIM_OTHER = "Pemungutan suara diundur ke tanggal 4 Desember karena banjir, kata KPU"

BLOCKADE = "Massa memblokir jalan menuju TPS 002 Menteng sejak pukul 07.00, pemilih tidak bisa lewat."
BLOCKADE_REWORDED = "Jalan menuju TPS 002 Menteng diblokir massa sejak pukul 07.00, pemilih tidak bisa lewat"
BALLOT_BOX = "Kotak suara TPS 001 rusak terkena hujan deras, segel sobek."


def _hoax(claim: str, place: str = MENTENG, known: str = "2024-11-27 09:00", **fields) -> Case:
    at = wib(known)
    return make_case(
        "hoax",
        place,
        description=f"Pesan berantai di WhatsApp: {claim}",
        details={"claim": claim, "platform": "whatsapp"},
        occurred_at=at,
        known_at=at,
        **fields,
    )


def _security(text: str, place: str = MENTENG_TPS_2, at: str = "2024-11-27 08:00", category="security") -> Case:
    return make_case(category, place, description=text, occurred_at=wib(at), known_at=wib(at))


# Hoaxes: by the claim's text, anywhere, within 14 days


def test_a_reworded_hoax_reported_elsewhere_joins_the_first_report():
    first = _hoax(CLAIM)
    again = _hoax(CLAIM_REWORDED, place=BATU_TULIS, known="2024-11-27 11:00")  # another kecamatan
    word_for_word = _hoax(CLAIM, place=KEBON_PEDES, known="2024-11-27 12:00")
    assert first.group is None
    assert again.group == first and word_for_word.group == first
    assert set(first.sightings.all()) == {again, word_for_word}


def test_a_hoax_is_grouped_by_its_claim_not_by_the_reporters_words_around_it():
    first = _hoax(CLAIM)
    at = wib("2024-11-27 10:00")
    again = make_case(
        "hoax",
        SINDANG_BARANG,
        description="Tolong dicek, ada yang kirim ini ke grup RT kami tadi pagi.",
        details={"claim": CLAIM_REWORDED},
        occurred_at=at,
        known_at=at,
    )
    assert again.group == first


def test_a_different_claim_does_not_group():
    _hoax(CLAIM)
    assert _hoax(CLAIM_OTHER, known="2024-11-27 10:00").group is None


def test_a_hoax_seen_again_after_14_days_starts_a_new_case():
    _hoax(CLAIM, known="2024-11-10 09:00")
    assert _hoax(CLAIM, known="2024-11-25 09:00").group is None


def test_a_closed_hoax_case_takes_no_new_sightings():
    first = _hoax(CLAIM)
    actions.move(first, "invalid", by=None)
    assert _hoax(CLAIM_REWORDED, known="2024-11-27 10:00").group is None


# Other categories: same category, same kelurahan, within 24 hours, similar text


def test_the_same_incident_reported_twice_at_one_place_groups():
    first = _security(BLOCKADE)
    again = _security(BLOCKADE_REWORDED, place=MENTENG_TPS_2, at="2024-11-27 09:30")
    from_the_kelurahan = _security(BLOCKADE, place=MENTENG, at="2024-11-27 18:00")  # same kelurahan, no TPS
    assert again.group == first and from_the_kelurahan.group == first


def test_the_same_text_in_the_next_kelurahan_does_not_group():
    _security(BLOCKADE, place=MENTENG)
    assert _security(BLOCKADE, place=SINDANG_BARANG, at="2024-11-27 09:00").group is None


def test_the_same_text_more_than_24_hours_apart_does_not_group():
    _security(BLOCKADE, at="2024-11-26 07:00")
    assert _security(BLOCKADE, at="2024-11-27 07:01").group is None
    assert _security(BLOCKADE_REWORDED, at="2024-11-27 08:00").group is not None  # 24 h after the second: joins it


def test_dissimilar_text_at_the_same_place_and_time_does_not_group():
    _security(BLOCKADE)
    assert _security(BALLOT_BOX, at="2024-11-27 08:30").group is None


def test_another_category_at_the_same_place_and_time_does_not_group():
    _security(BLOCKADE)
    assert _security(BLOCKADE, category="other", at="2024-11-27 08:30").group is None


def test_groups_never_chain_a_sighting_of_a_sighting_joins_the_first_case():
    first = _security(BLOCKADE)
    second = _security(BLOCKADE_REWORDED, at="2024-11-27 09:00")
    # Like the second more than the first: still the first's group.
    third = _security(BLOCKADE_REWORDED + " Polsek sudah datang.", at="2024-11-27 10:00")
    assert second.group == first and third.group == first
    assert first.sightings.count() == 2


def test_the_best_match_wins():
    blockade = _security(BLOCKADE)
    box = _security(BALLOT_BOX, place=MENTENG_TPS_1, at="2024-11-27 08:10")
    again = _security("Kotak suara TPS 001 rusak terkena hujan deras.", place=MENTENG_TPS_1, at="2024-11-27 09:00")
    assert again.group == box != blockade


def test_the_thresholds_are_the_documented_ones():
    assert (HOAX_THRESHOLD, OTHER_THRESHOLD) == (85, 75)
    case = _security(BLOCKADE)
    assert find_group(case) is None  # a case is never its own group


def test_the_inbox_shows_a_group_once_with_its_sightings_counted(client_as):
    first = _hoax(CLAIM)
    for n in range(3):
        _hoax(CLAIM_REWORDED, known=f"2024-11-27 1{n}:00")
    page = client_as("comms").get("/kasus/?kategori=hoax").context
    assert [c.pk for c in page["page"]] == [first.pk]
    assert page["page"][0].sighting_count == 3
    assert client_as("comms").get("/kasus/?kategori=hoax&kelompok=semua").context["list"].count == 4
    detail = client_as("comms").get(f"/kasus/{first.pk}/").content.decode()
    assert "3 laporan serupa" in detail


# Taking a sighting out of its group


def test_a_sighting_taken_out_of_its_group_becomes_a_case_with_its_own_deadlines(
    persona, django_capture_on_commit_callbacks
):
    from deskpilkada.audit.models import AuditEntry
    from deskpilkada.notifications.models import Notification

    first = _security(BLOCKADE)
    again = _security(BLOCKADE_REWORDED, at="2024-11-27 08:30")
    assert again.group == first and again.due_at is None
    with django_capture_on_commit_callbacks(execute=True):
        actions.ungroup(again, by=persona("security"), note="Blokade di jalan lain")
    again.refresh_from_db()
    assert again.group is None and again.due_at is not None and again.deadline_name
    assert set(first.sightings.all()) == set()
    entry = AuditEntry.objects.get(action="cases.case_ungrouped")
    assert entry.before == {"group": first.pk} and entry.after["note"] == "Blokade di jalan lain"
    assert Notification.objects.filter(target_id=str(again.pk), kind="cases.new").exists()


def test_a_case_that_is_no_sighting_cannot_be_taken_out_of_a_group():
    first = _security(BLOCKADE)
    with pytest.raises(actions.Refused, match="bukan laporan serupa"):
        actions.ungroup(first, by=None)


def test_a_short_report_sharing_only_a_few_common_words_does_not_group():
    _security(BLOCKADE)
    assert _security("Jalan menuju TPS ramai.", at="2024-11-27 08:30").group is None  # 3 words in common
    assert _security("Blokade jalan menuju TPS 002 Menteng", at="2024-11-27 08:40").group is not None
