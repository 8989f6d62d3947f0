"""Reading the count: region results from the maintained roll-up, anomalies, comparisons."""

from __future__ import annotations

import statistics
from collections import defaultdict

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from deskpilkada import numbers
from deskpilkada.elections.models import Contest
from deskpilkada.memo import ProcessCache
from deskpilkada.regions.codes import CodeError, normalize_region_code, undotted
from deskpilkada.regions.maps import label_points
from deskpilkada.regions.models import Level, Region
from deskpilkada.tally import rules
from deskpilkada.tally.models import DHasil, ExternalSheet, RegionTotal, RegionVote, SheetPhoto, SheetVote, TallySheet
from deskpilkada.tps.models import Tps

# What a CDN or the browser may do with a public result: hold it briefly, serve it a little longer
# while it asks again (every answer carries an ETag, so asking again costs a 304).
PUBLIC_CACHE_CONTROL = "public, max-age=15, stale-while-revalidate=30"
# How long a worker keeps a contest's and a region's ids, and a rendered result (whose version is
# checked on every request anyway), when the change was made by another worker.
PUBLIC_HOLD_SECONDS = 30

# (contest code, region code as written) -> (contest id, region id, dotted region code), or None
# (not kept) for a contest or region that does not exist, a TPS code, or a region outside the contest.
_places: ProcessCache = ProcessCache(PUBLIC_HOLD_SECONDS, Contest, Region)


def _place(contest_code: str, code: str) -> tuple[int, int, str] | None:
    contest = Contest.objects.select_related("region").filter(code=contest_code).first()
    if contest is None or len(undotted(code)) == 13:
        return None
    try:
        region = Region.objects.get(code=normalize_region_code(code))
    except (CodeError, Region.DoesNotExist):
        return None
    return (contest.pk, region.pk, region.code) if contest.region.contains(region) else None


def public_etag(contest_code: str, code: str, *, page: bool, language: str = "") -> str | None:
    """The version of a region's public result, from one indexed read of its totals row's
    `updated_at` (which moves with every change of the region or of any place below it) and, for
    the page, the latest checkpoint it shows; never the totals themselves. None for a place that has
    no region result (the caller answers as before)."""
    place = _places.get((contest_code, code), lambda: _place(contest_code, code))
    if place is None:
        return None
    contest_id, region_id, dotted = place
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT updated_at FROM tally_regiontotal WHERE contest_id = %s AND region_id = %s),"
            " (SELECT max(id) FROM tally_chaincheckpoint WHERE contest_id = %s)",
            [contest_id, region_id, contest_id],
        )
        stamp, checkpoint = cursor.fetchone()
    version = "".join(ch for ch in str(stamp or 0) if ch.isdigit())
    if not page:
        return f"{contest_code}-{dotted}-{version}"
    return f"{contest_code}-{dotted}-{version}-cp{checkpoint or 0}-{language}"


def _tps_block(t: RegionTotal | None) -> dict:
    if t is None:
        return {"total": 0, "counted": 0, "verified": 0, "held": 0}
    return {"total": t.tps_total, "counted": t.tps_counted, "verified": t.tps_verified, "held": t.tps_held}


def share(votes: int, valid: int) -> float | None:
    return round(votes / valid, 6) if valid else None


def region_totals(contest: Contest, region: Region) -> dict:
    """One region's maintained totals (two indexed reads, no recount)."""
    total = RegionTotal.objects.filter(contest=contest, region=region).first()
    votes = dict(RegionVote.objects.filter(contest=contest, region=region).values_list("number", "votes"))
    valid = total.valid if total else 0
    return {
        "contest": contest.code,
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "tps": _tps_block(total),
        "dpt": total.dpt if total else 0,
        "dpt_registered": total.dpt_registered if total else 0,
        "voters": total.voters if total else 0,
        "valid": valid,
        "invalid": total.invalid if total else 0,
        "turnout": round(total.turnout, 6) if total and total.turnout is not None else None,
        "paslon": [
            {
                "number": c.number,
                "name": f"{c.head_name} – {c.deputy_name}",
                "votes": votes.get(c.number, 0),
                "share": share(votes.get(c.number, 0), valid),
            }
            for c in contest.candidates.all()
        ],
        "updated_at": total.updated_at.isoformat() if total else None,
    }


