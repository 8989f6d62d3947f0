"""Points 6, 8, 10 and every incident: one case register with a workflow, deadlines, comments,
attachments, the steps of a legal route and public clarifications of hoaxes."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deskpilkada import clock
from deskpilkada.cases.categories import CATEGORY_CHOICES
from deskpilkada.elections.deadlines import Deadlined, DeadlineQuerySet

# Tracking codes: no 0/O, 1/I/L, 5/S or 8/B that a reporter could mistake for each other.
TRACKING_ALPHABET = "ACDEFGHJKMNPQRTUVWXY234679"
TRACKING_LENGTH = 12


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


class Severity(models.TextChoices):
    CRITICAL = "critical", _("kritis")
    HIGH = "high", _("tinggi")
    MEDIUM = "medium", _("sedang")
    LOW = "low", _("rendah")


SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}


class CaseQuerySet(DeadlineQuerySet):
    def open(self) -> CaseQuerySet:
        return self.exclude(status__in=Case.CLOSED)

    def needs_me_first(self) -> CaseQuerySet:
        """Overdue first, then due soonest, then by severity, then newest."""
        now = clock.now()
        return self.annotate(
            overdue_rank=models.Case(
                models.When(due_at__lte=now, then=0), models.When(due_at__isnull=False, then=1), default=2
            ),
            severity_rank=models.Case(*[models.When(severity=s, then=r) for s, r in SEVERITY_RANK.items()], default=4),
        ).order_by("overdue_rank", "due_at", "severity_rank", "-known_at", "-id")


class Case(Deadlined):
    class Status(models.TextChoices):
        NEW = "new", _("baru")
        VERIFIED = "verified", _("terverifikasi")
        INVALID = "invalid", _("tidak valid")
        DUPLICATE = "duplicate", _("duplikat")
        ASSIGNED = "assigned", _("ditugaskan")
        IN_PROGRESS = "in_progress", _("ditangani")
        ACTION_TAKEN = "action_taken", _("ditindaklanjuti")
        CLOSED = "closed", _("selesai")
        REOPENED = "reopened", _("dibuka kembali")

    class Source(models.TextChoices):
        STAFF = "staff", _("petugas")
        PUBLIC = "public", _("masyarakat")
        API = "api", _("API")
        IMPORT = "import", _("impor")

    STATUS_STEPS = {
        "new": {"verified", "invalid", "duplicate", "assigned"},
        "verified": {"assigned", "in_progress", "invalid", "duplicate"},
        "assigned": {"in_progress", "verified"},
        "in_progress": {"action_taken", "assigned"},
        "action_taken": {"closed", "in_progress"},
        "closed": {"reopened"},
        "invalid": {"reopened"},
        "duplicate": {"reopened"},
        "reopened": {"verified", "assigned", "in_progress", "invalid", "duplicate"},
    }
    CLOSED = ("closed", "invalid", "duplicate")
    # Who hears of a deadline: the handlers of the case's category in its area, and the assignee.
    DEADLINE_RECIPIENTS = "deskpilkada.cases.access.handlers"

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("kategori"), max_length=20, choices=CATEGORY_CHOICES, db_index=True)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("uraian"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    severity = models.CharField(_("tingkat"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    details = models.JSONField(_("rincian"), default=dict, blank=True)
    # The place: a TPS, else a kelurahan or kecamatan; `area` is the undotted code of the smallest of them
    # (a TPS's 13 digits), so that an area-limited reader's scope is a code prefix.
    tps = models.ForeignKey("tps.Tps", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="cases")
    area = models.CharField(max_length=13, db_index=True)
    lat = models.FloatField(_("lintang"), null=True, blank=True)
    lon = models.FloatField(_("bujur"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("waktu kejadian"))
    known_at = models.DateTimeField(_("waktu diketahui"))
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices, default=Source.STAFF)
    tracking_code = models.CharField(
        _("kode lacak"), max_length=TRACKING_LENGTH, unique=True, default=new_tracking_code
    )
    reporter_name = models.CharField(_("nama pelapor"), max_length=120, blank=True)
    reporter_contact = models.CharField(_("kontak pelapor"), max_length=120, blank=True)
    anonymous = models.BooleanField(_("anonim"), default=False)
    # Handling: the region level it is handled at (escalation moves it up), who has it.
    handling_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("ditangani di tingkat")
    )
    assigned_org = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisasi penanggung jawab"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("petugas penanggung jawab"),
    )
    group = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sightings",
        verbose_name=_("laporan serupa dari"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("duplikat dari"),
    )
    # The text near-duplicate grouping compares (similarity.py), normalised once when the case is taken in.
    match_text = models.TextField(blank=True, default="", editable=False)
    info_requested = models.BooleanField(_("keterangan tambahan diminta"), default=False)
    registered_at = models.DateTimeField(_("diregistrasi"), null=True, blank=True)  # Bawaslu: verified
    responded_at = models.DateTimeField(_("mulai ditangani"), null=True, blank=True)
    acted_at = models.DateTimeField(_("ditindaklanjuti"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("dibuka kembali"), null=True, blank=True)
    recommended_at = models.DateTimeField(_("direkomendasikan Bawaslu"), null=True, blank=True)  # ASN: BKPSDM sees it
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("dicatat"), default=clock.now)
    updated_at = models.DateTimeField(_("diperbarui"), default=clock.now)
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-known_at", "-id"]
        indexes = [
            models.Index(fields=["category", "status"]),
            models.Index(fields=["category", "region", "occurred_at"]),
            models.Index(fields=["category", "known_at"]),
            models.Index(fields=["area"]),
            # The inbox: its filters, its order and its counts read this index alone, never the rows.
            models.Index(
                fields=[
                    "group",
                    "status",
                    "area",
                    "due_at",
                    "severity",
                    "known_at",
                    "assigned_to",
                    "assigned_org",
                    "created_by",
                    "category",
                ],
                name="case_inbox_cover",
            ),
        ]
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    def audit_area(self) -> str:
        return self.area

    @property
    def event_at(self):
        """The anchor of "since the event became known" deadlines."""
        return self.known_at

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED


class CaseComment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("catatan"))
    is_outcome = models.BooleanField(_("hasil penanganan"), default=False)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"catatan {self.pk} kasus {self.case_id}"

    def audit_area(self) -> str:
        return self.case.area


class CaseAttachment(models.Model):
    """A photo or PDF of a case; served only through a view that checks the reader may see the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="kasus/%Y/%m/")
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    def audit_area(self) -> str:
        return self.case.area


