"""Points 2 and 7 per TPS: the readiness checklist and its warnings, disaster risk (BPBD's region
hazards refined per TPS, weather warnings), mitigation plans, Bawaslu's TPS vulnerability and the
security deployment. The rules — checklist items, vulnerability indicators, class thresholds and
the personnel each class needs — are data per election (`checklist.py`, `vulnerability.py`)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deskpilkada import clock
from deskpilkada.elections.deadlines import Deadlined, DeadlineQuerySet
from deskpilkada.elections.models import Election
from deskpilkada.regions.models import Region, RegionHazard
from deskpilkada.tps.models import Tps


class Level(models.IntegerChoices):
    """A hazard's level at a TPS (BPBD's lists give a kelurahan "prone": medium until refined)."""

    NONE = 0, _("tidak rawan")
    LOW = 1, _("rendah")
    MEDIUM = 2, _("sedang")
    HIGH = 3, _("tinggi")


BPBD_LEVEL = Level.MEDIUM  # a kelurahan on BPBD's list, before anyone refines it at the TPS
RISKY = Level.MEDIUM  # from this level a TPS needs a mitigation plan and a backup location


class VulnerabilityClass(models.TextChoices):
    NOT_VULNERABLE = "tidak_rawan", _("tidak rawan")
    VULNERABLE = "rawan", _("rawan")
    VERY_VULNERABLE = "sangat_rawan", _("sangat rawan")


class Force(models.TextChoices):
    POLRI = "polri", _("Polri")
    TNI = "tni", _("TNI")
    LINMAS = "linmas", _("Linmas")


class ReadinessRules(models.Model):
    """The thresholds and ratios of points 2 and 7 for one election (written with defaults the first time)."""

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="readiness_rules")
    vulnerable_from = models.PositiveSmallIntegerField(_("skor rawan mulai"), default=3)
    very_vulnerable_from = models.PositiveSmallIntegerField(_("skor sangat rawan mulai"), default=7)
    # {class: {force: persons per TPS}}; Linmas defaults to the election's linmas_per_tps.
    needs = models.JSONField(_("personel per TPS menurut kelas"), default=dict, blank=True)

    class Meta:
        verbose_name = _("aturan kesiapan TPS")
        verbose_name_plural = _("aturan kesiapan TPS")

    def __str__(self) -> str:
        return str(self.election)

    def klass(self, score: int) -> str:
        if score >= self.very_vulnerable_from:
            return VulnerabilityClass.VERY_VULNERABLE
        if score >= self.vulnerable_from:
            return VulnerabilityClass.VULNERABLE
        return VulnerabilityClass.NOT_VULNERABLE

    def need(self, klass: str, force: str) -> int:
        defaults: dict[str, dict[str, int]] = {
            VulnerabilityClass.NOT_VULNERABLE: {"polri": 1, "tni": 0},
            VulnerabilityClass.VULNERABLE: {"polri": 1, "tni": 1},
            VulnerabilityClass.VERY_VULNERABLE: {"polri": 2, "tni": 1},
        }
        row = (self.needs or {}).get(klass) or {}
        if force in row:
            return int(row[force])
        if force == Force.LINMAS:
            return self.election.linmas_per_tps
        return defaults.get(klass, defaults[VulnerabilityClass.NOT_VULNERABLE]).get(force, 0)

    def needs_table(self) -> dict[str, dict[str, int]]:
        return {k: {f: self.need(k, f) for f in Force.values} for k in VulnerabilityClass.values}


class ChecklistItem(models.Model):
    """One question of the TPS readiness checklist, as data per election: its answer kind, which
    answers raise a flag, who owns the fix and how long they have."""

    class Kind(models.TextChoices):
        YES_NO = "ya_tidak", _("ya / tidak")
        NUMBER = "angka", _("angka")
        CHOICE = "pilihan", _("pilihan")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="checklist_items")
    code = models.SlugField(_("kode"), max_length=40)
    label = models.CharField(_("pertanyaan"), max_length=200)
    help = models.CharField(_("keterangan"), max_length=300, blank=True)
    kind = models.CharField(_("jenis jawaban"), max_length=10, choices=Kind.choices)
    choices = models.JSONField(_("pilihan jawaban"), default=list, blank=True)  # [[value, label], ...]
    flag_values = models.JSONField(_("jawaban yang menandai"), default=list, blank=True)
    flag_below = models.FloatField(_("menandai bila kurang dari"), null=True, blank=True)
    unit = models.CharField(_("satuan"), max_length=20, blank=True)
    flood_prone_only = models.BooleanField(_("hanya untuk TPS rawan banjir"), default=False)
    owner_role = models.CharField(_("penanggung jawab perbaikan (peran)"), max_length=40)
    fix_hours = models.PositiveSmallIntegerField(_("waktu perbaikan (jam)"), default=24)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["election", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="unique_checklist_item")]
        verbose_name = _("butir daftar periksa")
        verbose_name_plural = _("butir daftar periksa")

    def __str__(self) -> str:
        return self.label

    def flags(self, value: str) -> bool:
        """Does this answer raise a warning?"""
        if self.kind == self.Kind.NUMBER:
            try:
                return self.flag_below is not None and float(value) < self.flag_below
            except ValueError:
                return False
        return value in (self.flag_values or [])

    def answer_label(self, value: str) -> str:
        if self.kind == self.Kind.YES_NO:
            return str({"ya": _("ya"), "tidak": _("tidak")}.get(value, value))
        if self.kind == self.Kind.CHOICE:
            return str(dict(self.choices).get(value, value))
        return f"{value} {self.unit}".strip()

    def applies_to(self, flood_prone: bool) -> bool:
        return flood_prone or not self.flood_prone_only


class ChecklistAnswer(models.Model):
    """One answer to one item at one TPS. Answering again adds a row: the latest is `current`, the
    earlier ones are the history."""

    tps = models.ForeignKey(Tps, on_delete=models.CASCADE, related_name="checklist_answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="answers")
    value = models.CharField(_("jawaban"), max_length=40)
    flagged = models.BooleanField(_("ditandai"), default=False)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    photo = models.FileField(_("foto"), upload_to="kesiapan/%Y/%m/", blank=True)
    current = models.BooleanField(default=True)
    answered_at = models.DateTimeField(_("dijawab pada"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["tps", "item__order", "-answered_at", "-pk"]
        indexes = [models.Index(fields=["tps", "current"])]
        constraints = [
            models.UniqueConstraint(
                fields=["tps", "item"], condition=models.Q(current=True), name="one_current_answer_per_item"
            )
        ]
        verbose_name = _("jawaban daftar periksa")
        verbose_name_plural = _("jawaban daftar periksa")

    def __str__(self) -> str:
        return f"{self.tps}: {self.item.code} = {self.value}"

    @property
    def value_label(self) -> str:
        return self.item.answer_label(self.value)

    def audit_area(self) -> str:
        return self.tps.code


class WarningQuerySet(DeadlineQuerySet):
    def open(self) -> WarningQuerySet:
        return self.filter(status=ReadinessWarning.Status.OPEN)


def warning_recipients(warning: ReadinessWarning):
    """Who hears of a warning's deadline: the users of its owner role whose area holds the TPS."""
    from deskpilkada.accounts.access import users_reaching

    return users_reaching(role=warning.owner_role, area=warning.tps.code)


