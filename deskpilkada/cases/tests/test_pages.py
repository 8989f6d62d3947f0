"""The case desk's pages: text shown as text (never run), attachments checked by content and served
only to those who may see the case, the staff form, the case page's actions for those who handle
it, the inbox's order, filters, export of exactly the filtered rows and bulk actions only on the
cases the user handles."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deskpilkada.audit.models import AuditEntry
from deskpilkada.cases import actions
from deskpilkada.cases.models import Case, CaseAttachment, CaseComment
from deskpilkada.cases.tests.conftest import BATU_TULIS, KEBON_PEDES, MENTENG, MENTENG_TPS_1, SINDANG_BARANG, wib
from deskpilkada.testing import PNG, make_case

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
ESCAPED = "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# Text is shown as text


def test_html_and_script_in_every_text_field_are_shown_as_text(client_as, persona):
    case = make_case(
        "fraud",
        MENTENG_TPS_1,
        title=f"Judul {SCRIPT}",
        description=f"Uraian {SCRIPT}",
        details={"parties": f"Pihak {SCRIPT}", "witnesses": SCRIPT},
        reporter_name=SCRIPT,
        reporter_contact=SCRIPT,
    )
    actions.add_comment(case, by=persona("bawaslu"), text=f"Catatan {SCRIPT}")
    actions.move(case, "verified", by=persona("bawaslu"), note=f"Alasan {SCRIPT}")
    client = client_as("bawaslu")
    for url in (f"/kasus/{case.pk}/", "/kasus/", "/kasus/?q=Judul"):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "onerror=alert(1)>" not in body, url
        assert ESCAPED in body, url
    assert client.get(f"/kasus/{case.pk}/").content.decode().count(ESCAPED) >= 6


def test_a_clarification_with_html_is_shown_as_text_on_its_page_and_feed(client, persona):
    case = make_case("hoax", MENTENG, details={"claim": f"Klaim {SCRIPT}", "verdict": "hoax"})
    item = actions.publish_clarification(
        case,
        by=persona("comms"),
        title=f"Bukan begitu {SCRIPT}",
        text=f"Faktanya demikian. {SCRIPT}",
        claim=f"Klaim beredar {SCRIPT}",
    )
    for url in ("/klarifikasi/", f"/klarifikasi/{item.pk}/"):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and ESCAPED in body, url
    feed = client.get("/klarifikasi/feed.xml").content.decode()
    assert "<script>" not in feed and "&lt;script&gt;" in feed


# Attachments


def _upload(content: bytes, name: str = "bukti.png", kind: str = "image/png"):
    return SimpleUploadedFile(name, content, content_type=kind)


def test_an_attachment_is_checked_by_its_content(media):
    case = make_case("fraud", MENTENG_TPS_1)
    assert actions.add_attachment(case, by=None, upload=_upload(PNG)).content_type == "image/png"
    assert actions.add_attachment(case, by=None, upload=_upload(PDF, "bukti.pdf", "application/pdf")).content_type == (
        "application/pdf"
    )
    for content, name, kind in (
        (b"<html><script>alert(1)</script></html>", "foto.png", "image/png"),  # a page dressed as a photo
        (b"MZ\x90\x00\x03", "surat.pdf", "application/pdf"),
        (b"GIF89a\x01\x00\x01\x00", "animasi.gif", "image/gif"),
        (b"nama,nik\nBudi,3271\n", "data.csv", "text/csv"),
    ):
        with pytest.raises(actions.Refused) as refused:
            actions.add_attachment(case, by=None, upload=_upload(content, name, kind))
        assert refused.value.field == "file" and "foto" in refused.value.message
    assert case.attachments.count() == 2


def test_an_attachment_over_10_mb_is_refused(media):
    case = make_case("fraud", MENTENG_TPS_1)
    with pytest.raises(actions.Refused) as refused:
        actions.add_attachment(case, by=None, upload=_upload(PDF + b"0" * (10 * 2**20), "besar.pdf"))
    assert "10 MB" in refused.value.message
    with pytest.raises(actions.Refused):
        actions.add_attachment(case, by=None, upload=_upload(PNG + b"0" * (10 * 2**20)))
    assert not CaseAttachment.objects.exists()


def test_the_case_page_refuses_a_file_that_is_not_an_image_or_pdf(client_as, media):
    case = make_case("fraud", MENTENG_TPS_1)
    response = client_as("bawaslu").post(
        f"/kasus/{case.pk}/aksi/",
        {"aksi": "attach", "file": _upload(b"#!/bin/sh\nrm -rf /\n", "foto.jpg")},
        follow=True,
    )
    assert "Lampiran harus foto (JPEG, PNG, WebP) atau PDF" in response.content.decode()
    assert not CaseAttachment.objects.exists()


@pytest.mark.parametrize(
    ("who", "served"),
    [
        ("bawaslu", True),
        ("bawaslu_kec", True),
        ("camat", True),
        ("viewer", True),
        ("security", False),
        ("comms", False),
        ("lurah", False),
        ("kpps", False),
    ],
)
def test_an_attachment_is_served_only_to_those_who_may_see_the_case(client_as, media, who, served):
    case = make_case("fraud", MENTENG_TPS_1)
    item = actions.add_attachment(case, by=None, upload=_upload(PNG))
    response = client_as(who).get(f"/kasus/lampiran/{item.pk}/")
    if served:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Security-Policy"] == "sandbox"
    else:
        assert response.status_code == 404


def test_an_attachment_is_not_served_without_signing_in(client, media):
    item = actions.add_attachment(make_case("fraud", MENTENG_TPS_1), by=None, upload=_upload(PNG))
    response = client.get(f"/kasus/lampiran/{item.pk}/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


# The staff form


def _staff_form(**changes):
    data = {
        "category": "security",
        "title": "Blokade jalan",
        "description": "Massa memblokir jalan menuju TPS 001 Menteng.",
        "place_code": MENTENG_TPS_1,
        "occurred_at": "2024-11-27T09:00",
        "known_at": "",
        "severity": "high",
        "reporter_name": "Pak RT",
        "reporter_contact": "0811-000-111",
        "d_kind": "blockade",
        "d_personnel": "12",
        "d_voting_disrupted": "on",
    }
    data.update(changes)
    return data


def test_the_staff_form_records_a_case_with_its_details(client_as):
    response = client_as("security_kec").post("/kasus/baru/", _staff_form())
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kasus/{case.pk}/"
    assert (case.category, case.severity, case.title, case.source) == ("security", "high", "Blokade jalan", "staff")
    assert case.details == {"kind": "blockade", "personnel": 12, "voting_disrupted": True}
    assert case.created_by.username == "polsek.bogorbarat"


def test_the_staff_form_names_the_field_it_refuses(client_as):
    response = client_as("security_kec").post("/kasus/baru/", _staff_form(place_code=KEBON_PEDES))
    assert response.status_code == 200
    assert response.context["form"].errors["place_code"] == ["Tempat kejadian di luar wilayah kewenangan Anda."]
    response = client_as("security").post("/kasus/baru/", _staff_form(d_kind="alien"))
    assert "d_kind" in response.context["form"].errors
    assert not Case.objects.exists()


def test_the_staff_form_with_a_refused_attachment_keeps_no_case(client_as, media):
    response = client_as("security").post("/kasus/baru/", _staff_form(attachment=_upload(b"<html>", "foto.png")))
    assert response.status_code == 200 and response.context["form"].errors
    assert not Case.objects.exists()


def test_the_staff_form_asks_the_details_of_the_category_chosen(client_as):
    body = client_as("comms").get("/kasus/baru/?kategori=hoax").content.decode()
    assert 'name="d_claim"' in body and 'name="d_platform"' in body and 'name="d_kind"' not in body


# The case page's actions


def test_those_who_see_but_do_not_handle_may_comment_but_not_act(client_as):
    case = make_case("fraud", MENTENG_TPS_1)
    camat = client_as("camat")
    page = camat.get(f"/kasus/{case.pk}/").content.decode()
    assert 'value="status"' not in page and "tidak menanganinya" not in page
    response = camat.post(f"/kasus/{case.pk}/aksi/", {"aksi": "status", "to": "verified"}, follow=True)
    assert "tidak menanganinya" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "new"
    camat.post(f"/kasus/{case.pk}/aksi/", {"aksi": "comment", "text": "Sudah kami cek.", "hasil": "on"})
    comment = CaseComment.objects.get(case=case)
    assert comment.text == "Sudah kami cek." and not comment.is_outcome  # only a handler marks the outcome


def test_a_handler_works_a_case_from_its_page(client_as, persona):
    case = make_case("fraud", MENTENG_TPS_1)
    client = client_as("bawaslu")
    page = client.get(f"/kasus/{case.pk}/").content.decode()
    assert 'value="verified"' in page and 'value="closed"' not in page  # only the allowed steps
    client.post(f"/kasus/{case.pk}/aksi/", {"aksi": "status", "to": "verified", "versi": case.version})
    client.post(f"/kasus/{case.pk}/aksi/", {"aksi": "assign", "petugas": persona("bawaslu_kec").pk})
    client.post(f"/kasus/{case.pk}/aksi/", {"aksi": "info", "note": "Mohon foto amplop."})
    client.post(f"/kasus/{case.pk}/aksi/", {"aksi": "comment", "text": "Terbukti.", "hasil": "on"})
    case.refresh_from_db()
    assert case.status == "assigned" and case.assigned_to == persona("bawaslu_kec") and case.info_requested
    assert CaseComment.objects.get(case=case).is_outcome


def test_a_stale_form_is_refused_on_the_page(client_as):
    case = make_case("fraud", MENTENG_TPS_1)
    actions.move(case, "verified", by=None)
    response = client_as("bawaslu").post(
        f"/kasus/{case.pk}/aksi/", {"aksi": "status", "to": "invalid", "versi": 1}, follow=True
    )
    assert "baru saja diubah orang lain" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "verified"


# The inbox


def test_the_inbox_puts_what_needs_me_first(client_as):
    late = make_case("security", MENTENG, occurred_at=wib("2024-11-25 09:00"), known_at=wib("2024-11-25 09:00"))
    soon = make_case("security", MENTENG, severity="critical")
    later = make_case("security", MENTENG, severity="low")
    medium = make_case("security", MENTENG)
    done = actions.move(make_case("security", MENTENG), "invalid", by=None)
    rows = [c.pk for c in client_as("security").get("/kasus/").context["page"]]
    assert rows == [late.pk, soon.pk, medium.pk, later.pk]
    assert done.pk in [c.pk for c in client_as("security").get("/kasus/?status=semua").context["page"]]


def test_the_inbox_filters(client_as, persona):
    mine = make_case("fraud", MENTENG_TPS_1, severity="high")
    actions.assign(mine, by=None, user=persona("bawaslu"))
    other = make_case("fraud", BATU_TULIS)
    asn = make_case("asn", SINDANG_BARANG)
    client = client_as("bawaslu")

    def pks(query):
        return {c.pk for c in client.get(f"/kasus/?{query}").context["page"]}

    assert pks("kategori=asn") == {asn.pk}
    assert pks("wilayah=32.71.01") == {other.pk}
    assert pks("tingkat=high") == {mine.pk}
    assert pks("status=assigned") == {mine.pk}
    assert pks("saya=ya") == {mine.pk, other.pk, asn.pk}  # mine, and what I handle that nobody has yet
    assert pks(f"q={other.tracking_code}") == {other.pk}
    assert pks("dari=2024-11-28") == set()
    assert pks("sampai=2024-11-27") == {mine.pk, other.pk, asn.pk}


def _exported(client, query: str, fmt: str = "csv") -> list[list[str]]:
    response = client.get(f"/kasus/ekspor/{fmt}/?{query}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_holds_exactly_the_filtered_rows_of_every_page(client_as, fmt):
    wanted = {make_case("security", MENTENG_TPS_1).pk for _ in range(53)}  # more than a page of 50
    make_case("security", BATU_TULIS)  # another kecamatan
    make_case("health", MENTENG_TPS_1)  # another category
    actions.move(make_case("security", MENTENG_TPS_1), "invalid", by=None)  # closed
    client = client_as("admin")
    listed = client.get("/kasus/?kategori=security&wilayah=32.71.04").context["list"].count
    rows = _exported(client, "kategori=security&wilayah=32.71.04", fmt)
    assert rows[0][:3] == ["id", "kode_lacak", "kategori"]
    assert {int(r[0]) for r in rows[1:]} == wanted and len(rows) - 1 == listed == 53


def test_the_export_is_scoped_like_the_inbox(client_as):
    inside = make_case("security", MENTENG_TPS_1)
    make_case("security", BATU_TULIS)
    make_case("fraud", MENTENG_TPS_1)
    rows = _exported(client_as("security_kec"), "")
    assert [int(r[0]) for r in rows[1:]] == [inside.pk]


def test_a_bulk_action_acts_only_on_the_cases_the_user_handles(client_as, persona):
    inside = make_case("fraud", MENTENG_TPS_1)
    outside = make_case("fraud", KEBON_PEDES)  # Tanah Sareal: beyond the Panwascam
    not_mine = make_case("security", MENTENG_TPS_1)  # seen by nobody at Bawaslu
    response = client_as("bawaslu_kec").post(
        "/kasus/tindakan/",
        {"aksi": "saya", "pilih": [inside.pk, outside.pk, not_mine.pk], "kembali": "/kasus/?kategori=fraud"},
        follow=True,
    )
    assert response.redirect_chain[0] == ("/kasus/?kategori=fraud", 302)
    assert "1 berhasil, 2 di luar wilayah Anda atau tidak ada." in response.content.decode()
    assert Case.objects.get(pk=inside.pk).assigned_to == persona("bawaslu_kec")
    assert Case.objects.get(pk=outside.pk).assigned_to is None and Case.objects.get(pk=not_mine.pk).assigned_to is None


def test_a_viewer_cannot_act_in_bulk_on_what_it_only_sees(client_as):
    case = make_case("fraud", MENTENG_TPS_1)
    response = client_as("camat").post("/kasus/tindakan/", {"aksi": "status:verified", "pilih": [case.pk]}, follow=True)
    assert "0 berhasil, 1 di luar wilayah Anda atau tidak ada." in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "new"


def test_a_bulk_status_change_goes_through_the_workflow_and_reports_refusals(client_as):
    new = make_case("fraud", MENTENG_TPS_1)
    closed = actions.move(make_case("fraud", MENTENG_TPS_1), "invalid", by=None)
    response = client_as("bawaslu").post(
        "/kasus/tindakan/", {"aksi": "status:verified", "pilih": [new.pk, closed.pk], "catatan": "massal"}, follow=True
    )
    body = response.content.decode()
    assert "1 berhasil, 1 ditolak." in body and "Dari status «tidak valid»" in body
    assert Case.objects.get(pk=new.pk).status == "verified"
    entry = AuditEntry.objects.filter(action="cases.status_changed", target_id=str(new.pk)).get()
    assert entry.after["note"] == "massal"


def test_bulk_duplicates_and_assignment_to_an_organisation(client_as):
    from deskpilkada.accounts.models import Organisation

    parent, a, b = (make_case("hoax", MENTENG) for _ in range(3))
    client = client_as("comms")
    client.post("/kasus/tindakan/", {"aksi": "duplikat", "induk": parent.pk, "pilih": [a.pk, b.pk]})
    assert set(Case.objects.filter(duplicate_of=parent).values_list("pk", flat=True)) == {a.pk, b.pk}
    org = Organisation.objects.get(code="diskominfo-bogor")
    client.post("/kasus/tindakan/", {"aksi": "organisasi", "organisasi": org.pk, "pilih": [parent.pk]})
    assert Case.objects.get(pk=parent.pk).assigned_org == org
    response = client.post("/kasus/tindakan/", {"aksi": "hapus", "pilih": [parent.pk]}, follow=True)
    assert "Pilih tindakan" in response.content.decode()


def test_bulk_back_link_stays_on_the_site(client_as):
    case = make_case("fraud", MENTENG_TPS_1)
    response = client_as("bawaslu").post(
        "/kasus/tindakan/", {"aksi": "saya", "pilih": [case.pk], "kembali": "//jahat.example/kasus/"}
    )
    assert response["Location"] == "/kasus/"


def test_a_handler_completes_the_details_of_a_case_on_its_page(client_as):
    case = make_case("security", MENTENG_TPS_1, details={"kind": "threat"})
    client = client_as("security")
    page = client.get(f"/kasus/{case.pk}/").content.decode()
    assert 'value="details"' in page and 'name="d_personnel"' in page
    response = client.post(
        f"/kasus/{case.pk}/aksi/",
        {
            "aksi": "details",
            "versi": case.version,
            "d_kind": "blockade",
            "d_personnel": "8",
            "d_voting_disrupted": "on",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.details == {"kind": "blockade", "personnel": 8, "voting_disrupted": True}
    entry = AuditEntry.objects.get(action="cases.case_updated", target_id=str(case.pk))
    assert entry.before["details"] == {"kind": "threat"} and entry.after["details"]["personnel"] == 8


def test_a_refused_detail_is_named_and_changes_nothing(client_as):
    case = make_case("security", MENTENG_TPS_1, details={"kind": "threat"})
    response = client_as("security").post(
        f"/kasus/{case.pk}/aksi/", {"aksi": "details", "d_kind": "alien", "d_personnel": "-3"}, follow=True
    )
    body = response.content.decode()
    assert "jenis" in body.lower() and "alien" in body
    case.refresh_from_db()
    assert case.details == {"kind": "threat"}


def test_the_details_form_keeps_what_it_does_not_show(client_as):
    case = make_case("hoax", MENTENG, details={"claim": "Pemungutan diundur", "verdict": "hoax"})
    client_as("comms").post(
        f"/kasus/{case.pk}/aksi/",
        {"aksi": "details", "d_claim": "Pemungutan diundur ke Desember", "d_verdict": "hoax", "d_platform": "whatsapp"},
    )
    case.refresh_from_db()
    assert case.details == {"claim": "Pemungutan diundur ke Desember", "verdict": "hoax", "platform": "whatsapp"}


def test_a_sighting_is_taken_out_of_its_group_from_its_page(client_as):
    text = "Massa memblokir jalan menuju TPS 002 Menteng sejak pukul 07.00, pemilih tidak bisa lewat."
    first = make_case("security", MENTENG, description=text)
    again = make_case("security", MENTENG, description=text)
    assert again.group_id == first.pk
    client = client_as("security")
    assert 'value="ungroup"' in client.get(f"/kasus/{again.pk}/").content.decode()
    assert 'value="ungroup"' not in client.get(f"/kasus/{first.pk}/").content.decode()
    client.post(f"/kasus/{again.pk}/aksi/", {"aksi": "ungroup", "note": "lain tempat"})
    again.refresh_from_db()
    assert again.group_id is None and again.due_at is not None