def region_result(contest: Contest, region: Region) -> dict:
    """The result of one region in the shape of GET /api/v1/results/<contest>/<region>."""
    out = region_totals(contest, region)
    out["children"] = (
        region_children(contest, region) if region.level < Level.VILLAGE else tps_children(contest, region)
    )
    return out


def region_children(contest: Contest, region: Region) -> list[dict]:
    children = list(region.children.filter(pk__in=RegionTotal.objects.filter(contest=contest).values("region_id")))
    points = label_points(children)
    totals = {t.region_id: t for t in RegionTotal.objects.filter(contest=contest, region__in=children)}
    votes: dict[int, dict[int, int]] = defaultdict(dict)
    for rid, number, v in RegionVote.objects.filter(contest=contest, region__in=children).values_list(
        "region_id", "number", "votes"
    ):
        votes[rid][number] = v
    return [
        {
            "code": c.code,
            "name": c.name,
            "tps": _tps_block(totals.get(c.pk)),
            "valid": totals[c.pk].valid,
            "invalid": totals[c.pk].invalid,
            "voters": totals[c.pk].voters,
            "dpt": totals[c.pk].dpt,
            "lat": points[c.pk][0] if c.pk in points else None,
            "lon": points[c.pk][1] if c.pk in points else None,
            "paslon": [{"number": n, "votes": v} for n, v in sorted(votes[c.pk].items())],
        }
        for c in children
    ]


def tps_children(contest: Contest, kelurahan: Region) -> list[dict]:
    sheets = {
        s.tps_id: s
        for s in TallySheet.objects.filter(contest=contest, tps__kelurahan=kelurahan).select_related("latest")
    }
    votes: dict[int, dict[int, int]] = defaultdict(dict)
    for vid, number, count in SheetVote.objects.filter(
        version_id__in=[s.latest_id for s in sheets.values()]
    ).values_list("version_id", "number", "votes"):
        votes[vid][number] = count
    out = []
    for tps in Tps.objects.filter(kelurahan=kelurahan).order_by("number"):
        s = sheets.get(tps.pk)
        counted = s is not None and s.status == TallySheet.Status.COUNTED
        v = s.latest if s is not None and counted else None
        out.append(
            {
                "code": tps.code,
                "name": f"TPS {tps.number:03d}",
                "lat": tps.lat,
                "lon": tps.lon,
                "tps": {
                    "total": 1,
                    "counted": int(counted),
                    "verified": int(bool(s and s.verified and counted)),
                    "held": int(bool(s and s.status == TallySheet.Status.HELD)),
                },
                "valid": v.valid if v else 0,
                "invalid": v.invalid if v else 0,
                "voters": v.voters if v else 0,
                "dpt": v.dpt if v else 0,
                "paslon": [{"number": n, "votes": x} for n, x in sorted(votes[v.pk].items())] if v else [],
            }
        )
    return out


def tps_result(contest: Contest, tps: Tps) -> dict:
    sheet = TallySheet.objects.filter(contest=contest, tps=tps).select_related("latest").first()
    v = sheet.latest if sheet else None
    photos = list(SheetPhoto.objects.filter(sheet=sheet)) if sheet else []
    return {
        "contest": contest.code,
        "tps": tps,
        "sheet": sheet,
        "version": v,
        "counted": bool(sheet and sheet.status == TallySheet.Status.COUNTED),
        "votes": v.votes_dict() if v else {},
        "photos": photos,
    }


# --- anomalies (warnings, never rejections) -----------------------------------------------

ROBUST_Z = 3.5  # |x - median| / (1.4826 × MAD) above this is "far from its kelurahan"
MIN_GAP = 0.10  # ... and at least 10 percentage points away: a tight kelurahan has a tiny MAD
MIN_NEIGHBOURS = 4


ANOMALY_LABELS = {
    "turnout_high": gettext_lazy("partisipasi > 100%"),
    "turnout_low": gettext_lazy("partisipasi rendah"),
    "share_outlier": gettext_lazy("suara menyimpang"),
    "same_photo": gettext_lazy("foto sama"),
    "late": gettext_lazy("entri terlambat"),
}


