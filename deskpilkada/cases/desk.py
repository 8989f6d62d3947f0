"""Points 6, 7, 8 and 10 for the desk (deskpilkada/desk/protocol.py): the cases of each point's
categories — open, overdue, new today, the newest critical — its handlers' tasks, and its readiness:
the share of open cases that are not overdue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from deskpilkada import clock
from deskpilkada.accounts.access import has_cap
from deskpilkada.cases.access import handled_q, visible_q
from deskpilkada.cases.categories import CATEGORIES
from deskpilkada.cases.models import Case
from deskpilkada.desk.protocol import Figure, Readiness, Task, Tile, percent
from deskpilkada.numbers import number
from deskpilkada.regions.models import Region


@dataclass(frozen=True)
class CasePoint:
    """The desk provider of one point: the cases of `categories`."""

    categories: tuple[str, ...]

    def url(self, **params: str) -> str:
        query = {"kategori": self.categories[0]} if len(self.categories) == 1 else {}
        return reverse("cases:inbox") + "?" + urlencode({**query, **params})

    def _rows(self, user, q=None):
        rows = Case.objects.filter(q if q is not None else visible_q(user), category__in=self.categories)
        return rows.filter(group__isnull=True)  # a group of sightings counts once, as its first case

    def tile(self, user) -> Tile:
        now = clock.now()
        start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)  # the WIB day
        rows = self._rows(user).open()
        counts = rows.aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_at__lte=now)),
            today=Count("pk", filter=Q(known_at__gte=start)),
            critical=Count("pk", filter=Q(severity="critical")),
        )
        newest = rows.filter(severity="critical").order_by("-known_at", "-pk").first()
        figures = [
            Figure(_("Kasus terbuka"), counts["open"], self.url()),
            Figure(_("Lewat tenggat"), counts["overdue"], self.url(lewat="ya"), alert=counts["overdue"] > 0),
            Figure(_("Baru hari ini"), counts["today"], self.url(dari=start.date().isoformat())),
            Figure(
                _("Kritis; terbaru: %(case)s") % {"case": newest} if newest else _("Kritis"),
                counts["critical"],
                newest.get_absolute_url() if newest else self.url(tingkat="critical"),
                alert=counts["critical"] > 0,
            ),
        ]
        return Tile(figures, self.url())

    def tasks(self, user) -> list[Task]:
        caps = {CATEGORIES[c].cap for c in self.categories} | ({"asn.manage"} if "asn" in self.categories else set())
        if not any(has_cap(user, cap) for cap in caps):
            return []  # the point's cases are not this user's work (it may still read them)
        rows = self._rows(user, handled_q(user)).open()
        now = clock.now()
        counts = rows.aggregate(
            overdue=Count("pk", filter=Q(due_at__lte=now)),
            soon=Count("pk", filter=Q(warn_at__lte=now, due_at__gt=now)),
            new=Count("pk", filter=Q(status=Case.Status.NEW)),
            mine=Count("pk", filter=Q(assigned_to=user)),
        )
        out = [
            Task(
                _("Kasus lewat tenggat"),
                self.url(lewat="ya"),
                _("Tangani lebih dulu, lalu yang tenggatnya segera."),
                counts["overdue"],
                urgent=counts["overdue"] > 0,
                done=not counts["overdue"],
            ),
            Task(_("Tenggat segera"), self.url(lewat="segera"), count=counts["soon"], urgent=counts["soon"] > 0),
            Task(
                _("Kasus baru untuk diverifikasi"), self.url(status="new"), count=counts["new"], done=not counts["new"]
            ),
        ]
        if counts["mine"]:
            out.append(Task(_("Ditugaskan kepada saya"), self.url(saya="ya"), count=counts["mine"]))
        return out

    def readiness(self, user, regions: Sequence[Region]) -> dict[str, Readiness]:
        now = clock.now()
        formula = _("Kasus terbuka yang belum lewat tenggat ÷ kasus terbuka (100 bila tidak ada yang terbuka)")
        rows = self._rows(user).open()
        out = {}
        for region in regions:
            counts = rows.filter(area__startswith=region.undotted_code).aggregate(
                open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lte=now))
            )
            total, late = counts["open"], counts["overdue"]
            out[region.code] = Readiness(
                percent(total - late, total) if total else 100,
                formula,
                self.url(wilayah=region.code, lewat="ya" if late else ""),
                _("%(late)s lewat tenggat dari %(n)s terbuka") % {"late": number(late), "n": number(total)},
            )
        return out


fraud = CasePoint(("fraud",))
security = CasePoint(("security",))
hoax = CasePoint(("hoax",))
asn = CasePoint(("asn",))
