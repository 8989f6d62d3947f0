"""Elections, their contests and candidate pairs (paslon), and the rules kept per election."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from deskpilkada import clock
from deskpilkada.memo import per_request
from deskpilkada.tally.rules import Limits


class ElectionQuerySet(models.QuerySet):
    def current(self) -> Election | None:
        """The election marked current, else the next one to vote, else the latest (once per request
        when asked of the whole table)."""
        if not self.query.where and self.db == "default":
            return per_request(("elections.current", clock.today()), self._current)
        return self._current()

    def _current(self) -> Election | None:
        marked = self.filter(is_current=True).first()
        if marked:
            return marked
        today = clock.today()
        return (
            self.filter(voting_date__gte=today).order_by("voting_date").first() or self.order_by("-voting_date").first()
        )


class Election(models.Model):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=160)
    voting_date = models.DateField(_("hari pemungutan suara"))
    polls_open = models.TimeField(_("TPS dibuka"), default=dt.time(7, 0))
    polls_close = models.TimeField(_("TPS ditutup"), default=dt.time(13, 0))
    is_current = models.BooleanField(_("pemilihan aktif di desk"), default=False)
    # The rules of DESIGN.md §4, as data per election.
    max_voters_per_tps = models.PositiveIntegerField(_("pemilih maksimal per TPS"), default=600)
    ballot_reserve_pct = models.DecimalField(_("cadangan surat suara (%)"), max_digits=5, decimal_places=2, default=2.5)
    kpps_per_tps = models.PositiveSmallIntegerField(_("anggota KPPS per TPS"), default=7)
    linmas_per_tps = models.PositiveSmallIntegerField(_("Linmas per TPS"), default=2)
    kpps_min_age = models.PositiveSmallIntegerField(_("usia minimal KPPS"), default=17)
    kpps_max_age = models.PositiveSmallIntegerField(_("usia maksimal KPPS"), default=55)
    plausibility_factor = models.DecimalField(
        _("batas kewajaran suara (× DPT)"), max_digits=4, decimal_places=2, default=1.02
    )
    pindah_memilih_days = models.PositiveSmallIntegerField(_("batas pindah memilih (H-)"), default=7)
    ballot_margin = models.PositiveIntegerField(_("kelonggaran surat suara per TPS"), default=0)
    turnout_floor_pct = models.DecimalField(
        _("batas bawah partisipasi wajar (%)"), max_digits=5, decimal_places=2, default=30
    )
    late_entry_hours = models.PositiveSmallIntegerField(_("entri terlambat setelah (jam)"), default=6)
    invitation_start_days = models.PositiveSmallIntegerField(_("undangan mulai dibagikan (H-)"), default=5)
    invitation_end_days = models.PositiveSmallIntegerField(_("undangan selesai dibagikan (H-)"), default=1)
    # Share of the day's plan a TPS must have reached at H-3, H-2, H-1 (percent).
    invitation_thresholds = models.JSONField(_("ambang peringatan undangan (%)"), default=dict, blank=True)
    turnout_target_pct = models.DecimalField(_("target partisipasi (%)"), max_digits=5, decimal_places=2, default=85)
    version = models.PositiveIntegerField(default=1)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        ordering = ["-voting_date"]
        verbose_name = _("pemilihan")
        verbose_name_plural = _("pemilihan")

    def __str__(self) -> str:
        return self.name

    def h_minus(self, days: int) -> dt.date:
        """The date H-`days` (H is voting day)."""
        return self.voting_date - dt.timedelta(days=days)

    def days_to_voting(self, today: dt.date | None = None) -> int:
        return (self.voting_date - (today or clock.today())).days

    def invitation_window(self) -> list[dt.date]:
        """The days of the invitation delivery window, H-start to H-end."""
        return [self.h_minus(d) for d in range(self.invitation_start_days, self.invitation_end_days - 1, -1)]

    def invitation_threshold(self, days_before: int) -> int:
        defaults = {"3": 90, "2": 90, "1": 100}
        return int((self.invitation_thresholds or {}).get(str(days_before), defaults.get(str(days_before), 90)))

    def tally_limits(self) -> Limits:
        return Limits(self.ballot_reserve_pct, self.ballot_margin, self.plausibility_factor)


class Phase(models.Model):
    """A dated phase of the election calendar (campaign, quiet period, recap, …)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("tahapan"), max_length=120)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))

    class Meta:
        ordering = ["starts_on", "ends_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="phase_dates_ordered")
        ]
        verbose_name = _("tahapan")
        verbose_name_plural = _("tahapan")

    def __str__(self) -> str:
        return self.name


