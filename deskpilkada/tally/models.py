"""Point 5: C.Hasil sheets and their versions, verification, the maintained roll-up, D.Hasil,
Sirekap's figures for comparison, and the finalised recaps."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deskpilkada import clock
from deskpilkada.audit.models import AppendOnlyError
from deskpilkada.tally import rules


class Source(models.TextChoices):
    MANUAL = "manual", _("Entri operator")
    KPPS = "kpps", _("Entri KPPS")
    CSV = "csv", _("Impor CSV")
    SIREKAP = "sirekap", _("Impor Sirekap")
    API = "api", _("API")


class SheetQuerySet(models.QuerySet):
    def held(self) -> SheetQuerySet:
        return self.filter(status=TallySheet.Status.HELD)

    def counted(self) -> SheetQuerySet:
        return self.filter(status=TallySheet.Status.COUNTED)

    def disputed(self) -> SheetQuerySet:
        return self.filter(disputed=True)


class TallySheet(models.Model):
    """One C.Hasil per TPS per contest. Its figures are those of its latest version."""

    class Status(models.TextChoices):
        COUNTED = "counted", _("Dihitung")
        HELD = "held", _("Ditahan")

    contest = models.ForeignKey("elections.Contest", on_delete=models.PROTECT, related_name="sheets")
    tps = models.ForeignKey("tps.Tps", on_delete=models.PROTECT, related_name="sheets")
    status = models.CharField(max_length=10, choices=Status.choices)
    verified = models.BooleanField(default=False)
    disputed = models.BooleanField(default=False)
    latest = models.ForeignKey("SheetVersion", null=True, on_delete=models.PROTECT, related_name="+")
    version_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SheetQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "tps"], name="one_sheet_per_tps_contest")]
        indexes = [models.Index(fields=["contest", "status"])]

    def __str__(self) -> str:
        return f"C.Hasil {self.contest.code} TPS {self.tps.code}"


class SheetVersion(models.Model):
    """An entry of the sheet, never changed once written; each carries the hash of the one before."""

    sheet = models.ForeignKey(TallySheet, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()
    reason = models.CharField(_("alasan koreksi"), max_length=300, blank=True)
    dpt = models.IntegerField()
    dptb = models.IntegerField()
    dpk = models.IntegerField()
    voters_dpt = models.IntegerField()
    voters_dptb = models.IntegerField()
    voters_dpk = models.IntegerField()
    ballots_received = models.IntegerField()
    ballots_used = models.IntegerField()
    ballots_damaged = models.IntegerField()
    ballots_unused = models.IntegerField()
    valid = models.IntegerField()
    invalid = models.IntegerField()
    extra = models.JSONField(default=dict, blank=True)
    passed = models.BooleanField()
    problems = models.JSONField(default=list, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sheet", "number"]
        constraints = [models.UniqueConstraint(fields=["sheet", "number"], name="unique_version_number")]

    COLUMNS = {
        "dpt": "dpt",
        "dptb": "dptb",
        "dpk": "dpk",
        "pengguna_dpt": "voters_dpt",
        "pengguna_dptb": "voters_dptb",
        "pengguna_dpk": "voters_dpk",
        "surat_suara_diterima": "ballots_received",
        "surat_suara_digunakan": "ballots_used",
        "surat_suara_rusak": "ballots_damaged",
        "surat_suara_sisa": "ballots_unused",
        "suara_sah": "valid",
        "suara_tidak_sah": "invalid",
    }

    def __str__(self) -> str:
        return f"{self.sheet} v{self.number}"

    @property
    def voters(self) -> int:
        return self.voters_dpt + self.voters_dptb + self.voters_dpk

    def votes_dict(self) -> dict[int, int]:
        return {v.number: v.votes for v in self.votes.all()}

    def as_sheet(self) -> rules.Sheet:
        return rules.Sheet(
            numbers={key: getattr(self, col) for key, col in self.COLUMNS.items()},
            votes=self.votes_dict(),
            extra=dict(self.extra),
        )


class SheetVote(models.Model):
    version = models.ForeignKey(SheetVersion, on_delete=models.PROTECT, related_name="votes")
    number = models.PositiveSmallIntegerField()
    votes = models.IntegerField()

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="unique_vote_per_version")]

    def __str__(self) -> str:
        return f"paslon {self.number}: {self.votes}"


class SheetPhoto(models.Model):
    """A photo of the plano; served only through a view that checks access."""

    sheet = models.ForeignKey(TallySheet, on_delete=models.PROTECT, related_name="photos")
    version = models.ForeignKey(SheetVersion, null=True, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(upload_to="chasil/%Y/%m/")
    sha256 = models.CharField(max_length=64, db_index=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"foto {self.sha256[:12]}"


class Verification(models.Model):
    """A second independent entry, or a verifier's check against the photo."""

    class Kind(models.TextChoices):
        SECOND_ENTRY = "second_entry", _("Entri kedua")
        PHOTO_CHECK = "photo_check", _("Diperiksa dengan foto")

    sheet = models.ForeignKey(TallySheet, on_delete=models.PROTECT, related_name="verifications")
    version = models.ForeignKey(SheetVersion, on_delete=models.PROTECT, related_name="verifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now, editable=False)
    figures = models.JSONField(default=dict, blank=True)  # the second entry, flat (CSV keys)
    differences = models.JSONField(default=list, blank=True)  # [{"field", "first", "second"}]
    matches = models.BooleanField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sheet_id}"


