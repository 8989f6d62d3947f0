"""The API of point 9: hospital voting coverage."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from deskpilkada.accounts.access import api_requires, has_cap
from deskpilkada.api_errors import answers
from deskpilkada.elections.models import Election
from deskpilkada.health.access import VIEW, VISIT, hospitals_for
from deskpilkada.health.coverage import coverage
from deskpilkada.health.deadlines import last_day

router = Router(tags=["kesehatan"])


class ServingTpsOut(Schema):
    code: str = Field(..., description="kode TPS 13 angka")
    name: str


class VisitOut(Schema):
    id: int
    tps: str = Field(..., description="kode TPS yang berkunjung")
    ward: str = Field(..., description="ruang rawat")
    starts_at: dt.datetime
    ballots: int = Field(..., description="surat suara dibawa")
    status: str = Field(..., description="planned, done, cancelled")
    done: bool
    voters_served: int | None = Field(None, description="pemilih dilayani (setelah selesai)")


class HospitalCoverageOut(Schema):
    code: str = Field(..., description="kode RS Kemenkes")
    name: str
    region: str = Field(..., description="kode wilayah (kecamatan, atau kota bila belum diketahui)")
    patients: int = Field(..., description="pasien rawat inap yang pindah memilih ke RS ini")
    patients_by_contest: dict[str, int] = Field(
        ..., description="per kode pemilihan: pasien yang memilih di pemilihan itu (dari luar kota: gubernur saja)"
    )
    serving_tps: list[ServingTpsOut]
    schedule: list[VisitOut]
    warning: str | None = Field(None, description="peringatan: pasien terdaftar tanpa TPS pelayan atau tanpa jadwal")
    warning_codes: list[str] = Field(..., description="no_tps, no_schedule")


class CoverageOut(Schema):
    election: str
    deadline: dt.date = Field(..., description="hari terakhir pindah memilih (H-7), dari aturan tenggat pemilihan")
    hospitals: list[HospitalCoverageOut]


@router.get(
    "/hospitals/coverage",
    response=answers({200: CoverageOut}, 401, 403, 404),
    summary="Cakupan RS: pasien pindah memilih per pemilihan, TPS pelayan, jadwal, peringatan",
)
@api_requires("desk.view")
def hospitals_coverage(request):
    """Every hospital the user may see (inside its area for `health.view`; a hospital's own staff: its
    own hospital only). Health figures: 403 for roles without `health.view` or `hospital.visit`."""
    if not (has_cap(request.user, VIEW) or has_cap(request.user, VISIT)):
        raise HttpError(403, "Anda tidak memiliki izin untuk tindakan ini.")
    election = Election.objects.current()
    if election is None:
        raise HttpError(404, "Belum ada pemilihan.")
    rows = coverage(hospitals_for(request.user), election)
    names = {}
    for r in rows:
        for v in r.visits:
            names[v.tps.code] = str(v.tps)
    from deskpilkada.tps.models import Tps

    missing = {c for r in rows for c in r.serving_tps} - set(names)
    for t in Tps.objects.filter(code__in=missing).select_related("kelurahan"):
        names[t.code] = str(t)
    return {
        "election": election.code,
        "deadline": last_day(election),
        "hospitals": [
            {
                "code": r.hospital.code,
                "name": r.hospital.name,
                "region": r.hospital.region.code,
                "patients": r.patients,
                "patients_by_contest": r.by_contest,
                "serving_tps": [{"code": c, "name": names.get(c, c)} for c in r.serving_tps],
                "schedule": [
                    {
                        "id": v.pk,
                        "tps": v.tps.code,
                        "ward": v.ward,
                        "starts_at": timezone.localtime(v.starts_at),
                        "ballots": v.ballots,
                        "status": v.status,
                        "done": v.status == "done",
                        "voters_served": v.voters_served,
                    }
                    for v in r.visits
                ],
                "warning": " ".join(r.warning_texts()) or None,
                "warning_codes": r.warnings,
            }
            for r in rows
        ],
    }