class Contest(models.Model):
    class Kind(models.TextChoices):
        GOVERNOR = "pilgub", _("Gubernur dan Wakil Gubernur")
        REGENT = "pilbup", _("Bupati dan Wakil Bupati")
        MAYOR = "pilwalkot", _("Wali Kota dan Wakil Wali Kota")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=160)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="contests", verbose_name=_("wilayah")
    )
    # Sirekap's paslon ids mapped to ballot numbers: {"100025": 1, ...}.
    sirekap_ids = models.JSONField(_("id paslon Sirekap"), default=dict, blank=True)

    class Meta:
        ordering = ["election", "kind", "code"]
        verbose_name = _("kontestasi")
        verbose_name_plural = _("kontestasi")

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    """A candidate pair (paslon) with its official ballot number."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="candidates")
    number = models.PositiveSmallIntegerField(_("nomor urut"), validators=[MinValueValidator(1)])
    head_name = models.CharField(_("calon kepala daerah"), max_length=120)
    deputy_name = models.CharField(_("calon wakil"), max_length=120)

    class Meta:
        ordering = ["contest", "number"]
        constraints = [models.UniqueConstraint(fields=["contest", "number"], name="unique_ballot_number")]
        verbose_name = _("pasangan calon")
        verbose_name_plural = _("pasangan calon")

    def __str__(self) -> str:
        return f"{self.number}. {self.head_name} – {self.deputy_name}"


class DeadlineRule(models.Model):
    """A deadline kept as data per election: for records of `subject` (an "app.model" label), due
    `amount` `unit` after an anchor — the event the record is about, the record entering a status,
    or voting day (a negative amount counts back: -1 day is H-1) — with a warning `warn_hours` before."""

    class Anchor(models.TextChoices):
        EVENT = "event", _("sejak kejadian diketahui")
        STATUS = "status", _("sejak berstatus")
        VOTING_DAY = "voting_day", _("dari hari pemungutan suara")

    class Unit(models.TextChoices):
        DAYS = "days", _("hari")
        HOURS = "hours", _("jam")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="deadline_rules")
    subject = models.CharField(_("jenis catatan"), max_length=80)  # e.g. "incidents.case"
    code = models.SlugField(_("kode"), max_length=60)
    name = models.CharField(_("nama"), max_length=160)
    anchor = models.CharField(_("dihitung"), max_length=20, choices=Anchor.choices)
    status = models.CharField(_("status awal hitungan"), max_length=40, blank=True)
    amount = models.IntegerField(_("jumlah"))
    unit = models.CharField(_("satuan"), max_length=10, choices=Unit.choices, default=Unit.DAYS)
    warn_hours = models.PositiveIntegerField(_("peringatan sebelum tenggat (jam)"), default=24)

    class Meta:
        ordering = ["election", "subject", "code"]
        constraints = [models.UniqueConstraint(fields=["election", "subject", "code"], name="deadline_rule_unique")]
        verbose_name = _("aturan tenggat")
        verbose_name_plural = _("aturan tenggat")

    def __str__(self) -> str:
        return self.name

    def offset(self) -> dt.timedelta:
        return dt.timedelta(days=self.amount) if self.unit == self.Unit.DAYS else dt.timedelta(hours=self.amount)

    def describe(self) -> str:
        """The rule in words, e.g. "7 hari sejak kejadian diketahui"."""
        return f"{abs(self.amount)} {self.get_unit_display()} {self.get_anchor_display()}" + (
            f" «{self.status}»" if self.anchor == self.Anchor.STATUS else ""
        )
