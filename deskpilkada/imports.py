"""Reading and writing registers as CSV and Excel, shared by every import and export.

An import reads the whole file and checks every row before writing anything; a bad row
rejects the file with a report naming each bad row and column (all-or-nothing). A row whose
first cell begins with "#" is a note (the templates' explanation and example rows) and is skipped.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from deskpilkada.elections.models import Election

XLSX_MAGIC = b"PK\x03\x04"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_REPORTED_ERRORS = 1000
_INTEGER = re.compile(r"-?[0-9]+")
NOTE = "#"  # a row whose first cell starts with it is a note, never data


@dataclass(frozen=True)
class RowError:
    row: int  # the row number as a spreadsheet shows it (the header is row 1); 0 for the file
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        where = _("Baris %(row)d") % {"row": self.row}
        if self.column:
            where += ", " + _("kolom %(col)s") % {"col": self.column}
        return f"{where}: {self.message}"


class ImportRejected(Exception):
    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)[:MAX_REPORTED_ERRORS]
        self.total = len(errors)
        super().__init__("; ".join(str(e) for e in self.errors[:5]))


def _file_error(message: str) -> ImportRejected:
    return ImportRejected([RowError(0, "", message)])


def read_table(
    fileobj,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    max_bytes: int | None = None,
    pattern: str | None = None,
    notes: list[int] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, {column: text}) from a CSV (UTF-8, comma or semicolon) or an .xlsx file.

    The kind is decided by content, never by the file name. Cells come back as stripped text.
    Note rows (first cell "#…") are skipped; their numbers go to `notes` when it is given.
    """
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    size = getattr(fileobj, "size", None)
    if size is not None and size > max_bytes:
        raise _file_error(
            _("Berkas terlalu besar (%(size)s MB); batasnya %(max)s MB.")
            % {"size": round(size / 2**20, 1), "max": round(max_bytes / 2**20, 1)}
        )
    head = fileobj.read(4)
    fileobj.seek(0)
    rows = _xlsx_rows(fileobj) if head == XLSX_MAGIC else _csv_rows(fileobj)
    try:
        header = next(rows)
    except StopIteration:
        raise _file_error(_("Berkas kosong: baris pertama harus berisi nama kolom."))
    header = [(h or "").strip().lower() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportRejected([RowError(1, c, _("kolom wajib tidak ada di baris judul")) for c in missing])
    known = set(required) | set(optional)
    extra = re.compile(pattern) if pattern else None
    unknown = [h for h in header if h and h not in known and not (extra and extra.fullmatch(h))]
    if unknown:
        raise ImportRejected([RowError(1, h, _("kolom tidak dikenal")) for h in unknown])
    width, named = len(header), all(header)
    text_cells = head != XLSX_MAGIC  # a CSV's cells are text already; a sheet's may be numbers or empty
    for number, cells in enumerate(rows, start=2):
        values = [c.strip() for c in cells] if text_cells else ["" if c is None else str(c).strip() for c in cells]
        if not any(values):
            continue
        if values[0].startswith(NOTE):
            if notes is not None:
                notes.append(number)
            continue
        if len(values) < width:
            values += [""] * (width - len(values))
        if named:  # the common case, without a comprehension per row (a DPT has 815,249 rows)
            yield number, dict(zip(header, values, strict=False))
        else:
            yield number, {h: values[i] for i, h in enumerate(header) if h}


def scan_column(fileobj, column: str) -> Iterator[str]:
    """The values of one column, streamed, without building a row dict (a cheap first pass)."""
    head = fileobj.read(4)
    fileobj.seek(0)
    rows = _xlsx_rows(fileobj) if head == XLSX_MAGIC else _csv_rows(fileobj)
    header = [(h or "").strip().lower() for h in next(rows, [])]
    if column not in header:
        return
    index = header.index(column)
    for cells in rows:
        if cells and str(cells[0] or "").strip().startswith(NOTE):
            continue
        if index < len(cells) and cells[index] is not None:
            yield str(cells[index]).strip()


def _csv_rows(fileobj) -> Iterator[list]:
    sample = fileobj.read(4096)
    fileobj.seek(0)
    if isinstance(sample, bytes):
        if b"\x00" in sample:
            raise _file_error(_("Jenis berkas tidak dikenali: unggah CSV (UTF-8) atau Excel (.xlsx)."))
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 4:  # not just a character cut at the sample's end
                raise _file_error(_("Berkas bukan teks UTF-8: simpan sebagai CSV UTF-8 atau Excel (.xlsx)."))
        text = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="")
        sample = sample.decode("utf-8", "ignore")
    else:
        text = fileobj
    delimiter = ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
    try:
        yield from csv.reader(text, delimiter=delimiter)
    except UnicodeDecodeError:
        raise _file_error(_("Berkas bukan teks UTF-8: simpan sebagai CSV UTF-8 atau Excel (.xlsx)."))
    except csv.Error as exc:
        raise _file_error(_("CSV tidak dapat dibaca: %(err)s") % {"err": exc})
    finally:
        if isinstance(text, io.TextIOWrapper):
            with contextlib.suppress(ValueError):  # the caller may have closed the file already
                text.detach()


def _xlsx_rows(fileobj) -> Iterator[list]:
    from openpyxl import load_workbook  # lazy: openpyxl is heavy and only Excel files need it

    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:
        raise _file_error(_("Berkas Excel rusak atau bukan .xlsx."))
    try:
        for row in wb.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(c) for c in row]
    finally:
        wb.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat()
    return str(value)


