"""Attendance from a session's sign-in list (issue 13, item 3: "bulk from a list"): a CSV of NIK and
scores ticks the invitees at once, all or nothing, only once the session has started, only inside the
trainer's area; every refusal names its row and column."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from deskpilkada import clock
from deskpilkada.audit.models import AuditEntry
from deskpilkada.officers import actions
from deskpilkada.officers.tests.make import make_officer, make_session, nik

INSIDE = "3271061002028"  # Kebon Pedes: the PPS persona's kelurahan
OUTSIDE = "3271041001001"  # Bogor Barat


def _list(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("hadir.csv", ("nama,nik,nilai\n" + "\n".join(rows) + "\n").encode())


def _invited(starts=None):
    session = make_session(starts=starts)
    actions.invite(session, by=None)
    return session


def test_a_sign_in_list_ticks_its_invitees_with_their_scores(client_as):
    a, b = nik(), nik()
    first, second = make_officer(INSIDE, number=a), make_officer(INSIDE, number=b)
    session = _invited()
    page = client_as("pps").post(
        f"/petugas/bimtek/{session.pk}/hadir/daftar/",
        {"file": _list(f"Satu,{a},88", f"Dua,{b[:4]} {b[4:8]} {b[8:12]} {b[12:]},")},
    )
    assert page.status_code == 302
    got = {p.officer_id: (p.attended, p.score) for p in session.participants.filter(officer__in=[first, second])}
    assert got[first.pk][0] and got[first.pk][1] == 88 and got[second.pk] == (True, None)
    assert AuditEntry.objects.filter(action="officers.attendance").count() == 2


def test_a_list_with_one_bad_row_ticks_nobody_and_names_each_row(client_as):
    a, b = nik(), nik()
    make_officer(INSIDE, number=a), make_officer(OUTSIDE, number=b)
    session = _invited()
    rows = [f"Satu,{a},101", f"Dua,{b},70", "Tiga,99123,", f"Empat,{nik()},", f"Satu lagi,{a},90"]
    page = client_as("pps").post(f"/petugas/bimtek/{session.pk}/hadir/daftar/", {"file": _list(*rows)})
    assert page.status_code == 422
    report = page.context["report"]
    assert [(e.row, e.column) for e in report.errors] == [(2, "nilai"), (3, "nik"), (4, "nik"), (5, "nik"), (6, "nik")]
    messages = [e.message for e in report.errors]
    assert "0–100" in messages[0] and "wilayah" in messages[1] and "16 angka" in messages[2]
    assert "tidak diundang" in messages[3] and "baris 2" in messages[4]
    assert not session.participants.filter(attended=True).exists()
    assert "Impor dibatalkan" in page.content.decode()


def test_a_list_for_a_session_that_has_not_started_is_refused(client_as):
    a = nik()
    make_officer(INSIDE, number=a)
    session = _invited(starts=clock.now() + dt.timedelta(days=1))
    page = client_as("kpu").post(f"/petugas/bimtek/{session.pk}/hadir/daftar/", {"file": _list(f"Satu,{a},80")})
    assert page.status_code == 422 and "belum berlangsung" in page.content.decode()
    assert not session.participants.filter(attended=True).exists()