class ReadinessWarning(Deadlined):
    """A flagged checklist answer: the fix, its owner (a role) and its due date. It closes when a
    later answer to the same item no longer flags (or by hand, with a note)."""

    class Status(models.TextChoices):
        OPEN = "open", _("terbuka")
        RESOLVED = "resolved", _("selesai")

    STATUS_STEPS = {"open": {"resolved"}, "resolved": {"open"}}
    DEADLINE_RECIPIENTS = "deskpilkada.readiness.models.warning_recipients"

    tps = models.ForeignKey(Tps, on_delete=models.CASCADE, related_name="readiness_warnings")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="warnings")
    answer = models.ForeignKey(ChecklistAnswer, on_delete=models.CASCADE, related_name="warnings")
    owner_role = models.CharField(_("penanggung jawab"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("dibuka pada"))

    objects = WarningQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["status", "tps"])]
        verbose_name = _("peringatan kesiapan")
        verbose_name_plural = _("peringatan kesiapan")

    def __str__(self) -> str:
        return f"{self.tps}: {self.item.label}"

    def audit_area(self) -> str:
        return self.tps.code

    def get_absolute_url(self) -> str:
        return reverse("readiness:tps", args=[self.tps.code])

    @property
    def owner_role_label(self) -> str:
        from deskpilkada.accounts.roles import ROLES

        return str(ROLES.get(self.owner_role, {}).get("name", self.owner_role))

    @property
    def answer_text(self) -> str:
        return self.item.answer_label(self.answer.value)