class RegionTotal(models.Model):
    """The maintained roll-up of one contest in one region, updated with every accepted change."""

    contest = models.ForeignKey("elections.Contest", on_delete=models.CASCADE, related_name="totals")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    tps_total = models.PositiveIntegerField(default=0)
    dpt_registered = models.PositiveIntegerField(default=0)
    tps_counted = models.IntegerField(default=0)
    tps_verified = models.IntegerField(default=0)
    tps_held = models.IntegerField(default=0)
    dpt = models.BigIntegerField(default=0)
    voters = models.BigIntegerField(default=0)
    valid = models.BigIntegerField(default=0)
    invalid = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "region"], name="one_total_per_region")]

    def __str__(self) -> str:
        return f"{self.contest_id}/{self.region_id}"

    @property
    def turnout(self) -> float | None:
        return self.voters / self.dpt if self.dpt else None


class RegionVote(models.Model):
    contest = models.ForeignKey("elections.Contest", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    votes = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "region", "number"], name="one_vote_total")]

    def __str__(self) -> str:
        return f"{self.contest_id}/{self.region_id} paslon {self.number}"


class RecapFinal(models.Model):
    """A finalised kecamatan or city recap: its sheets can no longer change."""

    contest = models.ForeignKey("elections.Contest", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finalised_at = models.DateTimeField(default=clock.now, editable=False)
    snapshot = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "region"], name="one_final_per_region")]

    def __str__(self) -> str:
        return f"Rekap final {self.contest_id}/{self.region_id}"


class DHasil(models.Model):
    """The kecamatan recap as the PPK reads it out (latest entry counts; earlier ones stay)."""

    contest = models.ForeignKey("elections.Contest", on_delete=models.PROTECT, related_name="+")
    kecamatan = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=clock.now, editable=False)
    voters = models.IntegerField()
    valid = models.IntegerField()
    invalid = models.IntegerField()
    votes = models.JSONField()  # {"1": n, ...}

    class Meta:
        ordering = ["-entered_at", "-id"]

    def __str__(self) -> str:
        return f"D.Hasil {self.contest_id}/{self.kecamatan_id}"


class ExternalSheet(models.Model):
    """Figures published by another system (Sirekap) for a TPS, kept apart for comparison."""

    contest = models.ForeignKey("elections.Contest", on_delete=models.PROTECT, related_name="+")
    tps = models.ForeignKey("tps.Tps", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=20, default="sirekap")
    figures = models.JSONField()  # flat, CSV keys, only what the source gives
    images = models.JSONField(default=list)
    source_ts = models.CharField(max_length=40, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "tps", "source"], name="one_external_per_source")]

    def __str__(self) -> str:
        return f"{self.source} {self.tps_id}"


class IdempotencyKey(models.Model):
    """A client's retry key for API submissions: the first answer is stored and replayed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_key")]

    def __str__(self) -> str:
        return self.key


class CheckpointQuerySet(models.QuerySet):
    """Checkpoints are published facts: never edited, never removed, like the audit log."""

    def update(self, **kwargs):
        raise AppendOnlyError("published checkpoints cannot be edited")

    def delete(self):
        raise AppendOnlyError("published checkpoints cannot be deleted")


class ChainCheckpoint(models.Model):
    """The head hash of every TPS chain of a contest at one moment, folded into one signed root.

    Published on the public results page and in the API, so that a root saved outside the desk
    proves later that no version before it changed (see tally/chain.py and docs/ARCHITECTURE.md).
    """

    FORMAT = "deskpilkada-checkpoint-v1"

    contest = models.ForeignKey("elections.Contest", on_delete=models.PROTECT, related_name="checkpoints")
    at = models.DateTimeField(_("waktu"))
    chains = models.PositiveIntegerField(_("rantai"))
    versions = models.PositiveIntegerField(_("versi"))
    last_version_id = models.BigIntegerField(default=0)  # the highest SheetVersion id among the heads
    heads = models.JSONField(default=dict)  # {tps_code: [version number, hash]}: what the root folds
    root = models.CharField(_("akar"), max_length=64, unique=True)
    prev_root = models.CharField(max_length=64, blank=True)  # the contest's previous checkpoint
    signature = models.CharField(max_length=100)  # Ed25519 over `message()`, base64
    key_id = models.CharField(max_length=16)  # which public key signed it
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["contest", "-id"])]
        verbose_name = _("checkpoint rantai C.Hasil")

    def __str__(self) -> str:
        return f"checkpoint #{self.pk} {self.contest_id} {self.root[:12]}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("published checkpoints cannot be edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("published checkpoints cannot be deleted")

    def message(self) -> bytes:
        """The exact bytes the signature covers: every published field, canonical JSON, time in UTC."""
        return json.dumps(
            {
                "format": self.FORMAT,
                "contest": self.contest.code,
                "at": self.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
                "chains": self.chains,
                "versions": self.versions,
                "last_version_id": self.last_version_id,
                "root": self.root,
                "prev_root": self.prev_root,
                "key_id": self.key_id,
            },
            sort_keys=True,
            separators=(",", ":"),
        ).encode()
