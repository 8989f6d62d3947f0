"""The crews' coverage, in aggregate queries (one GROUP BY each, whatever the number of TPS), and the
plain functions other points call (the health app's point-9 work reads the crew of a TPS and the
screening figures per kecamatan from here):

- `crew_of(tps)`: the serving officers of a TPS (KPPS and Linmas) with role, name and phone;
- `screening_by_kecamatan(election, prefix)`: per kecamatan, TPS crews, crews fully screened, unfit
  officers not yet replaced;
- `tps_coverage(election, prefix)`: per TPS, crew needed and present, chair, trained per required
  topic, screened, unfit, and the totals.

`prefix` is an undotted region code ("3271" for Kota Bogor, "" for everywhere).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from deskpilkada.elections.models import Election
from deskpilkada.officers.models import TPS_ROLES, Officer, Participant, Role
from deskpilkada.officers.rules import crew_rules, required_topics
from deskpilkada.regions.codes import code_range
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps


@dataclass(frozen=True)
class CrewMember:
    id: int
    role: str
    role_label: str
    is_chair: bool
    name: str
    phone: str
    health: str


def crew_of(tps: Tps, election: Election | None = None) -> list[CrewMember]:
    """The serving KPPS (chair first) and Linmas of a TPS."""
    election = election or Election.objects.current()
    rows = Officer.objects.active().filter(election=election, area_code=tps.code, role__in=TPS_ROLES)
    order: dict[str, int] = {Role.KPPS.value: 0, Role.LINMAS.value: 1}
    members = [
        CrewMember(o.pk, o.role, str(o.get_role_display()), o.is_chair, o.name, o.phone, o.health)
        for o in rows.only("id", "role", "is_chair", "name", "phone", "health")
    ]
    return sorted(members, key=lambda m: (order.get(m.role, 9), not m.is_chair, m.name))


def chairs_of(tps_ids) -> dict[int, tuple[str, str]]:
    """{tps id: (name, phone)} of the serving KPPS chair of each TPS (the invitation export of point 4)."""
    rows = Officer.objects.active().filter(tps_id__in=list(tps_ids), role=Role.KPPS, is_chair=True)
    return {tps_id: (name, phone) for tps_id, name, phone in rows.values_list("tps_id", "name", "phone")}


@dataclass
class TpsCoverage:
    code: str
    kpps_needed: int
    linmas_needed: int
    kpps: int = 0
    linmas: int = 0
    chair: bool = False
    chair_trained: bool = False
    screened: int = 0
    unfit: int = 0
    trained: dict[str, int] = field(default_factory=dict)  # topic code -> KPPS who attended it

    @property
    def present(self) -> int:
        return self.kpps + self.linmas

    @property
    def complete(self) -> bool:
        return self.kpps >= self.kpps_needed and self.linmas >= self.linmas_needed and self.chair

    @property
    def fully_trained(self) -> bool:
        """Every KPPS seat filled by an officer trained in every required topic."""
        return all(n >= self.kpps_needed for n in self.trained.values())

    @property
    def fully_screened(self) -> bool:
        return self.present > 0 and self.screened >= self.present


@dataclass
class Coverage:
    tps: list[TpsCoverage]
    topics: list[tuple[str, str]]  # (code, name) of the required KPPS topics

    def count(self, what: str) -> int:
        return sum(1 for t in self.tps if getattr(t, what))

    @property
    def totals(self) -> dict:
        return {
            "tps": len(self.tps),
            "complete": self.count("complete"),
            "trained": self.count("fully_trained"),
            "screened": self.count("fully_screened"),
            "chair_untrained": sum(1 for t in self.tps if t.chair and not t.chair_trained),
            "kpps_needed": sum(t.kpps_needed for t in self.tps),
            "kpps": sum(t.kpps for t in self.tps),
            "linmas_needed": sum(t.linmas_needed for t in self.tps),
            "linmas": sum(t.linmas for t in self.tps),
            "unfit": sum(t.unfit for t in self.tps),
        }


def _crew_counts(election: Election, prefix: str):
    """(area code, role, officers, chairs, screened, unfit) per TPS crew: one GROUP BY."""
    return (
        Officer.objects.active()
        .within(prefix)
        .filter(election=election, role__in=TPS_ROLES)
        .values_list("area_code", "role")
        .annotate(
            n=Count("id"),
            chairs=Count("id", filter=Q(is_chair=True)),
            screened=Count("id", filter=~Q(health="")),
            unfit=Count("id", filter=Q(health=Officer.Health.UNFIT)),
        )
        .order_by()
    )


def _trained_counts(election: Election, prefix: str, topic_ids: list[int], *, chairs: bool = False):
    """(area code, topic id, serving KPPS who attended it) per TPS: one GROUP BY."""
    rows = Participant.objects.filter(attended=True, topic_id__in=topic_ids, serving=True, role=Role.KPPS)
    if prefix:
        rows = rows.filter(code_range("area_code", prefix))
    if chairs:
        rows = rows.filter(is_chair=True)
    return rows.values_list("area_code", "topic_id").annotate(n=Count("officer_id", distinct=True)).order_by()


def tps_coverage(election: Election, prefix: str = "") -> Coverage:
    rules = crew_rules(election)
    kpps_needed, linmas_needed = rules[Role.KPPS].size, rules[Role.LINMAS].size
    topics = required_topics(election, Role.KPPS)
    topic_code = {t.pk: t.code for t in topics}
    tps_rows = Tps.objects.filter(code_range("code", prefix))
    by_code = {
        code: TpsCoverage(code, kpps_needed, linmas_needed, trained=dict.fromkeys(topic_code.values(), 0))
        for code in tps_rows.order_by("code").values_list("code", flat=True)
    }
    for code, role, n, chairs, screened, unfit in _crew_counts(election, prefix):
        row = by_code.get(code)
        if row is None:
            continue
        if role == Role.KPPS:
            row.kpps, row.chair = n, chairs >= 1
        else:
            row.linmas = n
        row.screened += screened
        row.unfit += unfit
    ids = list(topic_code)
    for code, topic_id, n in _trained_counts(election, prefix, ids):
        if code in by_code:
            by_code[code].trained[topic_code[topic_id]] = n
    chair_topics: dict[str, int] = defaultdict(int)
    for code, _topic, _n in _trained_counts(election, prefix, ids, chairs=True):
        chair_topics[code] += 1
    for code, row in by_code.items():
        row.chair_trained = row.chair and chair_topics.get(code, 0) >= len(ids)
    return Coverage(list(by_code.values()), [(t.code, t.name) for t in topics])


@dataclass
class ScreeningFigures:
    crews: int = 0  # TPS crews with at least one serving officer
    fully_screened: int = 0
    screened: int = 0  # officers screened
    officers: int = 0
    unfit_open: int = 0  # unfit officers still serving (not yet replaced)


def screening_by_kecamatan(election: Election, prefix: str = "") -> dict[str, ScreeningFigures]:
    """{dotted kecamatan code: ScreeningFigures} of the TPS crews (KPPS and Linmas) inside `prefix`;
    every kecamatan inside it is present, with zeros when it has no crew yet."""
    per_tps: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for code, _role, n, _chairs, screened, unfit in _crew_counts(election, prefix):
        t = per_tps[code]
        t[0] += n
        t[1] += screened
        t[2] += unfit
    kecamatan = Region.objects.kecamatan()
    if prefix:
        kecamatan = kecamatan.filter(code__startswith=_dotted_prefix(prefix[:6]))
    out = {k: ScreeningFigures() for k in kecamatan.order_by("code").values_list("code", flat=True)}
    for code, (n, screened, unfit) in per_tps.items():
        key = f"{code[:2]}.{code[2:4]}.{code[4:6]}"
        figures = out.setdefault(key, ScreeningFigures())
        figures.crews += 1
        figures.officers += n
        figures.screened += screened
        figures.unfit_open += unfit
        figures.fully_screened += screened >= n
    return out


def _dotted_prefix(prefix: str) -> str:
    parts = [prefix[:2], prefix[2:4], prefix[4:6], prefix[6:10]]
    return ".".join(p for p in parts if p)
