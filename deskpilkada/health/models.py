"""Point 9, health: hospitals and their in-patient voters (pindah memilih), the TPS that serve each
hospital and the visit schedule on voting day; health posts and on-call puskesmas per kecamatan; the
hours on duty of each crew on the counting night. Officers' health incidents are cases of the
"health" category in the case desk (deskpilkada/cases), read here through `incidents.py`."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Hospital(models.Model):
    code = models.CharField(_("kode RS"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=160)
    kind = models.CharField(_("jenis"), max_length=40, blank=True)
    hospital_class = models.CharField(_("kelas"), max_length=5, blank=True)
    owner = models.CharField(_("pemilik"), max_length=80, blank=True)
    beds = models.PositiveIntegerField(_("tempat tidur"), default=0)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="hospitals", verbose_name=_("wilayah")
    )
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    # The hospital as an organisation of the desk (kind `rumah_sakit`): its staff see its own schedule.
    organisation = models.OneToOneField(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hospital",
        verbose_name=_("organisasi"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("rumah sakit")
        verbose_name_plural = _("rumah sakit")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("health:hospital", args=[self.code])


class InpatientVoter(models.Model):
    """An in-patient who moved the vote to this hospital (pindah memilih, DPTb) before the deadline.
    The NIK is kept only as the DPT's keyed hash; the name only masked. `origin_code` is the dotted
    code of the voter's home region (a kelurahan, kecamatan or kabupaten/kota): the contests the voter
    votes in are those whose region holds both the home and the hospital (contests.py)."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="inpatients")
    nik_hash = models.CharField(max_length=32)
    name_masked = models.CharField(_("nama (disamarkan)"), max_length=120)
    origin_code = models.CharField(_("asal (kode wilayah)"), max_length=13)
    ward = models.CharField(_("ruang rawat"), max_length=80, blank=True)
    registered_on = models.DateField(_("tanggal pindah memilih"))

    class Meta:
        ordering = ["hospital", "registered_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["election", "nik_hash"], name="one_inpatient_vote_per_nik")]
        verbose_name = _("pemilih rawat inap")
        verbose_name_plural = _("pemilih rawat inap")

    def __str__(self) -> str:
        return self.name_masked

    def audit_area(self) -> str:
        return self.hospital.region.undotted_code


class HospitalTps(models.Model):
    """A TPS whose KPPS serves the hospital's in-patients on voting day."""

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="serving")
    tps = models.ForeignKey("tps.Tps", on_delete=models.PROTECT, related_name="hospitals_served")

    class Meta:
        ordering = ["hospital", "tps__code"]
        constraints = [models.UniqueConstraint(fields=["hospital", "tps"], name="one_serving_row_per_tps")]
        verbose_name = _("TPS pelayan rumah sakit")
        verbose_name_plural = _("TPS pelayan rumah sakit")

    def __str__(self) -> str:
        return f"{self.hospital} — {self.tps}"


class VisitQuerySet(models.QuerySet):
    def done(self) -> VisitQuerySet:
        return self.filter(status=Visit.Status.DONE)

    def planned(self) -> VisitQuerySet:
        return self.filter(status=Visit.Status.PLANNED)


class Visit(models.Model):
    """One visit of a serving TPS's KPPS to a ward on voting day: when, the ballots carried, and once
    done, how many voters were served. Statuses through the shared transition (audit/transitions.py)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("terjadwal")
        DONE = "done", _("selesai")
        CANCELLED = "cancelled", _("batal")

    STATUS_STEPS = {"planned": {"done", "cancelled"}, "done": {"planned"}, "cancelled": {"planned"}}

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="visits")
    tps = models.ForeignKey("tps.Tps", on_delete=models.PROTECT, related_name="hospital_visits")
    ward = models.CharField(_("ruang"), max_length=80)
    starts_at = models.DateTimeField(_("waktu kunjungan"))
    ballots = models.PositiveIntegerField(_("surat suara dibawa"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    voters_served = models.PositiveIntegerField(_("pemilih dilayani"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["hospital", "starts_at", "pk"]
        verbose_name = _("jadwal kunjungan")
        verbose_name_plural = _("jadwal kunjungan")

    def __str__(self) -> str:
        return f"{self.hospital} — {self.ward}"

    def get_absolute_url(self) -> str:
        return reverse("health:visit", args=[self.hospital.code, self.pk])

    def audit_area(self) -> str:
        return self.hospital.region.undotted_code


class HealthPost(models.Model):
    """A health post at the polls or a puskesmas on call on voting day, in a kecamatan."""

    class Kind(models.TextChoices):
        POST = "pos", _("pos kesehatan")
        PUSKESMAS = "puskesmas", _("puskesmas siaga")
        AMBULANCE = "ambulans", _("ambulans siaga")

    kecamatan = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="health_posts", verbose_name=_("kecamatan")
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.POST)
    name = models.CharField(_("nama"), max_length=120)
    address = models.CharField(_("alamat"), max_length=200, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    opens_at = models.DateTimeField(_("siaga mulai"))
    closes_at = models.DateTimeField(_("siaga sampai"))
    staff = models.PositiveSmallIntegerField(_("tenaga kesehatan"), default=0)

    class Meta:
        ordering = ["kecamatan__code", "kind", "name"]
        verbose_name = _("pos kesehatan")
        verbose_name_plural = _("pos kesehatan")

    def __str__(self) -> str:
        return self.name


class DutyNote(models.Model):
    """The hours a TPS's crew was on duty on the counting night (one note per TPS and election)."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    tps = models.ForeignKey("tps.Tps", on_delete=models.CASCADE, related_name="duty_notes")
    started_at = models.DateTimeField(_("mulai bertugas"))
    ended_at = models.DateTimeField(_("selesai bertugas"))
    crew_present = models.PositiveSmallIntegerField(_("anggota yang bertugas"), default=0)
    rest_note = models.CharField(_("catatan istirahat dan kondisi"), max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["tps__code"]
        constraints = [models.UniqueConstraint(fields=["election", "tps"], name="one_duty_note_per_tps")]
        verbose_name = _("catatan jam tugas")
        verbose_name_plural = _("catatan jam tugas")

    def __str__(self) -> str:
        return f"{self.tps}"

    @property
    def hours(self) -> float:
        return round((self.ended_at - self.started_at).total_seconds() / 3600, 1)
