"""Points 2 and 7 for the desk (deskpilkada/desk/protocol.py).

Point 2 (`readiness`): TPS whose checklist is complete, TPS with open warnings, risky TPS without a
mitigation plan, relocated TPS; tasks for those who fill the checklist, fix warnings, plan and move
TPS, and for BPBD; readiness = TPS ready (checklist complete, no open warning, and a plan where risky)
÷ TPS.

Point 7 (`security`): the security cases of the cases app (kept as they were) beside the deployment:
TPS below what their class needs, very vulnerable TPS, TPS not yet assessed; readiness = the mean of
TPS with enough personnel ÷ TPS and the cases' open-not-overdue share."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from deskpilkada.accounts.access import has_cap, tps_scope
from deskpilkada.accounts.roles import ROLES
from deskpilkada.cases import desk as cases_desk
from deskpilkada.desk.protocol import Figure, Readiness, Task, Tile, percent
from deskpilkada.numbers import number
from deskpilkada.readiness import summary
from deskpilkada.readiness.models import ReadinessWarning
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps


def _visible(user):
    return Tps.objects.filter(tps_scope(user, "desk.view"))


def _totals(user) -> summary.Totals:
    """The totals of every TPS the user sees (one aggregate: a province's desk sees 75,000 TPS)."""
    cached = getattr(user, "_readiness_totals", None)
    if cached is None:
        cached = summary.area_totals(_visible(user), 4)[0]
        user._readiness_totals = cached
    return cached


def _by_region(user, regions: Sequence[Region]) -> dict[str, summary.Totals]:
    """Totals per region of `regions` (each a code prefix), one aggregate per level among them."""
    out: dict[str, summary.Totals] = {}
    for width in {len(r.undotted_code) for r in regions}:
        _all, by_code = summary.area_totals(_visible(user), width)
        for r in regions:
            if len(r.undotted_code) == width:
                out[r.code] = by_code.get(r.undotted_code, summary.Totals())
    return out


def _url(name: str, **params: str) -> str:
    from django.utils.http import urlencode

    return reverse(name) + ("?" + urlencode(params) if params else "")


class ReadinessPoint:
    """Point 2: TPS readiness and disaster mitigation."""

    def tile(self, user) -> Tile:
        t = _totals(user)
        return Tile(
            [
                Figure(_("Daftar periksa lengkap"), t.complete, _url("readiness:map"), of=t.tps),
                Figure(
                    _("TPS dengan peringatan terbuka"),
                    t.flagged,
                    _url("readiness:warnings"),
                    alert=t.flagged > 0,
                ),
                Figure(
                    _("Rawan bencana tanpa rencana mitigasi"),
                    t.risky_without_plan,
                    _url("readiness:risky", tanpa="rencana"),
                    of=t.risky,
                    alert=t.risky_without_plan > 0,
                ),
                Figure(_("TPS dipindahkan"), t.relocated, _url("readiness:relocations"), alert=t.relocated > 0),
            ],
            _url("readiness:overview"),
        )

    def tasks(self, user) -> list[Task]:
        out: list[Task] = []
        if has_cap(user, "readiness.manage"):  # PPS and KPPS: a kelurahan or one TPS
            rows = summary.readiness_rows(Tps.objects.filter(tps_scope(user, "readiness.manage")))
            own = [r for r in rows if not r.complete]
            mine = [r for r in rows if r.answered == 0]
            first = (mine or own)[0].code if (mine or own) else None
            out.append(
                Task(
                    _("Isi daftar periksa kesiapan TPS"),
                    reverse("readiness:checklist", args=[first]) if first else _url("readiness:map"),
                    _("%(n)s TPS belum lengkap") % {"n": number(len(own))},
                    len(own),
                    done=not own,
                )
            )
        roles = {code for code in ROLES if _holds(user, code)}
        if roles:
            warnings = ReadinessWarning.objects.open().filter(tps_scope(user, "desk.view", "tps"), owner_role__in=roles)
            counts = warnings.aggregate(n=_count(), late=_count(Q(due_at__lte=_now())))
            if counts["n"] or has_cap(user, "readiness.manage"):
                out.append(
                    Task(
                        _("Peringatan kesiapan untuk diperbaiki"),
                        _url("readiness:warnings"),
                        _("%(late)s lewat tenggat") % {"late": number(counts["late"])},
                        counts["n"],
                        urgent=counts["late"] > 0,
                        done=not counts["n"],
                    )
                )
        if has_cap(user, "relocation.manage") or has_cap(user, "hazards.manage"):
            missing = _totals(user).risky_without_plan
            out.append(
                Task(
                    _("TPS rawan bencana tanpa rencana mitigasi"),
                    _url("readiness:risky", tanpa="rencana"),
                    count=missing,
                    urgent=bool(missing),
                    done=not missing,
                )
            )
        if has_cap(user, "hazards.manage"):
            over = summary.in_force_now().count()
            out.append(Task(_("Peringatan cuaca berlaku"), _url("readiness:weather"), count=over))
        return out

    def readiness(self, user, regions: Sequence[Region]) -> dict[str, Readiness]:
        areas = _by_region(user, regions)
        formula = _(
            "TPS siap (daftar periksa lengkap, tanpa peringatan terbuka, dan berencana mitigasi bila rawan "
            "bencana) ÷ TPS"
        )
        out = {}
        for region in regions:
            t = areas[region.code]
            out[region.code] = Readiness(
                percent(t.ready, t.tps),
                formula,
                _url("readiness:warnings", wilayah=region.code),
                _("%(a)s dari %(n)s TPS") % {"a": number(t.ready), "n": number(t.tps)},
            )
        return out


def _holds(user, role: str) -> bool:
    from deskpilkada.accounts.access import grants_for

    return any(g.role == role for g in grants_for(user))


def _count(q=None):
    from django.db.models import Count

    return Count("pk", filter=q) if q is not None else Count("pk")


def _now():
    from deskpilkada import clock

    return clock.now()


class SecurityPoint:
    """Point 7: TNI-Polri readiness at every TPS, and the security cases."""

    cases = cases_desk.security

    def tile(self, user) -> Tile:
        t = _totals(user)
        deployment = [
            Figure(
                _("TPS kurang personel keamanan"),
                t.gap_tps,
                _url("readiness:security"),
                of=t.tps,
                alert=t.gap_tps > 0,
            ),
            Figure(_("TPS sangat rawan"), t.classes["sangat_rawan"], _url("readiness:vulnerability")),
        ]
        tile = self.cases.tile(user)
        return Tile(deployment + tile.figures, _url("readiness:security"))

    def tasks(self, user) -> list[Task]:
        out = list(self.cases.tasks(user))
        t = _totals(user)
        if has_cap(user, "security.manage"):
            out.append(
                Task(
                    _("TPS kurang personel"),
                    _url("readiness:security"),
                    _("kurang %(n)s orang") % {"n": number(t.gap_persons)},
                    t.gap_tps,
                    urgent=bool(t.gap_tps),
                    done=not t.gap_tps,
                )
            )
        if has_cap(user, "risk.manage"):
            out.append(
                Task(
                    _("TPS belum dinilai kerawanannya"),
                    _url("readiness:vulnerability_import"),
                    count=t.unassessed,
                    done=not t.unassessed,
                )
            )
        return out

    def readiness(self, user, regions: Sequence[Region]) -> dict[str, Readiness]:
        areas = _by_region(user, regions)
        cases = self.cases.readiness(user, regions)
        formula = _(
            "Rata-rata dari: TPS dengan personel cukup menurut kelas kerawanannya ÷ TPS, dan kasus keamanan "
            "terbuka yang belum lewat tenggat ÷ kasus terbuka"
        )
        out = {}
        for region in regions:
            t = areas[region.code]
            covered = t.tps - t.gap_tps
            deploy = percent(covered, t.tps)
            case_score = cases[region.code].score if region.code in cases else None
            parts = [s for s in (deploy, case_score) if s is not None]
            out[region.code] = Readiness(
                sum(parts) // len(parts) if parts else None,
                formula,
                _url("readiness:security", wilayah=region.code),
                _("%(a)s dari %(n)s TPS berpersonel cukup") % {"a": number(covered), "n": number(t.tps)},
            )
        return out


readiness = ReadinessPoint()
security = SecurityPoint()
