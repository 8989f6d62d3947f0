"""Public hoax clarifications: publishing one (from the case page, by Diskominfo) puts it on
/klarifikasi/ (newest first, searchable), its permalink carries an Open Graph preview for sharing
on WhatsApp, and the Atom feed lists it; only hoax cases with a fact-check verdict are published."""

import xml.etree.ElementTree as ET

import pytest

from deskpilkada import clock
from deskpilkada.audit.models import AuditEntry
from deskpilkada.cases import actions
from deskpilkada.cases.models import Clarification
from deskpilkada.cases.tests.conftest import MENTENG, wib
from deskpilkada.testing import make_case

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CLAIM = "Pemungutan suara di Kota Bogor diundur ke 4 Desember karena banjir."
TEXT = "KPU Kota Bogor menegaskan pemungutan suara tetap 27 November 2024 di semua TPS."


def _hoax(claim: str = CLAIM, **details):
    return make_case("hoax", MENTENG, details={"claim": claim, "platform": "whatsapp", **details})


def test_publishing_from_the_case_page_puts_it_on_the_public_list(client_as, client):
    case = _hoax()
    response = client_as("comms").post(
        f"/kasus/{case.pk}/aksi/",
        {"aksi": "clarify", "verdict": "hoax", "judul": "Pilkada tidak diundur", "klarifikasi": TEXT, "klaim": CLAIM},
        follow=True,
    )
    assert "Klarifikasi dipublikasikan" in response.content.decode()
    item = Clarification.objects.get(case=case)
    assert (item.title, item.verdict, item.claim, item.published_at) == (
        "Pilkada tidak diundur",
        "hoax",
        CLAIM,
        clock.now(),
    )
    case.refresh_from_db()
    assert case.details["verdict"] == "hoax"
    listing = client.get("/klarifikasi/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Pilkada tidak diundur" in body and f"/klarifikasi/{item.pk}/" in body


def test_the_permalink_has_an_open_graph_preview(client, persona):
    item = actions.publish_clarification(
        _hoax(), by=persona("comms"), title="Pilkada tidak diundur", text=TEXT, claim=CLAIM, verdict="hoax"
    )
    body = client.get(f"/klarifikasi/{item.pk}/").content.decode()
    assert '<meta property="og:title" content="[Hoaks] Pilkada tidak diundur">' in body
    assert f'<meta property="og:url" content="http://testserver/klarifikasi/{item.pk}/">' in body
    assert '<meta property="og:description" content="KPU Kota Bogor menegaskan' in body
    assert f'<link rel="canonical" href="http://testserver/klarifikasi/{item.pk}/">' in body
    assert "wa.me" in body and CLAIM in body


def test_the_atom_feed_lists_the_clarifications_newest_first(client, persona):
    comms = persona("comms")
    with clock.at(wib("2024-11-27 09:00")):
        first = actions.publish_clarification(
            _hoax(), by=comms, title="Pilkada tidak diundur", text=TEXT, claim=CLAIM, verdict="hoax"
        )
    with clock.at(wib("2024-11-27 10:00")):
        second = actions.publish_clarification(
            _hoax("Video surat suara tercoblos di TPS 001 Menteng."),
            by=comms,
            title="Video lama dari daerah lain",
            text="Video itu direkam pada Pemilu 2019 di luar Kota Bogor.",
            verdict="misleading",
            claim=CLAIM,
        )
    response = client.get("/klarifikasi/feed.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "[Menyesatkan] Video lama dari daerah lain",
        "[Hoaks] Pilkada tidak diundur",
    ]
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links == [f"http://testserver/klarifikasi/{second.pk}/", f"http://testserver/klarifikasi/{first.pk}/"]
    listing = [c.pk for c in client.get("/klarifikasi/").context["page"]]
    assert listing == [second.pk, first.pk]


def test_the_list_is_searchable(client, persona):
    comms = persona("comms")
    actions.publish_clarification(
        _hoax(), by=comms, title="Pilkada tidak diundur", text=TEXT, claim=CLAIM, verdict="hoax"
    )
    actions.publish_clarification(
        _hoax("Tinta pemilu mengandung babi."),
        by=comms,
        title="Tinta pemilu halal",
        text="Tinta bersertifikat halal MUI.",
        verdict="hoax",
        claim="Tinta pemilu mengandung babi.",
    )
    assert [c.title for c in client.get("/klarifikasi/?q=tinta").context["page"]] == ["Tinta pemilu halal"]
    assert [c.title for c in client.get("/klarifikasi/?q=Desember").context["page"]] == ["Pilkada tidak diundur"]


def test_a_correction_updates_the_same_clarification(client, persona):
    case = _hoax()
    first = actions.publish_clarification(
        case, by=persona("comms"), title="Pilkada tidak diundur", text=TEXT, claim=CLAIM, verdict="hoax"
    )
    again = actions.publish_clarification(
        case,
        by=persona("comms"),
        title="Pilkada tetap 27 November",
        text=TEXT,
        claim=CLAIM + " Lihat kpu.go.id.",
        verdict="hoax",
    )
    assert again.pk == first.pk and Clarification.objects.count() == 1
    assert AuditEntry.objects.filter(action="cases.clarification_corrected").count() == 1
    assert "Pilkada tetap 27 November" in client.get(f"/klarifikasi/{first.pk}/").content.decode()


def test_only_a_hoax_with_a_verdict_title_and_text_is_published(persona):
    comms = persona("comms")
    with pytest.raises(actions.Refused) as refused:
        actions.publish_clarification(
            make_case("fraud", MENTENG), by=comms, title="Judul", text=TEXT, claim=CLAIM, verdict="hoax"
        )
    assert refused.value.field == "category"
    for kwargs, field in (
        ({"verdict": ""}, "verdict"),
        ({"verdict": "palsu"}, "verdict"),
        ({"title": "Ya"}, "title"),
        ({"text": "Tidak benar."}, "text"),
    ):
        with pytest.raises(actions.Refused) as refused:
            actions.publish_clarification(
                _hoax(),
                by=comms,
                **{"title": "Pilkada tidak diundur", "text": TEXT, "verdict": "hoax", **kwargs},
                claim=CLAIM,
            )
        assert refused.value.field == field
    assert not Clarification.objects.exists()
    # The verdict already recorded on the case is enough.
    assert (
        actions.publish_clarification(
            _hoax(verdict="hoax"), by=comms, title="Tidak diundur", text=TEXT, claim=CLAIM
        ).verdict
        == "hoax"
    )


def test_a_clarification_not_yet_published_is_not_public(client, persona):
    item = actions.publish_clarification(
        _hoax(), by=persona("comms"), title="Pilkada tidak diundur", text=TEXT, claim=CLAIM, verdict="hoax"
    )
    Clarification.objects.filter(pk=item.pk).update(published_at=None)
    assert client.get(f"/klarifikasi/{item.pk}/").status_code == 404
    assert "Pilkada tidak diundur" not in client.get("/klarifikasi/").content.decode()
    assert "Pilkada tidak diundur" not in client.get("/klarifikasi/feed.xml").content.decode()


def test_who_only_sees_a_hoax_cannot_publish_its_clarification(client_as):
    case = _hoax()
    client_as("viewer").post(
        f"/kasus/{case.pk}/aksi/", {"aksi": "clarify", "verdict": "hoax", "judul": "Judul", "klarifikasi": TEXT}
    )
    assert not Clarification.objects.exists()


def test_the_published_claim_is_the_one_written_for_the_public_never_the_report_text(persona):
    """A public hoax report has no claim field: its own words (which may name the reporter) are never
    what /klarifikasi/ shows; the handler writes the claim, and an empty one is refused."""
    report = make_case("hoax", MENTENG, description="Saya Budi 0812-1111-2222, ada pesan Pilkada diundur.")
    with pytest.raises(actions.Refused) as refused:
        actions.publish_clarification(
            report, by=persona("comms"), title="Tidak diundur", text=TEXT, claim="", verdict="hoax"
        )
    assert refused.value.field == "claim"
    item = actions.publish_clarification(
        report, by=persona("comms"), title="Tidak diundur", text=TEXT, claim=CLAIM, verdict="hoax"
    )
    assert item.claim == CLAIM and "0812" not in item.claim
