"""Point 9 for the desk (deskpilkada/desk/protocol.py): hospitals whose registered in-patients are
served (a serving TPS and a visit scheduled), hospitals with a warning, open officers' health incidents
(cases of the "health" category), crews fully screened (from the officers module), health posts.

Health figures go only to those who need them (`health.view`: the desk, KPU, Dinkes, camat and lurah);
a hospital sees its own schedule as a task. Readiness = the mean of: hospitals with patients that are
served ÷ hospitals with patients, and open health incidents not overdue ÷ open health incidents."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from deskpilkada import clock
from deskpilkada.accounts.access import has_cap, tps_scope
from deskpilkada.cases.desk import CasePoint
from deskpilkada.desk.protocol import Figure, Readiness, Task, Tile, percent
from deskpilkada.elections.models import Election
from deskpilkada.health import officers_link
from deskpilkada.health.access import DUTY, MANAGE, VIEW, hospitals_for, own_hospital_q
from deskpilkada.health.coverage import HospitalCoverage, coverage
from deskpilkada.health.incidents import incidents_for
from deskpilkada.health.models import DutyNote, HealthPost, Hospital, Visit
from deskpilkada.numbers import number
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps

cases = CasePoint(("health",))


def _url(name: str, *args, **params: str) -> str:
    return reverse(name, args=args) + ("?" + urlencode(params) if params else "")


def _rows(user) -> list[HospitalCoverage]:
    cached = getattr(user, "_health_coverage", None)
    if cached is None:
        cached = coverage(hospitals_for(user), Election.objects.current())
        user._health_coverage = cached
    return cached


def screened_figure(user) -> Figure:
    """Crews fully screened inside the user's area, from the officers module (or said plainly missing)."""
    election = Election.objects.current()
    figures = officers_link.screening_by_kecamatan(election)
    if figures is None:
        return Figure(_("Kru terskrining lengkap: %(why)s") % {"why": officers_link.missing_text()}, None)
    visible = set(Region.objects.filter(code__in=list(figures)).values_list("code", flat=True))
    mine = [f for code, f in figures.items() if code in visible and _reaches(user, code)]
    crews = sum(f.crews for f in mine)
    return Figure(_("Kru terskrining lengkap"), sum(f.fully_screened for f in mine), of=crews)


def _reaches(user, kecamatan_code: str) -> bool:
    from deskpilkada.accounts.access import grants_for

    for g in grants_for(user):
        if VIEW not in g.caps or not g.region_code:
            continue
        if kecamatan_code.startswith(g.region_code + ".") or kecamatan_code == g.region_code:
            return True
        if g.region_code.startswith(kecamatan_code + "."):
            return True  # a kelurahan's reader: its kecamatan's figure is the nearest there is
    return False


class HealthPoint:
    def tile(self, user) -> Tile:
        if not has_cap(user, VIEW):
            own = Hospital.objects.filter(own_hospital_q(user)).first()
            if own is None:
                return Tile([], _url("health:overview"))
            visits = Visit.objects.filter(hospital=own).aggregate(
                n=Count("pk", filter=~Q(status=Visit.Status.CANCELLED)), done=Count("pk", filter=Q(status="done"))
            )
            return Tile(
                [
                    Figure(
                        _("Kunjungan selesai: %(h)s") % {"h": own.name},
                        visits["done"],
                        own.get_absolute_url(),
                        of=visits["n"],
                    )
                ],
                own.get_absolute_url(),
            )
        rows = _rows(user)
        with_patients = [r for r in rows if r.patients]
        warned = [r for r in with_patients if r.warnings]
        open_cases = incidents_for(user).open().count()
        return Tile(
            [
                Figure(
                    _("RS berpasien terlayani"),
                    len(with_patients) - len(warned),
                    _url("health:hospitals"),
                    of=len(with_patients),
                ),
                Figure(
                    _("RS berpasien tanpa TPS atau jadwal"),
                    len(warned),
                    _url("health:hospitals", peringatan="ya"),
                    alert=bool(warned),
                ),
                Figure(_("Insiden kesehatan terbuka"), open_cases, _url("health:incidents"), alert=open_cases > 0),
                screened_figure(user),
            ],
            _url("health:overview"),
        )

    def tasks(self, user) -> list[Task]:
        out: list[Task] = []
        if has_cap(user, MANAGE):
            warned = [r for r in _rows(user) if r.warnings]
            out.append(
                Task(
                    _("RS berpasien tanpa TPS pelayan atau jadwal kunjungan"),
                    _url("health:hospitals", peringatan="ya"),
                    ", ".join(r.hospital.name for r in warned[:3]),
                    len(warned),
                    urgent=bool(warned),
                    done=not warned,
                )
            )
            out.extend(cases.tasks(user))
            if not HealthPost.objects.exists():
                out.append(Task(_("Catat pos kesehatan dan puskesmas siaga"), _url("health:post_new"), count=0))
        for hospital in Hospital.objects.filter(own_hospital_q(user)):
            planned = Visit.objects.filter(hospital=hospital, status=Visit.Status.PLANNED).count()
            out.append(
                Task(
                    _("Jadwal kunjungan pemilih rawat inap: %(h)s") % {"h": hospital.name},
                    hospital.get_absolute_url(),
                    _("%(n)s kunjungan belum selesai") % {"n": number(planned)},
                    planned,
                    done=not planned and Visit.objects.filter(hospital=hospital).exists(),
                )
            )
        election = Election.objects.current()
        if has_cap(user, DUTY) and not has_cap(user, MANAGE) and election and clock.today() >= election.voting_date:
            mine = Tps.objects.filter(tps_scope(user, DUTY))
            missing = mine.exclude(pk__in=DutyNote.objects.filter(election=election).values("tps_id"))
            first = missing.order_by("code").first()
            out.append(
                Task(
                    _("Catat jam tugas kru pada malam penghitungan"),
                    _url("health:duty_edit", first.code) if first else _url("health:duty"),
                    count=missing.count(),
                    done=first is None,
                )
            )
        return out

    def readiness(self, user, regions: Sequence[Region]) -> dict[str, Readiness]:
        rows = coverage(Hospital.objects.select_related("region"), Election.objects.current())
        incident = cases.readiness(user, regions)
        formula = _(
            "Rata-rata dari: RS berpasien pindah memilih yang punya TPS pelayan dan jadwal kunjungan ÷ RS "
            "berpasien, dan insiden kesehatan terbuka yang belum lewat tenggat ÷ insiden terbuka"
        )
        out = {}
        for region in regions:
            inside = [
                r
                for r in rows
                if r.patients
                and (r.hospital.region.code == region.code or r.hospital.region.code.startswith(region.code + "."))
            ]
            served = sum(1 for r in inside if not r.warnings)
            parts = [s for s in (percent(served, len(inside)), incident[region.code].score) if s is not None]
            out[region.code] = Readiness(
                sum(parts) // len(parts) if parts else None,
                formula,
                _url("health:overview", wilayah=region.code),
                _("%(a)s dari %(n)s RS berpasien terlayani") % {"a": number(served), "n": number(len(inside))},
            )
        return out


health = HealthPoint()