def parse_int(value: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """Parse a whole number; raises ValueError with an Indonesian message."""
    text = value.replace(" ", "")
    if text == "":
        raise ValueError(_("wajib diisi"))
    if not _INTEGER.fullmatch(text):  # int() also takes "1_000", "+5" and "٣"
        raise ValueError(_("«%(v)s» bukan bilangan bulat") % {"v": value})
    number = int(text)
    if number < minimum:
        raise ValueError(_("tidak boleh kurang dari %(min)d") % {"min": minimum})
    if maximum is not None and number > maximum:
        raise ValueError(_("tidak boleh lebih dari %(max)d") % {"max": maximum})
    return number


def parse_float(value: str, *, minimum: float, maximum: float, required: bool = False) -> float | None:
    text = value.replace(",", ".").strip()
    if text == "":
        if required:
            raise ValueError(_("wajib diisi"))
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(_("«%(v)s» bukan angka") % {"v": value})
    if not minimum <= number <= maximum:
        raise ValueError(_("harus antara %(min)s dan %(max)s") % {"min": minimum, "max": maximum})
    return number


def parse_bool(value: str) -> bool:
    text = value.strip().lower()
    if text in {"ya", "y", "1", "true", "yes"}:
        return True
    if text in {"", "tidak", "t", "0", "false", "no"}:
        return False
    raise ValueError(_("isi «ya» atau «tidak»"))


class _Echo:
    def write(self, value: str) -> str:
        return value


# A text cell beginning with one of these is read as a formula (or a DDE command) by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value that no spreadsheet will run: text that would start a formula gets a leading
    apostrophe (OWASP's advice for CSV injection); numbers, dates and empty cells stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename: str, columns: Sequence[str], rows) -> StreamingHttpResponse:
    """Every export writes CSV through here, so every cell is neutralised. The rows are read as the
    answer is sent, after the request's language is gone: they are read in it all the same."""
    writer = csv.writer(_Echo())
    language = translation.get_language()

    def stream():
        with translation.override(language):
            yield "\ufeff" + writer.writerow([neutralise(c) for c in columns])
            for row in rows:
                yield writer.writerow([neutralise(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_row(ws, values) -> list:
    """Cells for a write-only sheet: text is always written as a text cell (openpyxl would otherwise
    store a string beginning with "=" as a live formula), neutralised like the CSV."""
    from openpyxl.cell import WriteOnlyCell  # lazy: openpyxl is heavy and only Excel files need it

    cells = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(ws, value=neutralise(value))
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def xlsx_response(filename: str, columns: Sequence[str], rows, sheet: str = "data") -> HttpResponse:
    """Every export writes Excel through here, so every text cell is a neutralised text cell."""
    from openpyxl import Workbook  # lazy: openpyxl is heavy and only Excel files need it

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    ws.append(_xlsx_row(ws, columns))
    for row in rows:
        ws.append(_xlsx_row(ws, row))
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(fmt: str, filename: str, columns: Sequence[str], rows):
    return xlsx_response(filename, columns, rows) if fmt == "xlsx" else csv_response(filename, columns, rows)


# --- the import commands ----------------------------------------------------------------------


class ImportCommand(BaseCommand):
    """What every import command shares: the file (or folder) argument, `--user` (whom the audit
    log names; the system by default), a report of every refused row, and a one-line summary.

    A command sets `help` (and `path_argument`/`path_help` to name its argument otherwise), adds its
    own options in `add_options`, and does the import in `run`, returning the summary line.
    """

    path_argument = "file"
    path_help = "berkas CSV atau Excel (.xlsx)"
    user_help = "nama pengguna yang dicatat di log audit (bawaan: sistem)"

    def add_arguments(self, parser) -> None:
        parser.add_argument(self.path_argument, help=self.path_help)
        parser.add_argument("--user", help=self.user_help)
        self.add_options(parser)

    def add_options(self, parser) -> None:
        """The command's own options, if any."""

    def run(self, path: str, *, by, **options: Any) -> str:
        raise NotImplementedError

    def handle(self, *args, user: str | None = None, **options) -> None:
        by = acting_user(user)
        path = options.pop(self.path_argument)
        try:
            summary = self.run(path, by=by, **options)
        except FileNotFoundError:
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        except ImportRejected as exc:
            raise CommandError(rejection_report(exc.errors, exc.total))
        self.stdout.write(self.style.SUCCESS(f"Selesai: {summary}."))


class ElectionImportCommand(ImportCommand):
    """An import into one election (`--election CODE`), counted for its progress bar when the
    file is a CSV: the command names its action in `importer(fh, by=, election=, progress_total=)`."""

    importer: Any = None

    def add_options(self, parser) -> None:
        parser.add_argument("--election", required=True, help="kode pemilihan, mis. pilkada-2024")

    def run(self, path: str, *, by, **options: Any) -> str:
        code = options["election"]
        election = Election.objects.filter(code=code).first()
        if election is None:
            raise CommandError(f"Pemilihan «{code}» tidak ada.")
        total = None
        if path.lower().endswith(".csv"):
            with open(path, "rb") as fh:
                total = max(sum(1 for _ in fh) - 1, 1)
        with open(path, "rb") as fh:
            return type(self).importer(fh, by=by, election=election, progress_total=total).summary()


def acting_user(username: str | None):
    """The user a command acts as: None (the system) when none is named; refused when unknown."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Pengguna «{username}» tidak ada.")
    return user


def rejection_report(errors: Sequence, total: int | None = None) -> str:
    """A refused import for the terminal: nothing was saved, and every reported error, one a line."""
    count = len(errors) if total is None else total
    lines = "\n".join(f"  {e}" for e in errors)
    return f"Impor dibatalkan, tidak ada yang disimpan ({count} kesalahan):\n{lines}"