class CaseStep(models.Model):
    """One step of a case's route outside the desk: the ASN route (Bawaslu's recommendation → BKN →
    the mayor's sanction), a referral to another organisation and its answer, a takedown request."""

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("rekomendasi Bawaslu")
        BKN = "bkn", _("keputusan BKN")
        SANCTION = "sanction", _("sanksi oleh pejabat pembina kepegawaian")
        REFERRAL = "referral", _("diteruskan ke organisasi lain")
        REFERRAL_ANSWER = "referral_answer", _("jawaban organisasi lain")
        ESCALATION = "escalation", _("dinaikkan ke tingkat di atasnya")
        INFO_REQUEST = "info_request", _("keterangan tambahan diminta")

    # The ASN route, in order: each step needs the one before it.
    ASN_ROUTE = ("recommendation", "bkn", "sanction")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("langkah"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("tanggal"))
    reference = models.CharField(_("nomor surat"), max_length=120, blank=True)
    outcome = models.TextField(_("hasil"), blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"

    def audit_area(self) -> str:
        return self.case.area


class Clarification(models.Model):
    """The public clarification of a hoax case (`/klarifikasi/`)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="clarification")
    title = models.CharField(_("judul klarifikasi"), max_length=200)
    claim = models.TextField(_("klaim yang beredar"))
    verdict = models.CharField(_("hasil cek fakta"), max_length=20)
    text = models.TextField(_("klarifikasi"))
    published_at = models.DateTimeField(_("dipublikasikan"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cases:clarification", args=[self.pk])

    def audit_area(self) -> str:
        return self.case.area