class TpsHazard(models.Model):
    """BPBD's refinement of a hazard at one TPS: the level there (NONE drops a kelurahan's listed
    hazard at a TPS on higher ground), or a hazard the kelurahan list does not have."""

    tps = models.ForeignKey(Tps, on_delete=models.CASCADE, related_name="hazards")
    kind = models.CharField(_("jenis bahaya"), max_length=20, choices=RegionHazard.Kind.choices)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        ordering = ["tps", "kind"]
        constraints = [models.UniqueConstraint(fields=["tps", "kind"], name="unique_tps_hazard")]
        verbose_name = _("risiko bencana TPS")
        verbose_name_plural = _("risiko bencana TPS")

    def __str__(self) -> str:
        return f"{self.tps}: {self.get_kind_display()} ({self.get_level_display()})"

    def audit_area(self) -> str:
        return self.tps.code


class MitigationPlan(models.Model):
    """What will be done at a risky TPS, by whom and by when, and where it goes if it must move."""

    tps = models.OneToOneField(Tps, on_delete=models.CASCADE, related_name="mitigation_plan")
    measures = models.TextField(_("langkah mitigasi"), max_length=2000)
    responsible = models.CharField(_("penanggung jawab"), max_length=160)
    due_on = models.DateField(_("selesai paling lambat"))
    backup_address = models.CharField(_("lokasi cadangan"), max_length=255, blank=True)
    backup_lat = models.FloatField(_("lintang lokasi cadangan"), null=True, blank=True)
    backup_lon = models.FloatField(_("bujur lokasi cadangan"), null=True, blank=True)
    updated_at = models.DateTimeField(_("diperbarui"))

    class Meta:
        verbose_name = _("rencana mitigasi")
        verbose_name_plural = _("rencana mitigasi")

    def __str__(self) -> str:
        return f"{self.tps}: {self.measures[:60]}"

    def audit_area(self) -> str:
        return self.tps.code


class WeatherQuerySet(models.QuerySet):
    def in_force(self, at: dt.datetime | None = None) -> WeatherQuerySet:
        """Warnings not over yet (a warning for tomorrow morning already raises the risk today)."""
        return self.filter(ends_at__gt=at or clock.now())


class WeatherWarning(models.Model):
    """A BMKG warning entered by the desk (BPBD): an area, a time window, a hazard; it raises the
    risk of every TPS inside the area by `raise_by` levels until it ends."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="weather_warnings")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah"))
    kind = models.CharField(_("jenis bahaya"), max_length=20, choices=RegionHazard.Kind.choices)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("berakhir"))
    raise_by = models.PositiveSmallIntegerField(_("menaikkan risiko (tingkat)"), default=1)
    text = models.CharField(_("isi peringatan"), max_length=500)
    source = models.CharField(_("sumber"), max_length=160, default="BMKG")
    created_at = models.DateTimeField(_("dicatat pada"))

    objects = WeatherQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="weather_window_ordered")
        ]
        verbose_name = _("peringatan cuaca")
        verbose_name_plural = _("peringatan cuaca")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.region.name}"

    def audit_area(self) -> str:
        return self.region.undotted_code

    def tps(self):
        return Tps.objects.filter(code__startswith=self.region.undotted_code)


class VulnerabilityIndicator(models.Model):
    """One of Bawaslu's TPS-vulnerability indicators, under its variable, with its weight (data per election)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="vulnerability_indicators")
    variable = models.CharField(_("variabel"), max_length=120)
    code = models.SlugField(_("kode"), max_length=40)
    label = models.CharField(_("indikator"), max_length=250)
    weight = models.PositiveSmallIntegerField(_("bobot"), default=1)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["election", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="unique_vulnerability_indicator")]
        verbose_name = _("indikator TPS rawan")
        verbose_name_plural = _("indikator TPS rawan")

    def __str__(self) -> str:
        return self.label


