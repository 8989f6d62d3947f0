"""Point 3 and the officer side of point 9: the crews (PPK, PPS, KPPS, Linmas), their health
screening and their training (bimtek).

An officer's area is kept as an undotted code (kecamatan for PPK, kelurahan for PPS, the 13-digit
TPS code for KPPS and Linmas), so that "inside an area" is a code prefix and coverage is one
GROUP BY over this table. The latest screening's outcome is kept on the officer by the screening
action, for the same reason; the screening rows themselves stay the record.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deskpilkada.elections.deadlines import Deadlined, DeadlineQuerySet
from deskpilkada.regions.codes import code_range


class Role(models.TextChoices):
    PPK = "ppk", _("PPK")
    PPS = "pps", _("PPS")
    KPPS = "kpps", _("KPPS")
    LINMAS = "linmas", _("Linmas")


# The width of the undotted area code of each role's crew: kecamatan, kelurahan, TPS.
AREA_WIDTH = {Role.PPK: 6, Role.PPS: 10, Role.KPPS: 13, Role.LINMAS: 13}
TPS_ROLES = (Role.KPPS, Role.LINMAS)


class CrewRule(models.Model):
    """How many officers of a role one crew has, and the age range at the date of appointment:
    data per election (written with the defaults of DESIGN.md §4 the first time, rules.py)."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="crew_rules")
    role = models.CharField(_("badan"), max_length=10, choices=Role.choices)
    size = models.PositiveSmallIntegerField(_("anggota per kru"))
    chairs = models.PositiveSmallIntegerField(_("ketua per kru"), default=1)
    min_age = models.PositiveSmallIntegerField(_("usia minimal"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("usia maksimal"), null=True, blank=True)

    class Meta:
        ordering = ["election", "role"]
        constraints = [models.UniqueConstraint(fields=["election", "role"], name="officers_crew_rule_unique")]
        verbose_name = _("aturan kru")
        verbose_name_plural = _("aturan kru")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.size}"


class OfficerQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None) -> OfficerQuerySet:
        """Serving on `on` (default: still serving, not ended)."""
        if on is None:
            return self.filter(ended_on__isnull=True)
        return self.filter(appointed_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))

    def within(self, prefix: str) -> OfficerQuerySet:
        """Officers whose crew lies inside the area with this undotted code prefix ("" = everywhere)."""
        return self.filter(code_range("area_code", prefix))


class Officer(models.Model):
    """One appointment of one person to one crew. NIK is kept only as a keyed hash (voters/keys.py)."""

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class Health(models.TextChoices):
        NONE = "", _("Belum diperiksa")
        FIT = "fit", _("Sehat")
        FIT_NOTES = "fit_notes", _("Sehat dengan catatan")
        UNFIT = "unfit", _("Tidak sehat")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="officers")
    role = models.CharField(_("badan"), max_length=10, choices=Role.choices)
    is_chair = models.BooleanField(_("ketua"), default=False)
    name = models.CharField(_("nama"), max_length=120)
    nik_hash = models.CharField(max_length=32)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    area_code = models.CharField(_("kode wilayah kru"), max_length=13)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="officers", verbose_name=_("wilayah")
    )
    tps = models.ForeignKey(
        "tps.Tps", on_delete=models.PROTECT, null=True, blank=True, related_name="officers", verbose_name=_("TPS")
    )
    appointed_on = models.DateField(_("tanggal pengangkatan"))
    ended_on = models.DateField(_("tanggal berhenti"), null=True, blank=True)
    end_reason = models.CharField(_("alasan berhenti"), max_length=200, blank=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by", verbose_name=_("mengganti")
    )
    health = models.CharField(_("hasil skrining terakhir"), max_length=10, choices=Health.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["area_code", "role", "-is_chair", "name"]
        indexes = [
            models.Index(fields=["election", "area_code"], name="officer_area"),
            models.Index(fields=["election", "nik_hash"], name="officer_nik"),
        ]
        verbose_name = _("petugas")
        verbose_name_plural = _("petugas")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return reverse("officers:officer", args=[self.pk])

    def audit_area(self) -> str:
        return self.area_code

    @property
    def active(self) -> bool:
        return self.ended_on is None

    @property
    def title(self) -> str:
        return f"{self.get_role_display()} — " + (str(_("Ketua")) if self.is_chair else str(_("Anggota")))

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class Screening(models.Model):
    """A health screening of an officer, entered by the health office. Never edited: a new screening
    supersedes the previous one."""

    class Outcome(models.TextChoices):
        FIT = "fit", _("Sehat")
        FIT_NOTES = "fit_notes", _("Sehat dengan catatan")
        UNFIT = "unfit", _("Tidak sehat")

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="screenings")
    screened_on = models.DateField(_("tanggal pemeriksaan"))
    systolic = models.PositiveSmallIntegerField(_("tekanan darah sistolik (mmHg)"))
    diastolic = models.PositiveSmallIntegerField(_("tekanan darah diastolik (mmHg)"))
    blood_sugar = models.PositiveSmallIntegerField(_("gula darah sewaktu (mg/dL)"))
    cholesterol = models.PositiveSmallIntegerField(_("kolesterol total (mg/dL)"))
    outcome = models.CharField(_("hasil"), max_length=10, choices=Outcome.choices)
    notes = models.CharField(_("catatan"), max_length=300, blank=True)
    place = models.CharField(_("tempat pemeriksaan"), max_length=120, blank=True)
    entered_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["officer", "-screened_on", "-pk"]
        verbose_name = _("skrining kesehatan")
        verbose_name_plural = _("skrining kesehatan")

    def __str__(self) -> str:
        return f"{self.officer.name} {self.screened_on}"

    def audit_area(self) -> str:
        return self.officer.area_code


