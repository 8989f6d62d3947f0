"""Audited writes of point 4: invitation reports, outreach activities, turnout history."""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from deskpilkada.accounts.access import can
from deskpilkada.accounts.models import User
from deskpilkada.audit.log import changes, record, snapshot
from deskpilkada.elections.models import Election
from deskpilkada.imports import ImportRejected, RowError, parse_int, read_table
from deskpilkada.outreach.models import UNDELIVERABLE, InvitationDay, OutreachActivity, TurnoutHistory
from deskpilkada.regions.codes import CodeError, normalize_region_code
from deskpilkada.regions.models import Region
from deskpilkada.tps.models import Tps
from deskpilkada.uploads import UploadRefused, check_image

FIELDS = ["delivered", *[k for k, _label in UNDELIVERABLE]]


class Refused(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class NeedsConfirmation(Refused):
    """The day already holds other, non-zero figures: replacing them must be confirmed (`replace=True`)."""

    def __init__(self, before: dict[str, int]):
        super().__init__("ganti", _("Tanggal ini sudah dilaporkan dengan angka lain. Konfirmasi untuk menggantinya."))
        self.before = before


@transaction.atomic
def record_invitations(
    *, by: User | None, election: Election, tps: Tps, day: dt.date, counts: dict[str, int], replace: bool = False
) -> InvitationDay:
    """Set one day's figures for a TPS (replacing that day's earlier report, never adding).

    Replacing figures that are not all zero with different ones needs `replace=True`, else
    NeedsConfirmation; a replacement is audited with the day's figures before and after."""
    if day not in election.invitation_window():
        raise Refused(
            "day",
            _("Tanggal di luar masa pembagian undangan (H-%(a)d sampai H-%(b)d).")
            % {"a": election.invitation_start_days, "b": election.invitation_end_days},
        )
    for name in FIELDS:
        if counts.get(name, 0) < 0:
            raise Refused(name, _("Tidak boleh negatif."))
    others = (
        InvitationDay.objects.filter(election=election, tps=tps)
        .exclude(day=day)
        .aggregate(t=Sum(F("delivered") + F("moved") + F("deceased") + F("unknown") + F("refused") + F("other")))
    )
    total = (others["t"] or 0) + sum(counts.get(n, 0) for n in FIELDS)
    if total > tps.dpt:
        raise Refused(
            "delivered",
            _("Jumlah undangan tercatat (%(n)d) melebihi DPT TPS ini (%(d)d).") % {"n": total, "d": tps.dpt},
        )
    row = InvitationDay.objects.select_for_update().filter(election=election, tps=tps, day=day).first()
    before = snapshot(row, FIELDS) if row else None
    if row is None:
        row = InvitationDay(election=election, tps=tps, day=day)
    for name in FIELDS:
        setattr(row, name, counts.get(name, 0))
    after = snapshot(row, FIELDS)
    replaced = bool(before and any(before.values()) and changes(before, after)[1])
    if replaced and not replace and before is not None:  # `replaced` implies `before`; mypy needs it said
        raise NeedsConfirmation(before)
    row.reported_by = by if getattr(by, "pk", None) else None
    row.save()
    if replaced:
        record(
            "outreach.invitations_replaced",
            by=by,
            target=row,
            target_repr=f"Undangan TPS {tps.code} {day}",
            before=before,
            after=after,
        )
        return row
    b, a = changes(before, after)
    record(
        "outreach.invitations_reported",
        by=by,
        target=row,
        target_repr=f"Undangan TPS {tps.code} {day}",
        before=b or None,
        after=a or after,
    )
    return row


@transaction.atomic
def load_invitation_days(rows: list[InvitationDay], *, by: User | None) -> int:
    """Many daily reports at once (a PPS spreadsheet, the demo): one audit row for the batch."""
    InvitationDay.objects.bulk_create(rows, batch_size=2000)
    record(
        "outreach.invitations_loaded", by=by, target_repr=f"{len(rows)} laporan undangan", after={"reports": len(rows)}
    )
    return len(rows)


@transaction.atomic
def add_activity(*, by: User | None, election: Election, photo: File | None = None, **fields: Any) -> OutreachActivity:
    photo_type = ""
    if photo:
        try:
            photo_type = check_image(photo, settings.PHOTO_MAX_BYTES)
        except UploadRefused as exc:
            raise Refused("photo", str(exc))
    activity = OutreachActivity.objects.create(
        election=election,
        created_by=by if getattr(by, "pk", None) else None,
        photo=photo or "",
        photo_type=photo_type,
        **fields,
    )
    record("outreach.activity_added", by=by, target=activity, after=snapshot(activity))
    return activity


@transaction.atomic
def save_turnout(*, by: User | None, region: Region, label: str, year: int, dpt: int, voters: int) -> TurnoutHistory:
    """The turnout of one past election in a kelurahan or kecamatan, created or replaced."""
    if dpt < 1:
        raise Refused("dpt", _("DPT minimal 1."))
    if not 0 <= voters <= dpt:
        raise Refused("pengguna", _("pengguna hak pilih melebihi DPT"))
    fields = ["year", "dpt", "voters"]
    row = TurnoutHistory.objects.select_for_update().filter(region=region, label=label[:80]).first()
    before = snapshot(row, fields) if row else None
    if row is None:
        row = TurnoutHistory(region=region, label=label[:80])
    row.year, row.dpt, row.voters = year, dpt, voters
    b, a = changes(before, snapshot(row, fields))
    if before is not None and not a:
        return row  # the same figures again: nothing to write
    row.save()
    record(
        "outreach.turnout_saved",
        by=by,
        target=row,
        target_repr=f"{row.label} {region.code}",
        before=b if before is not None else None,
        after=a,
    )
    return row


TURNOUT_COLUMNS = ["kode_wilayah", "pemilihan", "tahun", "dpt", "pengguna"]


def import_turnout(fileobj: IO[bytes], *, by: User | None) -> int:
    """Past turnout per kecamatan or kelurahan (CSV/Excel); all-or-nothing with a row report.
    A user imports only for regions inside its areas for `outreach.manage`."""
    errors: list[RowError] = []
    rows: list[tuple[Region, str, dict[str, int]]] = []
    for number, row in read_table(fileobj, required=TURNOUT_COLUMNS):
        start = len(errors)
        region = None
        try:
            region = Region.objects.filter(code=normalize_region_code(row["kode_wilayah"])).first()
            if region is None:
                errors.append(RowError(number, "kode_wilayah", _("wilayah tidak ada")))
            elif getattr(by, "pk", None) and not can(by, "outreach.manage", region):
                errors.append(RowError(number, "kode_wilayah", _("wilayah di luar wilayah kewenangan Anda")))
        except CodeError as exc:
            errors.append(RowError(number, "kode_wilayah", str(exc)))
        if not row["pemilihan"]:
            errors.append(RowError(number, "pemilihan", _("wajib diisi")))
        values: dict[str, int] = {}
        for column, bounds in (("tahun", (1955, 2100)), ("dpt", (1, None)), ("pengguna", (0, None))):
            try:
                values[column] = parse_int(row[column], minimum=bounds[0], maximum=bounds[1])
            except ValueError as exc:
                errors.append(RowError(number, column, str(exc)))
        if len(errors) == start and values["pengguna"] > values["dpt"]:
            errors.append(RowError(number, "pengguna", _("pengguna hak pilih melebihi DPT")))
        if len(errors) == start and region is not None:  # a row without its region has an error above
            rows.append((region, row["pemilihan"][:80], values))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        for region, label, v in rows:
            TurnoutHistory.objects.update_or_create(
                region=region, label=label, defaults={"year": v["tahun"], "dpt": v["dpt"], "voters": v["pengguna"]}
            )
        record("outreach.turnout_imported", by=by, after={"rows": len(rows)})
    return len(rows)