class TpsVulnerability(models.Model):
    """Bawaslu's assessment of one TPS: the indicators present, their score and the class."""

    tps = models.ForeignKey(Tps, on_delete=models.CASCADE, related_name="vulnerabilities")
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    indicators = models.ManyToManyField(VulnerabilityIndicator, blank=True, related_name="tps")
    score = models.PositiveSmallIntegerField(_("skor"), default=0)
    klass = models.CharField(_("kelas"), max_length=20, choices=VulnerabilityClass.choices)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    assessed_at = models.DateTimeField(_("dinilai pada"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tps", "election"], name="unique_tps_vulnerability")]
        indexes = [models.Index(fields=["election", "klass"])]
        verbose_name = _("kerawanan TPS")
        verbose_name_plural = _("kerawanan TPS")

    def __str__(self) -> str:
        return f"{self.tps}: {self.get_klass_display()} ({self.score})"

    def audit_area(self) -> str:
        return self.tps.code


class Deployment(models.Model):
    """The personnel of one force assigned to one TPS: the count (required), the unit and names (optional)."""

    tps = models.ForeignKey(Tps, on_delete=models.CASCADE, related_name="deployments")
    force = models.CharField(_("satuan"), max_length=10, choices=Force.choices)
    count = models.PositiveSmallIntegerField(_("jumlah personel"))
    unit = models.CharField(_("kesatuan"), max_length=160, blank=True)
    names = models.CharField(_("nama personel"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("diperbarui"))

    class Meta:
        ordering = ["tps", "force"]
        constraints = [models.UniqueConstraint(fields=["tps", "force"], name="unique_deployment_per_force")]
        verbose_name = _("penempatan personel")
        verbose_name_plural = _("penempatan personel")

    def __str__(self) -> str:
        return f"{self.tps}: {self.count} {self.get_force_display()}"

    def audit_area(self) -> str:
        return self.tps.code


class SecurityPost(models.Model):
    """A security post or a patrol route, as a note with a place."""

    class Kind(models.TextChoices):
        POST = "pos", _("pos pengamanan")
        PATROL = "patroli", _("rute patroli")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="security_posts")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah"))
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=160)
    place = models.CharField(_("tempat / rute"), max_length=500)
    lat = models.FloatField(_("lintang"), null=True, blank=True)
    lon = models.FloatField(_("bujur"), null=True, blank=True)
    unit = models.CharField(_("kesatuan"), max_length=160, blank=True)
    created_at = models.DateTimeField(_("dicatat pada"))

    class Meta:
        ordering = ["region__code", "kind", "name"]
        verbose_name = _("pos dan patroli")
        verbose_name_plural = _("pos dan patroli")

    def __str__(self) -> str:
        return self.name

    def audit_area(self) -> str:
        return self.region.undotted_code


class TpsState(models.Model):
    """Each TPS's readiness in figures, kept by the actions (`state.refresh`) from the rows above so that
    a map of a city or the summary of a province reads one row per TPS instead of every answer."""

    tps = models.OneToOneField(Tps, on_delete=models.CASCADE, primary_key=True, related_name="readiness_state")
    answered = models.PositiveSmallIntegerField(default=0)  # current answers to items asked of every TPS
    answered_flood = models.PositiveSmallIntegerField(default=0)  # … to items asked only where flood-prone
    flagged = models.PositiveSmallIntegerField(default=0)  # current answers that flag
    open_warnings = models.PositiveSmallIntegerField(default=0)
    polri = models.PositiveSmallIntegerField(default=0)
    tni = models.PositiveSmallIntegerField(default=0)
    linmas = models.PositiveSmallIntegerField(default=0)
    vuln_class = models.CharField(max_length=20, blank=True)  # "" until Bawaslu assessed it
    vuln_score = models.PositiveSmallIntegerField(default=0)
    has_plan = models.BooleanField(default=False)
    has_backup = models.BooleanField(default=False)
    relocated = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ringkasan kesiapan TPS")
        verbose_name_plural = _("ringkasan kesiapan TPS")

    def __str__(self) -> str:
        return str(self.tps)
