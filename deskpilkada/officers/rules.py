"""The crew rules of an election as data (CrewRule rows), written with their defaults the first time
they are read: PPK 5 per kecamatan, PPS 3 per kelurahan, KPPS per TPS and Linmas per TPS from the
election's own fields (7 and 2 in 2024), KPPS aged between the election's limits (17–55) at the date of
appointment, every crew with one chair (Linmas none); and the default training topics."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from deskpilkada.elections.models import Election
from deskpilkada.officers.models import CrewRule, Role, Topic


@dataclass(frozen=True)
class Rule:
    role: str
    size: int
    chairs: int
    min_age: int | None
    max_age: int | None


def defaults(election: Election) -> dict[str, dict]:
    return {
        Role.PPK: {"size": 5, "chairs": 1, "min_age": 17, "max_age": None},
        Role.PPS: {"size": 3, "chairs": 1, "min_age": 17, "max_age": None},
        Role.KPPS: {
            "size": election.kpps_per_tps,
            "chairs": 1,
            "min_age": election.kpps_min_age,
            "max_age": election.kpps_max_age,
        },
        Role.LINMAS: {"size": election.linmas_per_tps, "chairs": 0, "min_age": 17, "max_age": None},
    }


# The topics of a bimtek written for a new election; required ones count in the crew-trained coverage.
DEFAULT_TOPICS = [
    ("pemungutan", "Tata cara pemungutan suara", ["kpps"]),
    ("penghitungan", "Penghitungan suara dan pengisian C.Hasil", ["kpps"]),
    ("rekapitulasi", "Rekapitulasi di kecamatan dan kelurahan", ["ppk", "pps"]),
    ("ketertiban", "Ketertiban dan keamanan TPS", []),
]


def crew_rules(election: Election) -> dict[str, Rule]:
    """The election's rule for each role (the defaults written once when none exist)."""
    rows = {r.role: r for r in CrewRule.objects.filter(election=election)}
    if len(rows) < len(Role.values):
        with transaction.atomic():
            for role, values in defaults(election).items():
                if role not in rows:
                    rows[role], _created = CrewRule.objects.get_or_create(election=election, role=role, defaults=values)
    return {role: Rule(role, r.size, r.chairs, r.min_age, r.max_age) for role, r in rows.items()}


def topics(election: Election) -> list[Topic]:
    """The election's training topics (the defaults written once when none exist)."""
    found = list(Topic.objects.filter(election=election))
    if not found:
        with transaction.atomic():
            for code, name, required in DEFAULT_TOPICS:
                Topic.objects.get_or_create(
                    election=election, code=code, defaults={"name": name, "required_for": required}
                )
        found = list(Topic.objects.filter(election=election))
    return found


def required_topics(election: Election, role: str = Role.KPPS) -> list[Topic]:
    return [t for t in topics(election) if role in (t.required_for or [])]


def age_error(rule: Rule, age: int) -> str | None:
    """The refusal, in Indonesian, when `age` (at the date of appointment) is outside the rule."""
    role = Role(rule.role).label
    if rule.min_age is not None and age < rule.min_age:
        return _("%(role)s harus berusia minimal %(min)d tahun pada tanggal pengangkatan (usia %(age)d)") % {
            "role": role,
            "min": rule.min_age,
            "age": age,
        }
    if rule.max_age is not None and age > rule.max_age:
        return _("%(role)s harus berusia paling tinggi %(max)d tahun pada tanggal pengangkatan (usia %(age)d)") % {
            "role": role,
            "max": rule.max_age,
            "age": age,
        }
    return None
