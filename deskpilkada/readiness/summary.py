"""The readiness of many TPS at once — the map, the API, the lists and the desk's tiles all read it
from here: checklist state, hazards (BPBD's kelurahan list, refined per TPS, raised by weather
warnings in force), vulnerability, security needed and assigned, relocation. One row per TPS from
`TpsState` plus a few small look-ups, so that a province is one pass."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from deskpilkada import clock
from deskpilkada.elections.models import Election
from deskpilkada.readiness import rules as ruledata
from deskpilkada.readiness.models import (
    BPBD_LEVEL,
    RISKY,
    ChecklistAnswer,
    Deployment,
    Force,
    Level,
    MitigationPlan,
    ReadinessWarning,
    TpsHazard,
    TpsState,
    TpsVulnerability,
    VulnerabilityClass,
    WeatherWarning,
)
from deskpilkada.regions.models import RegionHazard
from deskpilkada.tps.models import Relocation, Tps

FLOOD = RegionHazard.Kind.FLOOD
FORCES = tuple(Force.values)


@dataclass
class TpsReadiness:
    id: int
    code: str
    number: int
    kelurahan: str
    address: str
    lat: float | None
    lon: float | None
    dpt: int
    answered: int
    items: int
    flags: int
    open_warnings: int
    hazards: dict[str, int]  # kind -> level, weather included
    weather: list[int]  # ids of the weather warnings in force over it
    vuln_class: str
    vuln_score: int
    needed: dict[str, int]
    assigned: dict[str, int]
    has_plan: bool
    has_backup: bool
    relocated: bool

    @property
    def complete(self) -> bool:
        return self.answered >= self.items

    @property
    def risk(self) -> int:
        return max(self.hazards.values(), default=Level.NONE)

    @property
    def risky(self) -> bool:
        return self.risk >= RISKY

    @property
    def gap(self) -> int:
        return sum(max(0, self.needed[f] - self.assigned[f]) for f in FORCES)

    @property
    def ready(self) -> bool:
        return self.complete and not self.open_warnings and (not self.risky or self.has_plan)

    @property
    def readiness_status(self) -> str:
        if self.open_warnings:
            return "flagged"
        if self.complete:
            return "ready"
        return "incomplete" if self.answered else "unknown"

    def as_api(self) -> dict:
        return {
            "code": self.code,
            "number": self.number,
            "kelurahan": self.kelurahan,
            "address": self.address,
            "checklist": {
                "complete": self.complete,
                "answered": self.answered,
                "items": self.items,
                "flags": self.flags,
                "open_warnings": self.open_warnings,
            },
            "hazards": [{"kind": k, "level": int(v)} for k, v in sorted(self.hazards.items())],
            "risk_level": int(self.risk),
            "weather_warnings": self.weather,
            "mitigation_plan": self.has_plan,
            "backup_location": self.has_backup,
            "vulnerability": {"class": self.vuln_class or None, "score": self.vuln_score},
            "security": {"needed": self.needed, "assigned": self.assigned, "gap": self.gap},
            "relocated": self.relocated,
        }


@dataclass
class Totals:
    tps: int = 0
    complete: int = 0
    flagged: int = 0
    open_warnings: int = 0
    risky: int = 0
    risky_without_plan: int = 0
    risky_without_backup: int = 0
    weather: int = 0
    classes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VulnerabilityClass.values, 0))
    unassessed: int = 0
    needed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FORCES, 0))
    assigned: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FORCES, 0))
    gap_tps: int = 0
    gap_persons: int = 0
    relocated: int = 0
    ready: int = 0  # complete, no open warning, and a mitigation plan where risky

    def add(self, r: TpsReadiness) -> None:
        self.tps += 1
        self.complete += r.complete
        self.ready += r.ready
        self.flagged += bool(r.open_warnings)
        self.open_warnings += r.open_warnings
        if r.risky:
            self.risky += 1
            self.risky_without_plan += not r.has_plan
            self.risky_without_backup += not r.has_backup
        self.weather += bool(r.weather)
        if r.vuln_class:
            self.classes[r.vuln_class] += 1
        else:
            self.unassessed += 1
        for f in FORCES:
            self.needed[f] += r.needed[f]
            self.assigned[f] += r.assigned[f]
        gap = r.gap
        self.gap_tps += gap > 0
        self.gap_persons += gap
        self.relocated += r.relocated

    def as_api(self) -> dict:
        return {
            "tps": self.tps,
            "checklist_complete": self.complete,
            "tps_with_open_warnings": self.flagged,
            "open_warnings": self.open_warnings,
            "risky": self.risky,
            "risky_without_plan": self.risky_without_plan,
            "risky_without_backup": self.risky_without_backup,
            "under_weather_warning": self.weather,
            "vulnerability": {**self.classes, "unassessed": self.unassessed},
            "security": {"needed": self.needed, "assigned": self.assigned},
            "security_gap_tps": self.gap_tps,
            "security_gap_persons": self.gap_persons,
            "relocated": self.relocated,
        }


def code_prefix(tps: QuerySet[Tps], prefix: str) -> QuerySet[Tps]:
    """The TPS whose code begins with `prefix` (an undotted region code), as a range on the code's index
    (a LIKE 'prefix%' scans every TPS on SQLite)."""
    if not prefix:
        return tps
    return tps.filter(code__gte=prefix, code__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1))


def readiness_rows(tps: QuerySet[Tps], election: Election | None = None) -> list[TpsReadiness]:
    """One TpsReadiness per TPS of `tps` (already limited to the reader's area), in code order."""
    election = election or Election.objects.current()
    if election is None:
        return []
    rules = ruledata.rules(election)
    items = ruledata.checklist(election)
    general = sum(1 for i in items if not i.flood_prone_only)
    flood_only = len(items) - general
    needs = rules.needs_table()
    rows = tps.order_by("code").values_list(
        "pk",
        "code",
        "number",
        "kelurahan_id",
        "kelurahan__name",
        "address",
        "lat",
        "lon",
        "dpt_male",
        "dpt_female",
        "readiness_state__answered",
        "readiness_state__answered_flood",
        "readiness_state__flagged",
        "readiness_state__open_warnings",
        "readiness_state__polri",
        "readiness_state__tni",
        "readiness_state__linmas",
        "readiness_state__vuln_class",
        "readiness_state__vuln_score",
        "readiness_state__has_plan",
        "readiness_state__has_backup",
        "readiness_state__relocated",
    )
    region_hazards: dict[int, list[str]] = {}
    for region_id, kind in RegionHazard.objects.values_list("region_id", "kind"):
        region_hazards.setdefault(region_id, []).append(kind)
    refined: dict[int, dict[str, int]] = {}
    for tps_id, kind, level in TpsHazard.objects.filter(tps__in=tps).values_list("tps_id", "kind", "level"):
        refined.setdefault(tps_id, {})[kind] = level
    weather = [
        (w.region.undotted_code, w.pk, w.kind, w.raise_by)
        for w in WeatherWarning.objects.in_force().filter(election=election).select_related("region")
    ]
    out = []
    for (
        pk,
        code,
        number,
        kel_id,
        kel_name,
        address,
        lat,
        lon,
        male,
        female,
        answered,
        answered_flood,
        flagged,
        open_warnings,
        polri,
        tni,
        linmas,
        vuln_class,
        vuln_score,
        has_plan,
        has_backup,
        relocated,
    ) in rows:
        hazards = {kind: int(BPBD_LEVEL) for kind in region_hazards.get(kel_id, ())}
        hazards.update(refined.get(pk, {}))
        base_flood = hazards.get(FLOOD, 0) > Level.NONE
        over = []
        for prefix, wid, kind, raise_by in weather:
            if code.startswith(prefix):
                over.append(wid)
                hazards[kind] = min(Level.HIGH, hazards.get(kind, 0) + raise_by)
        hazards = {k: v for k, v in hazards.items() if v > Level.NONE}
        klass = vuln_class or VulnerabilityClass.NOT_VULNERABLE
        out.append(
            TpsReadiness(
                id=pk,
                code=code,
                number=number,
                kelurahan=kel_name,
                address=address,
                lat=lat,
                lon=lon,
                dpt=male + female,
                answered=(answered or 0) + ((answered_flood or 0) if base_flood else 0),
                items=general + (flood_only if base_flood else 0),
                flags=flagged or 0,
                open_warnings=open_warnings or 0,
                hazards=hazards,
                weather=over,
                vuln_class=vuln_class or "",
                vuln_score=vuln_score or 0,
                needed=needs[klass],
                assigned={"polri": polri or 0, "tni": tni or 0, "linmas": linmas or 0},
                has_plan=bool(has_plan),
                has_backup=bool(has_backup),
                relocated=bool(relocated),
            )
        )
    return out


def totals(rows: Iterable[TpsReadiness]) -> Totals:
    t = Totals()
    for r in rows:
        t.add(r)
    return t


def totals_by(rows: Iterable[TpsReadiness], width: int) -> dict[str, Totals]:
    """Totals per region whose undotted code is the first `width` digits of a TPS code (6: kecamatan,
    10: kelurahan)."""
    out: dict[str, Totals] = {}
    for r in rows:
        out.setdefault(r.code[:width], Totals()).add(r)
    return out


# --- keeping TpsState ------------------------------------------------------------------------------


def refresh(tps_ids: Iterable[int], election: Election | None = None) -> None:
    """Recompute the TpsState of these TPS from the registers (called by every action that changes one)."""
    ids = list(dict.fromkeys(tps_ids))
    election = election or Election.objects.current()
    if not ids or election is None:
        return
    for start in range(0, len(ids), 900):
        _refresh_chunk(ids[start : start + 900], election)


def _refresh_chunk(ids: list[int], election: Election) -> None:
    answers = (
        ChecklistAnswer.objects.filter(tps_id__in=ids, current=True, item__election=election)
        .values("tps_id")
        .annotate(
            general=Count("pk", filter=Q(item__flood_prone_only=False)),
            flood=Count("pk", filter=Q(item__flood_prone_only=True)),
            flagged=Count("pk", filter=Q(flagged=True)),
        )
    )
    by_answers = {a["tps_id"]: a for a in answers}
    warnings = dict(
        ReadinessWarning.objects.open()
        .filter(tps_id__in=ids)
        .values("tps_id")
        .annotate(n=Count("pk"))
        .values_list("tps_id", "n")
    )
    deployed: dict[int, dict[str, int]] = {}
    for tps_id, force, count in Deployment.objects.filter(tps_id__in=ids).values_list("tps_id", "force", "count"):
        deployed.setdefault(tps_id, {})[force] = count
    vulns = {
        t: (k, s)
        for t, k, s in TpsVulnerability.objects.filter(tps_id__in=ids, election=election).values_list(
            "tps_id", "klass", "score"
        )
    }
    plans = {
        t: bool(addr)
        for t, addr in MitigationPlan.objects.filter(tps_id__in=ids).values_list("tps_id", "backup_address")
    }
    moved = set(Relocation.objects.filter(tps_id__in=ids).values_list("tps_id", flat=True))
    states = []
    for pk in ids:
        a = by_answers.get(pk, {})
        d = deployed.get(pk, {})
        klass, score = vulns.get(pk, ("", 0))
        states.append(
            TpsState(
                tps_id=pk,
                answered=a.get("general", 0),
                answered_flood=a.get("flood", 0),
                flagged=a.get("flagged", 0),
                open_warnings=warnings.get(pk, 0),
                polri=d.get("polri", 0),
                tni=d.get("tni", 0),
                linmas=d.get("linmas", 0),
                vuln_class=klass,
                vuln_score=score,
                has_plan=pk in plans,
                has_backup=plans.get(pk, False),
                relocated=pk in moved,
            )
        )
    TpsState.objects.bulk_create(
        states,
        update_conflicts=True,
        unique_fields=["tps"],
        update_fields=[
            "answered",
            "answered_flood",
            "flagged",
            "open_warnings",
            "polri",
            "tni",
            "linmas",
            "vuln_class",
            "vuln_score",
            "has_plan",
            "has_backup",
            "relocated",
        ],
    )


def in_force_now() -> QuerySet[WeatherWarning]:
    return WeatherWarning.objects.in_force(clock.now()).select_related("region")


# --- totals of many TPS without a row per TPS --------------------------------------------------------


def area_totals(tps: QuerySet[Tps], width: int, election: Election | None = None) -> tuple[Totals, dict[str, Totals]]:
    """The totals of `tps` and per region (the first `width` digits of the code), as `totals` and
    `totals_by` of `readiness_rows` would give them, from one SQL aggregate per kelurahan and class:
    a kelurahan's TPS share its BPBD hazards and weather warnings, so the hazard rules apply per
    kelurahan; the few TPS with hazards refined by BPBD are read one by one."""
    from django.db.models import Case, F, IntegerField, Sum, Value, When

    election = election or Election.objects.current()
    overall, by_area = Totals(), dict[str, Totals]()
    if election is None:
        return overall, by_area
    rules = ruledata.rules(election)
    items = ruledata.checklist(election)
    general = sum(1 for i in items if not i.flood_prone_only)
    flood_only = len(items) - general
    needs = rules.needs_table()
    refined = set(TpsHazard.objects.filter(tps__in=tps).values_list("tps_id", flat=True))
    plain = tps.exclude(pk__in=refined) if refined else tps
    klass = Case(
        When(readiness_state__vuln_class="", then=Value(VulnerabilityClass.NOT_VULNERABLE)),
        When(readiness_state__vuln_class__isnull=True, then=Value(VulnerabilityClass.NOT_VULNERABLE)),
        default=F("readiness_state__vuln_class"),
    )

    def short(force: str):
        """Persons of `force` missing at a TPS, by the need of its class."""
        field = F(f"readiness_state__{force}")
        return Sum(
            Case(
                *[
                    When(**{"need_class": k, f"readiness_state__{force}__lt": n}, then=Value(n) - field)
                    for k, row in needs.items()
                    if (n := row[force])
                ],
                *[When(need_class=k, readiness_state__isnull=True, then=Value(row[force])) for k, row in needs.items()],
                default=Value(0),
                output_field=IntegerField(),
            )
        )

    below = Q(pk__in=[])
    for k, row in needs.items():
        for force, n in row.items():
            if n:
                below |= Q(need_class=k) & (Q(**{f"readiness_state__{force}__lt": n}) | Q(readiness_state__isnull=True))
    state = "readiness_state__"
    done_general = Q(**{f"{state}answered__gte": general})
    done_flood = Q(**{f"{state}answered__gte": general, f"{state}answered_flood__gte": flood_only})
    calm = Q(**{f"{state}open_warnings": 0})
    planned = Q(**{f"{state}has_plan": True})
    groups = (
        plain.annotate(need_class=klass)
        .values("kelurahan_id", "kelurahan__code", "need_class", f"{state}vuln_class")
        .annotate(
            n=Count("pk"),
            done_general=Count("pk", filter=done_general),
            done_flood=Count("pk", filter=done_flood),
            flagged=Count("pk", filter=Q(**{f"{state}open_warnings__gt": 0})),
            ready_general=Count("pk", filter=done_general & calm),
            ready_flood=Count("pk", filter=done_flood & calm),
            ready_general_plan=Count("pk", filter=done_general & calm & planned),
            ready_flood_plan=Count("pk", filter=done_flood & calm & planned),
            warnings=Sum(f"{state}open_warnings"),
            no_plan=Count("pk", filter=Q(**{f"{state}has_plan": False}) | Q(readiness_state__isnull=True)),
            no_backup=Count("pk", filter=Q(**{f"{state}has_backup": False}) | Q(readiness_state__isnull=True)),
            moved=Count("pk", filter=Q(**{f"{state}relocated": True})),
            polri=Sum(f"{state}polri"),
            tni=Sum(f"{state}tni"),
            linmas=Sum(f"{state}linmas"),
            short_polri=short("polri"),
            short_tni=short("tni"),
            short_linmas=short("linmas"),
            gap_tps=Count("pk", filter=below),
        )
        .order_by()
    )
    region_hazards: dict[int, set[str]] = {}
    for region_id, kind in RegionHazard.objects.values_list("region_id", "kind"):
        region_hazards.setdefault(region_id, set()).add(kind)
    weather = [
        (w.region.undotted_code, w.kind, w.raise_by)
        for w in WeatherWarning.objects.in_force().filter(election=election).select_related("region")
    ]
    for g in groups:
        code = g["kelurahan__code"].replace(".", "")
        hazards = {kind: int(BPBD_LEVEL) for kind in region_hazards.get(g["kelurahan_id"], ())}
        flood = hazards.get(FLOOD, 0) > Level.NONE
        over = False
        for prefix, kind, raise_by in weather:
            if code.startswith(prefix):
                over = True
                hazards[kind] = min(Level.HIGH, hazards.get(kind, 0) + raise_by)
        risky = max(hazards.values(), default=Level.NONE) >= RISKY
        n = g["n"]
        for t in (overall, by_area.setdefault(code[:width], Totals())):
            t.tps += n
            t.complete += g["done_flood"] if flood else g["done_general"]
            kind = ("ready_flood" if flood else "ready_general") + ("_plan" if risky else "")
            t.ready += g[kind]
            t.flagged += g["flagged"]
            t.open_warnings += g["warnings"] or 0
            if risky:
                t.risky += n
                t.risky_without_plan += g["no_plan"]
                t.risky_without_backup += g["no_backup"]
            t.weather += n if over else 0
            if g[f"{state}vuln_class"]:
                t.classes[g[f"{state}vuln_class"]] += n
            else:
                t.unassessed += n
            for f in FORCES:
                t.needed[f] += n * needs[g["need_class"]][f]
                t.assigned[f] += g[f] or 0
            t.gap_tps += g["gap_tps"]
            t.gap_persons += (g["short_polri"] or 0) + (g["short_tni"] or 0) + (g["short_linmas"] or 0)
            t.relocated += g["moved"]
    if refined:
        for r in readiness_rows(Tps.objects.filter(pk__in=refined), election):
            overall.add(r)
            by_area.setdefault(r.code[:width], Totals()).add(r)
    return overall, by_area