class Topic(models.Model):
    """A training topic; a required one counts in the crew-trained coverage of the roles it names."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="training_topics")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("materi"), max_length=160)
    required_for = models.JSONField(_("wajib untuk"), default=list, blank=True)  # role codes

    class Meta:
        ordering = ["election", "code"]
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="officers_topic_unique")]
        verbose_name = _("materi bimtek")
        verbose_name_plural = _("materi bimtek")

    def __str__(self) -> str:
        return self.name


class SessionQuerySet(DeadlineQuerySet):
    pass


class Session(Deadlined):
    """A training session (bimtek). Its deadline is its start, so that the shared periodic check
    reminds the trainers and the committees of its area before it (DEADLINE_CAP)."""

    DEADLINE_CAP = "officers.train"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="training_sessions")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("materi"))
    title = models.CharField(_("judul"), max_length=160)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    place = models.CharField(_("tempat"), max_length=200)
    trainer = models.CharField(_("narasumber"), max_length=160)
    target_roles = models.JSONField(_("peserta (badan)"), default=list)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="training_sessions", verbose_name=_("wilayah peserta")
    )
    area_code = models.CharField(max_length=13)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="officers_session_ordered")
        ]
        verbose_name = _("sesi bimtek")
        verbose_name_plural = _("sesi bimtek")

    def __str__(self) -> str:
        return self.title

    @property
    def event_at(self) -> dt.datetime:
        return self.starts_at

    def get_absolute_url(self) -> str:
        return reverse("officers:session", args=[self.pk])

    def audit_area(self) -> str:
        return self.area_code


class Material(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(_("berkas"), upload_to="bimtek/%Y/%m/")
    content_type = models.CharField(max_length=100, blank=True)
    name = models.CharField(_("nama berkas"), max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "pk"]

    def __str__(self) -> str:
        return self.name

    def audit_area(self) -> str:
        return self.session.area_code


class Participant(models.Model):
    """An officer invited to a session, whether present, and the test score. The session's topic and
    the officer's crew, role, chair and whether still serving are copied (kept by the actions that
    invite and end officers) so that the crew-trained coverage is one GROUP BY over this table alone."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="participations")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=13)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.KPPS)
    is_chair = models.BooleanField(default=False)
    serving = models.BooleanField(default=True)
    attended = models.BooleanField(_("hadir"), default=False)
    score = models.DecimalField(_("nilai tes"), max_digits=5, decimal_places=2, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["session", "officer__area_code", "officer__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "officer"], name="officers_participant_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)), name="officers_score_range"
            ),
        ]
        indexes = [models.Index(fields=["topic", "area_code"], name="participant_topic_area")]

    def __str__(self) -> str:
        return f"{self.officer.name} @ {self.session}"

    def audit_area(self) -> str:
        return self.area_code
