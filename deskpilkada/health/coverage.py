"""Hospital voting coverage: per hospital, its in-patients who moved the vote there counted by contest,
the TPS that serve it, its visit schedule, and the warning when registered patients would not be
served (no serving TPS, or no visit scheduled). The same rows feed the pages, the export, the desk
tile and `GET /api/v1/hospitals/coverage`.

A patient votes in every contest whose region holds both the patient's home region and the hospital:
a voter of Kota Bogor in a Kota Bogor hospital votes for governor and mayor, a voter from elsewhere in
West Java for governor only (DESIGN.md §4)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from deskpilkada.elections.models import Contest, Election
from deskpilkada.health.models import Hospital, HospitalTps, InpatientVoter, Visit

NO_TPS, NO_SCHEDULE = "no_tps", "no_schedule"


def warning_text(code: str) -> str:
    return {
        NO_TPS: _("Ada pasien terdaftar tetapi belum ada TPS yang melayani."),
        NO_SCHEDULE: _("Ada pasien terdaftar tetapi belum ada jadwal kunjungan."),
    }[code]


def contests_for(origin_code: str, hospital_region_code: str, contests: Iterable[Contest]) -> list[Contest]:
    """The contests a patient from `origin_code` votes in at a hospital in `hospital_region_code`."""

    def inside(code: str, region: str) -> bool:
        return code == region or code.startswith(region + ".")

    return [c for c in contests if inside(origin_code, c.region.code) and inside(hospital_region_code, c.region.code)]


@dataclass
class HospitalCoverage:
    hospital: Hospital
    patients: int = 0
    by_contest: dict[str, int] = field(default_factory=dict)  # contest code -> patients voting in it
    serving_tps: list[str] = field(default_factory=list)  # TPS codes
    visits: list[Visit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def scheduled(self) -> list[Visit]:
        return [v for v in self.visits if v.status != Visit.Status.CANCELLED]

    @property
    def done(self) -> int:
        return sum(1 for v in self.visits if v.status == Visit.Status.DONE)

    @property
    def voters_served(self) -> int:
        return sum(v.voters_served or 0 for v in self.visits if v.status == Visit.Status.DONE)

    @property
    def covered(self) -> bool:
        """Patients registered, a serving TPS and a visit scheduled."""
        return self.patients > 0 and not self.warnings

    def warning_texts(self) -> list[str]:
        return [warning_text(w) for w in self.warnings]


def warnings_for(patients: int, serving: int, scheduled: int) -> list[str]:
    """The warnings of a hospital with `patients` registered, `serving` TPS and `scheduled` visits."""
    if not patients:
        return []
    out = []
    if not serving:
        out.append(NO_TPS)
    if not scheduled:
        out.append(NO_SCHEDULE)
    return out


def coverage(hospitals: Iterable[Hospital], election: Election | None) -> list[HospitalCoverage]:
    """The coverage rows of `hospitals` (a handful per city: read in four queries, counted here)."""
    hospitals = list(hospitals)
    rows = {h.pk: HospitalCoverage(h) for h in hospitals}
    if not rows:
        return []
    contests = list(Contest.objects.filter(election=election).select_related("region")) if election else []
    for r in rows.values():
        r.by_contest = {c.code: 0 for c in contests}
    counts: Counter = Counter()
    patients = InpatientVoter.objects.filter(hospital_id__in=rows, election=election)
    for hospital_id, origin in patients.values_list("hospital_id", "origin_code"):
        counts[(hospital_id, origin)] += 1
    for (hospital_id, origin), n in counts.items():
        row = rows[hospital_id]
        row.patients += n
        for c in contests_for(origin, row.hospital.region.code, contests):
            row.by_contest[c.code] += n
    serving: dict[int, list[str]] = defaultdict(list)
    for hospital_id, code in HospitalTps.objects.filter(hospital_id__in=rows).values_list("hospital_id", "tps__code"):
        serving[hospital_id].append(code)
    for visit in Visit.objects.filter(hospital_id__in=rows).select_related("tps__kelurahan"):
        rows[visit.hospital_id].visits.append(visit)
    for r in rows.values():
        r.serving_tps = sorted(serving[r.hospital.pk])
        r.warnings = warnings_for(r.patients, len(r.serving_tps), len(r.scheduled))
    return [rows[h.pk] for h in hospitals]
