"""The officer tests' rows: officers, crews, sessions and attendance, through the app's actions."""

from __future__ import annotations

import datetime as dt
import itertools

from deskpilkada import clock
from deskpilkada import testing as make
from deskpilkada.officers import actions
from deskpilkada.officers.models import Officer, Participant, Role, Session
from deskpilkada.officers.rules import topics

_nik = itertools.count(1)
APPOINTED = dt.date(2024, 10, 28)
BORN = dt.date(1990, 5, 17)


def nik() -> str:
    """A NIK that cannot exist: province code 99."""
    return f"99{next(_nik):014d}"


def make_officer(
    place: str = "3271061002028",
    role: str = Role.KPPS,
    *,
    chair: bool = False,
    born: dt.date = BORN,
    appointed: dt.date = APPOINTED,
    number: str | None = None,
    by=None,
    name: str | None = None,
    **kw,
) -> Officer:
    """An officer of the TPS (13 digits) or the region (dotted kecamatan or kelurahan code)."""
    digits = place.replace(".", "")
    if len(digits) == 13:
        region_code, tps_number = make.tps(digits).kelurahan.code, str(int(digits[10:]))
    else:
        region_code, tps_number = place, ""
    return actions.appoint_officer(
        by=by,
        election=make.election(),
        role=role,
        is_chair=chair,
        nik=number or nik(),
        name=name or f"Petugas Demo {next(_nik)}",
        birth_date=born,
        sex=kw.pop("sex", "P"),
        phone=kw.pop("phone", "081200000000"),
        address=kw.pop("address", "Jl. Uji 1"),
        region_code=region_code,
        tps_number=tps_number,
        appointed_on=appointed,
        **kw,
    )


def make_crew(tps_code: str, kpps: int = 7, linmas: int = 2) -> list[Officer]:
    """A crew of the TPS: `kpps` KPPS (the first the chair) and `linmas` Linmas."""
    crew = [make_officer(tps_code, chair=(i == 0)) for i in range(kpps)]
    crew += [make_officer(tps_code, Role.LINMAS) for _i in range(linmas)]
    return crew


def topic(code: str = "pemungutan"):
    return next(t for t in topics(make.election()) if t.code == code)


def make_session(
    topic_code: str = "pemungutan", region: str = "32.71", *, starts: dt.datetime | None = None, by=None
) -> Session:
    start = starts or clock.now() - dt.timedelta(days=3)
    return actions.create_session(
        by=by,
        election=make.election(),
        topic=topic(topic_code),
        title="",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        place="Aula uji",
        trainer="Narasumber uji",
        target_roles=[Role.KPPS],
        region=make.region(region),
    )


def attend(session: Session, officers, *, by=None, score=None) -> None:
    """Invite (if not yet) and tick these officers present."""
    actions.invite(session, by=by)
    for p in Participant.objects.filter(session=session, officer__in=list(officers)):
        actions.record_attendance(p, by=by, attended=True, score=score)


def matrix_samples() -> dict[str, int]:
    """The permission matrix's officers: one at TPS 028 Kebon Pedes, one at TPS 001 of Bogor Barat; a
    session for Kota Bogor with a PDF material."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    session = make_session()
    material = actions.add_material(session, by=None, upload=SimpleUploadedFile("materi.pdf", b"%PDF-1.4\n%%EOF\n"))
    return {
        "officer_kp": make_officer("3271061002028").pk,
        "officer_bb": make_officer("3271041001001").pk,
        "session": session.pk,
        "material": material.pk,
    }