def anomalies(contest: Contest, scope: Q | None = None, limit: int | None = None) -> list[dict]:
    """Warnings over the counted sheets: turnout above 100 % or below the election's floor; a
    paslon's share far from the other TPS of the kelurahan (robust z-score on the median and the
    median absolute deviation); the same photo on two TPS; a sheet entered long after its kelurahan's."""
    election = contest.election
    sheets = list(
        TallySheet.objects.counted()
        .filter(contest=contest)
        .filter(scope or Q())
        .select_related("latest", "tps__kelurahan")
    )
    votes: dict[int, dict[int, int]] = defaultdict(dict)
    for vid, n, v in SheetVote.objects.filter(version_id__in=[s.latest_id for s in sheets]).values_list(
        "version_id", "number", "votes"
    ):
        votes[vid][n] = v
    found: list[dict] = []
    names = {c.number: f"{c.head_name} – {c.deputy_name}" for c in contest.candidates.all()}

    def flag(sheet, kind, message):
        found.append(
            {
                "sheet": sheet,
                "tps": sheet.tps,
                "kind": kind,
                "label": ANOMALY_LABELS[kind],
                "message": message,
                "at": sheet.latest.entered_at,
            }
        )

    floor = float(election.turnout_floor_pct) / 100
    by_kelurahan: dict[int, list] = defaultdict(list)
    for s in sheets:
        v = s.latest
        turnout = v.voters / v.dpt if v.dpt else None
        if turnout is not None and turnout > 1:
            flag(s, "turnout_high", _("Partisipasi %(p)s melebihi 100%%.") % {"p": numbers.percent(turnout)})
        elif turnout is not None and turnout < floor:
            flag(
                s,
                "turnout_low",
                _("Partisipasi %(p)s di bawah batas wajar %(f)s.")
                % {"p": numbers.percent(turnout), "f": numbers.percent(floor, 0 if (100 * floor).is_integer() else 1)},
            )
        by_kelurahan[s.tps.kelurahan_id].append(s)
    for group in by_kelurahan.values():
        if len(group) > MIN_NEIGHBOURS:
            ballot_numbers = sorted({n for s in group for n in votes[s.latest_id]})
            for n in ballot_numbers:
                shares = [(s, votes[s.latest_id].get(n, 0) / s.latest.valid) for s in group if s.latest.valid]
                if len(shares) <= MIN_NEIGHBOURS:
                    continue  # too few TPS with valid votes to say what is usual here
                for s, x in shares:
                    others = [y for t, y in shares if t is not s]
                    med = statistics.median(others)
                    mad = statistics.median(abs(y - med) for y in others) * 1.4826
                    if mad > 0 and abs(x - med) / mad > ROBUST_Z and abs(x - med) >= MIN_GAP:
                        flag(
                            s,
                            "share_outlier",
                            _("Suara %(paslon)s %(x)s, jauh dari TPS lain di kelurahannya (median %(m)s).")
                            % {
                                "paslon": rules.label(rules.vote_key(n), names),
                                "x": numbers.percent(x),
                                "m": numbers.percent(med),
                            },
                        )
        times = sorted(s.latest.entered_at for s in group)
        if len(times) >= 3:
            median_time = times[len(times) // 2]
            for s in group:
                hours = (s.latest.entered_at - median_time).total_seconds() / 3600
                if hours > election.late_entry_hours:
                    flag(
                        s,
                        "late",
                        _("Dientri %(h)s jam setelah sebagian besar TPS di kelurahannya.")
                        % {"h": numbers.number(round(hours))},
                    )
    photo_rows = SheetPhoto.objects.filter(sheet__contest=contest).values_list("sha256", "sheet_id", "sheet__tps__code")
    by_hash: dict[str, set] = defaultdict(set)
    for digest, _sheet_id, code in photo_rows:
        by_hash[digest].add(code)
    shared = {d: codes for d, codes in by_hash.items() if len(codes) > 1}
    if shared:
        index = {s.tps.code: s for s in sheets}
        # The other TPS are named only where the reader may see them; the rest are counted.
        visible = set(
            TallySheet.objects.filter(contest=contest, tps__code__in={c for cs in shared.values() for c in cs})
            .filter(scope or Q())
            .values_list("tps__code", flat=True)
        )
        for codes in shared.values():
            for code in sorted(codes):
                if code in index:
                    flag(index[code], "same_photo", _same_photo_message(sorted(codes - {code}), visible))
    found.sort(key=lambda a: a["at"], reverse=True)
    return found[:limit] if limit else found


def _same_photo_message(others: list[str], visible: set[str]) -> str:
    named = [c for c in others if c in visible]
    hidden = len(others) - len(named)
    if not hidden:
        return _("Foto yang sama dipakai juga di TPS %(o)s.") % {"o": ", ".join(named)}
    outside = ngettext("%(n)d TPS di luar wilayah Anda", "%(n)d TPS di luar wilayah Anda", hidden) % {"n": hidden}
    if not named:
        return _("Foto yang sama dipakai juga di %(outside)s.") % {"outside": outside}
    return _("Foto yang sama dipakai juga di TPS %(o)s dan %(outside)s.") % {"o": ", ".join(named), "outside": outside}


# --- comparisons --------------------------------------------------------------------------


def sirekap_comparison(contest: Contest, scope: Q | None = None) -> list[dict]:
    """Per TPS with both our sheet and Sirekap's, the fields that differ, largest first."""
    external = {e.tps_id: e for e in ExternalSheet.objects.filter(contest=contest, source="sirekap")}
    sheets = (
        TallySheet.objects.filter(contest=contest, tps_id__in=external)
        .filter(scope or Q())
        .select_related("latest", "tps__kelurahan")
    )
    rows = []
    for s in sheets:
        ours = s.latest.as_sheet().as_flat()
        theirs = external[s.tps_id].figures
        diffs = [
            {"field": k, "label": rules.label(k), "ours": ours.get(k), "sirekap": v, "diff": v - ours.get(k, 0)}
            for k, v in sorted(theirs.items())
            if k in ours and ours.get(k) != v
        ]
        if diffs:
            rows.append(
                {
                    "sheet": s,
                    "tps": s.tps,
                    "diffs": diffs,
                    "size": sum(abs(d["diff"]) for d in diffs),
                    "images": external[s.tps_id].images,
                }
            )
    rows.sort(key=lambda r: r["size"], reverse=True)
    return rows


def d_hasil_comparison(contest: Contest, kecamatan: Region) -> dict:
    entry = DHasil.objects.filter(contest=contest, kecamatan=kecamatan).first()
    total = RegionTotal.objects.filter(contest=contest, region=kecamatan).first()
    sums = dict(RegionVote.objects.filter(contest=contest, region=kecamatan).values_list("number", "votes"))
    lines = []
    if entry and total:
        lines = [
            ("pengguna", _("Pengguna hak pilih"), entry.voters, total.voters),
            ("suara_sah", _("Suara sah"), entry.valid, total.valid),
            ("suara_tidak_sah", _("Suara tidak sah"), entry.invalid, total.invalid),
        ]
        lines += [(f"paslon_{n}", _("Paslon %(n)s") % {"n": n}, v, sums.get(int(n), 0)) for n, v in entry.votes.items()]
    return {
        "entry": entry,
        "total": total,
        "lines": [{"key": k, "label": lbl, "d_hasil": a, "c_hasil": b, "diff": a - b} for k, lbl, a, b in lines],
    }


def kelurahan_turnout(election, kelurahan_ids) -> dict[int, float]:
    """Election-day turnout (voters / DPT of the counted sheets) per kelurahan, from the contest
    with the smallest region in the election (the mayor's or regent's, where there is one)."""
    contests = sorted(Contest.objects.filter(election=election).select_related("region"), key=lambda c: -c.region.level)
    if not contests:
        return {}
    rows = RegionTotal.objects.filter(contest=contests[0], region_id__in=kelurahan_ids, dpt__gt=0)
    return {t.region_id: t.voters / t.dpt for t in rows}
