"""The readiness checklist: which answers raise a flag, the warning with its owner and due date, the
history kept when answering again, photos checked by content and size, refusals naming the item."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deskpilkada import clock
from deskpilkada import testing as make
from deskpilkada.audit.transitions import history
from deskpilkada.readiness import actions
from deskpilkada.readiness import rules as ruledata
from deskpilkada.readiness.models import ChecklistAnswer, ReadinessWarning, TpsState

TPS = "3271061002028"


def _items():
    return {i.code: i for i in ruledata.checklist(make.election())}


@pytest.mark.parametrize(
    ("code", "answer", "flags"),
    [
        ("kursi_roda", "tidak", True),
        ("kursi_roda", "ya", False),
        ("jarak_sungai", "49", True),
        ("jarak_sungai", "50", False),
        ("jarak_sungai", "1200", False),
        ("sinyal", "lemah", True),
        ("sinyal", "tidak_ada", True),
        ("sinyal", "baik", False),
        ("lokasi", "tidak", True),
    ],
)
def test_flag_rules_of_the_checklist(db, code, answer, flags):
    item = _items()[code]
    assert item.flags(actions.clean_answer(item, answer)) is flags


@pytest.mark.parametrize(("code", "answer"), [("kursi_roda", "mungkin"), ("jarak_sungai", "dekat"), ("sinyal", "4G")])
def test_an_answer_that_is_not_one_is_refused_naming_the_item(db, persona, code, answer):
    with pytest.raises(actions.Refused) as refused:
        actions.answer_checklist(by=persona("kpps"), tps=make.tps(TPS), answers={code: answer})
    assert refused.value.field == code and "«" in refused.value.message
    assert not ChecklistAnswer.objects.exists()


def test_a_flagged_answer_opens_a_warning_with_its_owner_and_due_date(db, persona):
    result = actions.answer_checklist(
        by=persona("kpps"), tps=make.tps(TPS), answers={"kursi_roda": "tidak", "lokasi": "ya"}
    )
    assert result.answered == 2 and len(result.opened) == 1
    warning = ReadinessWarning.objects.get()
    assert warning.owner_role == "pps" and warning.status == "open"
    assert warning.due_at == clock.now() + dt.timedelta(hours=_items()["kursi_roda"].fix_hours)
    assert TpsState.objects.get(tps__code=TPS).open_warnings == 1


def test_answering_again_keeps_the_history_and_closes_the_warning(db, persona):
    tps = make.tps(TPS)
    actions.answer_checklist(by=persona("kpps"), tps=tps, answers={"kursi_roda": "tidak"})
    actions.answer_checklist(by=persona("pps"), tps=tps, answers={"kursi_roda": "ya"})
    answers = ChecklistAnswer.objects.filter(tps=tps).order_by("pk")
    assert [(a.value, a.current) for a in answers] == [("tidak", False), ("ya", True)]
    warning = ReadinessWarning.objects.get()
    assert warning.status == "resolved" and warning.due_at is None
    assert [s.after for s in history(warning)] == ["resolved"]
    assert TpsState.objects.get(tps=tps).open_warnings == 0


def test_a_second_flag_on_the_same_item_keeps_one_warning(db, persona):
    tps = make.tps(TPS)
    actions.answer_checklist(by=persona("kpps"), tps=tps, answers={"sinyal": "lemah"})
    actions.answer_checklist(by=persona("kpps"), tps=tps, answers={"sinyal": "tidak_ada"})
    assert ReadinessWarning.objects.open().count() == 1
    assert ReadinessWarning.objects.get().answer.value == "tidak_ada"


def test_the_checklist_is_complete_only_with_every_item_that_applies(db, persona):
    from deskpilkada.readiness import summary
    from deskpilkada.tps.models import Tps

    items = _items()
    # Kebon Pedes is on BPBD's flood list: the drainage item applies there, and not in Bogor Selatan.
    flood = {
        c: ("ya" if i.kind != "angka" and i.kind != "pilihan" else "100" if i.kind == "angka" else "baik")
        for c, i in items.items()
    }
    dry = {c: v for c, v in flood.items() if not items[c].flood_prone_only}
    actions.answer_checklist(by=None, tps=make.tps(TPS), answers=dry)
    actions.answer_checklist(by=None, tps=make.tps("3271011001001"), answers=dry)
    rows = {r.code: r for r in summary.readiness_rows(Tps.objects.filter(code__in=[TPS, "3271011001001"]))}
    assert not rows[TPS].complete and rows["3271011001001"].complete
    actions.answer_checklist(by=None, tps=make.tps(TPS), answers={"drainase": "ya"})
    assert summary.readiness_rows(Tps.objects.filter(code=TPS))[0].complete


def test_photos_are_checked_by_content_and_size(db, persona, settings):
    tps = make.tps(TPS)
    fake = SimpleUploadedFile("foto.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(actions.Refused) as refused:
        actions.answer_checklist(by=persona("kpps"), tps=tps, answers={"lokasi": "ya"}, photos={"lokasi": fake})
    assert refused.value.field == "foto_lokasi" and "bukan foto" in refused.value.message
    settings.PHOTO_MAX_BYTES = 10
    big = SimpleUploadedFile("foto.png", make.PNG, content_type="image/png")
    with pytest.raises(actions.Refused, match="terlalu besar"):
        actions.answer_checklist(by=persona("kpps"), tps=tps, answers={"lokasi": "ya"}, photos={"lokasi": big})
    settings.PHOTO_MAX_BYTES = 10 * 2**20
    actions.answer_checklist(
        by=persona("kpps"), tps=tps, answers={"lokasi": "ya"}, photos={"lokasi": SimpleUploadedFile("x.png", make.PNG)}
    )
    assert ChecklistAnswer.objects.get().photo.name.endswith(".png")


def test_the_kpps_fills_the_checklist_of_its_own_tps_only(client_as):
    c = client_as("kpps")
    response = c.post(
        f"/kesiapan/tps/{TPS}/periksa/", {"kursi_roda": "tidak", "catatan_kursi_roda": "Ada tangga tiga anak"}
    )
    assert response.status_code == 302
    assert ReadinessWarning.objects.open().get().tps.code == TPS
    assert c.get("/kesiapan/tps/3271061002027/periksa/").status_code == 403
    assert "Ada tangga" in c.get(f"/kesiapan/tps/{TPS}/").content.decode()


def test_the_form_names_the_item_of_a_wrong_answer(client_as):
    response = client_as("kpps").post(f"/kesiapan/tps/{TPS}/periksa/", {"jarak_sungai": "dekat sekali"})
    assert response.status_code == 200
    assert "isi angka" in response.content.decode()
    assert response.context["form"].errors["jarak_sungai"]


def test_a_checklist_photo_is_shown_inside_the_area_and_refused_outside(client_as, persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("genangan.png", make.PNG, content_type="image/png")
    actions.answer_checklist(
        by=persona("kpps"), tps=make.tps("3271061002028"), answers={"kursi_roda": "tidak"}, photos={"kursi_roda": photo}
    )
    answer = ChecklistAnswer.objects.get(tps__code="3271061002028", current=True, item__code="kursi_roda")
    page = client_as("pps").get("/kesiapan/tps/3271061002028/").content.decode()
    assert f"/kesiapan/foto/{answer.pk}/" in page
    shown = client_as("pps").get(f"/kesiapan/foto/{answer.pk}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert b"".join(shown.streaming_content) == make.PNG and shown["Content-Security-Policy"] == "sandbox"
    assert client_as("ppk").get(f"/kesiapan/foto/{answer.pk}/").status_code == 403  # Bogor Barat's PPK


def test_a_warning_is_closed_by_hand_with_a_note_inside_the_area_only(client_as, persona):
    actions.answer_checklist(by=persona("kpps"), tps=make.tps("3271061002028"), answers={"kursi_roda": "tidak"})
    warning = ReadinessWarning.objects.get(tps__code="3271061002028", status="open")
    page = client_as("pps").get("/kesiapan/tps/3271061002028/").content.decode()
    assert f"/kesiapan/peringatan/{warning.pk}/selesai/" in page
    assert client_as("ppk").post(f"/kesiapan/peringatan/{warning.pk}/selesai/", {"catatan": "x"}).status_code == 403
    assert client_as("viewer").post(f"/kesiapan/peringatan/{warning.pk}/selesai/", {"catatan": "x"}).status_code == 403
    refused = client_as("pps").post(f"/kesiapan/peringatan/{warning.pk}/selesai/", {"catatan": " "}, follow=True)
    assert "Tulis apa yang sudah diperbaiki" in refused.content.decode()
    warning.refresh_from_db()
    assert warning.status == "open"
    client_as("pps").post(f"/kesiapan/peringatan/{warning.pk}/selesai/", {"catatan": "Bidang landai dipasang"})
    warning.refresh_from_db()
    assert warning.status == "resolved" and warning.due_at is None
    assert [h.note for h in history(warning)][-1] == "Bidang landai dipasang"
