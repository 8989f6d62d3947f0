"""Point 5 for the desk (deskpilkada/desk/protocol.py): the count's tile, tasks and readiness."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from deskpilkada import clock
from deskpilkada.accounts.access import grants_for, has_cap, home_areas, tps_scope
from deskpilkada.desk.protocol import Figure, Readiness, Task, Tile, percent
from deskpilkada.elections.models import Contest, Election
from deskpilkada.numbers import number
from deskpilkada.regions.models import Region
from deskpilkada.tally.models import RegionTotal, TallySheet
from deskpilkada.tps.models import Tps


def _contests() -> list[Contest]:
    election = Election.objects.current()
    if election is None:
        return []
    return list(Contest.objects.filter(election=election).select_related("region", "election").order_by("kind"))


def _counting_started(election: Election | None) -> bool:
    return election is not None and clock.today() >= election.voting_date


def tile(user) -> Tile:
    """Per contest: TPS counted of the TPS in the user's area, and how many sheets are held."""
    figures = []
    tps = Tps.objects.filter(tps_scope(user, "tally.view"))
    total = tps.count()
    for contest in _contests():
        sheets = TallySheet.objects.filter(contest=contest, tps__in=tps)
        url = reverse("tally:home") + f"?pemilihan={contest.code}"
        figures.append(Figure(_("%(c)s: TPS dihitung") % {"c": contest.name}, sheets.counted().count(), url, of=total))
        held = sheets.held().count()
        figures.append(Figure(_("%(c)s: ditahan") % {"c": contest.name}, held, reverse("tally:held"), alert=held > 0))
    return Tile(figures, reverse("tally:home"))


def tasks(user) -> list[Task]:
    out: list[Task] = []
    contests = _contests()
    # A KPPS (or anyone entering for single TPS): "Isi C.Hasil" for each contest of each of its TPS.
    own = [g.tps_id for g in grants_for(user) if "tally.enter" in g.caps and g.tps_id]
    for tps in Tps.objects.filter(pk__in=own).select_related("kelurahan"):
        by_contest = {s.contest_id: s for s in TallySheet.objects.filter(tps=tps)}
        for contest in contests:
            if not tps.code.startswith(contest.region.undotted_code):
                continue
            sheet = by_contest.get(contest.pk)
            url = reverse("tally:enter", args=[tps.code, contest.code])
            if sheet is None:
                detail = _("Belum diisi.")
            elif sheet.status == TallySheet.Status.HELD:
                detail = _("Ditahan: ada isian yang belum cocok, perbaiki.")
            else:
                detail = _("Sudah dihitung.")
            out.append(
                Task(
                    _("Isi C.Hasil %(c)s — %(tps)s") % {"c": contest.name, "tps": tps},
                    url,
                    detail,
                    urgent=sheet is not None and sheet.status == TallySheet.Status.HELD,
                    done=sheet is not None and sheet.status == TallySheet.Status.COUNTED,
                )
            )
    if has_cap(user, "tally.verify"):
        sheets = TallySheet.objects.filter(tps_scope(user, "tally.verify", "tps"))
        held, disputed = sheets.held().count(), sheets.disputed().count()
        unverified = sheets.counted().filter(verified=False, disputed=False).count()
        out.append(
            Task(
                _("C.Hasil ditahan"),
                reverse("tally:held"),
                _("Periksa isian yang belum cocok."),
                held,
                held > 0,
                held == 0,
            )
        )
        out.append(
            Task(
                _("C.Hasil sengketa"),
                reverse("tally:disputed"),
                _("Entri kedua tidak cocok."),
                disputed,
                disputed > 0,
                disputed == 0,
            )
        )
        out.append(
            Task(
                _("C.Hasil menunggu verifikasi"),
                reverse("tally:home"),
                _("Entri kedua atau cek foto."),
                unverified,
                done=unverified == 0,
            )
        )
    if has_cap(user, "tally.import"):
        out.append(
            Task(_("Impor C.Hasil (CSV, Excel)"), reverse("tally:import"), _("Dari rekap manual atau sumber digital."))
        )
    if has_cap(user, "recap.enter"):
        kecamatan = Region.objects.filter(code__in=home_areas(user, "recap.enter"))
        for region in kecamatan:
            targets = (
                [region] if region.level == 3 else list(region.children.order_by("code")) if region.level == 2 else []
            )
            for kec in targets:
                for contest in contests:
                    if kec.code.startswith(contest.region.code):
                        out.append(
                            Task(
                                _("D.Hasil %(c)s — Kecamatan %(k)s") % {"c": contest.name, "k": kec.name},
                                reverse("tally:d_hasil", args=[contest.code, kec.code]),
                                _("Bandingkan rekap kecamatan dengan jumlah C.Hasil."),
                            )
                        )
    return out


def readiness(user, regions: Sequence[Region]) -> dict[str, Readiness]:
    """TPS counted in every contest, as a share of the region's TPS (the contest with fewest counted)."""
    election = Election.objects.current()
    formula = _("TPS yang C.Hasil-nya dihitung ÷ TPS di wilayah (pemilihan dengan hitungan paling sedikit)")
    url = reverse("tally:home")
    if not _counting_started(election):
        return {r.code: Readiness(None, _("Penghitungan dimulai pada hari pemungutan suara."), url) for r in regions}
    totals: dict[str, list[RegionTotal]] = {}
    for row in RegionTotal.objects.filter(contest__election=election, region__in=regions).select_related("region"):
        totals.setdefault(row.region.code, []).append(row)
    out = {}
    for region in regions:
        rows = totals.get(region.code, [])
        if not rows:
            out[region.code] = Readiness(None, formula, url)
            continue
        worst = min(rows, key=lambda t: t.tps_counted)
        out[region.code] = Readiness(
            percent(worst.tps_counted, worst.tps_total),
            formula,
            url,
            _("%(n)s dari %(t)s TPS") % {"n": number(worst.tps_counted), "t": number(worst.tps_total)},
        )
    return out
