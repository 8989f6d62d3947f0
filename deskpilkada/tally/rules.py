"""The C.Hasil form and its counting rules (DESIGN.md §4), as pure functions.

Field keys are the column names of the CSV format (README), so that an error names the same
field in the form, the import report and the API.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from deskpilkada import numbers

# Required numbers of the form, in the order of the paper form.
FIELDS: list[tuple[str, str | Promise]] = [
    ("dpt", gettext_lazy("DPT")),
    ("dptb", gettext_lazy("DPTb")),
    ("dpk", gettext_lazy("DPK")),
    ("pengguna_dpt", gettext_lazy("Pengguna hak pilih dari DPT")),
    ("pengguna_dptb", gettext_lazy("Pengguna hak pilih dari DPTb")),
    ("pengguna_dpk", gettext_lazy("Pengguna hak pilih dari DPK")),
    ("surat_suara_diterima", gettext_lazy("Surat suara diterima")),
    ("surat_suara_digunakan", gettext_lazy("Surat suara digunakan")),
    ("surat_suara_rusak", gettext_lazy("Surat suara rusak/dikembalikan")),
    ("surat_suara_sisa", gettext_lazy("Surat suara tidak digunakan (sisa)")),
    ("suara_sah", gettext_lazy("Suara sah")),
    ("suara_tidak_sah", gettext_lazy("Suara tidak sah")),
]
# Optional numbers (by sex, voters with disabilities).
OPTIONAL: list[tuple[str, str | Promise]] = [
    ("dpt_laki", gettext_lazy("DPT laki-laki")),
    ("dpt_perempuan", gettext_lazy("DPT perempuan")),
    ("dptb_laki", gettext_lazy("DPTb laki-laki")),
    ("dptb_perempuan", gettext_lazy("DPTb perempuan")),
    ("dpk_laki", gettext_lazy("DPK laki-laki")),
    ("dpk_perempuan", gettext_lazy("DPK perempuan")),
    ("pengguna_laki", gettext_lazy("Pengguna hak pilih laki-laki")),
    ("pengguna_perempuan", gettext_lazy("Pengguna hak pilih perempuan")),
    ("pemilih_disabilitas", gettext_lazy("Pengguna hak pilih penyandang disabilitas")),
]
LABELS = dict(FIELDS + OPTIONAL)
# The bound of every number a C.Hasil submission carries, in the form, the API and the import: no
# TPS figure comes near it, and it keeps every number well inside the database's integer.
MAX_FIGURE = 1_000_000
FIELD_KEYS = [k for k, _label in FIELDS]
OPTIONAL_KEYS = [k for k, _label in OPTIONAL]


def vote_key(number: int) -> str:
    return f"paslon_{number}"


def label(key: str, names: Mapping[int, str] | None = None) -> str:
    """The label users know for a field: "Suara sah"; a paslon's votes with its names when given
    ("Paslon 3 (Dedie A. Rachim – Jenal Mutaqin)")."""
    if key.startswith("paslon_"):
        number = key.split("_", 1)[1]
        if names and number.isdigit() and int(number) in names:
            return _("Paslon %(n)s (%(names)s)") % {"n": number, "names": names[int(number)]}
        return _("Suara paslon %(n)s") % {"n": number}
    return str(LABELS.get(key, key))


@dataclass
class Sheet:
    """The numbers of one C.Hasil: required fields, optional fields, votes by ballot number."""

    numbers: dict[str, int]
    votes: dict[int, int]
    extra: dict[str, int] = field(default_factory=dict)

    def get(self, key: str) -> int:
        return self.numbers.get(key, 0)

    @property
    def voters(self) -> int:
        return self.get("pengguna_dpt") + self.get("pengguna_dptb") + self.get("pengguna_dpk")

    def as_flat(self) -> dict[str, int]:
        flat = dict(self.numbers)
        flat.update(self.extra)
        flat.update({vote_key(n): v for n, v in sorted(self.votes.items())})
        return flat


@dataclass(frozen=True)
class Limits:
    ballot_reserve_pct: Decimal = Decimal("2.5")
    ballot_margin: int = 0
    plausibility_factor: Decimal = Decimal("1.02")


# The counting rules' messages by rule, in Indonesian (the catalogue has them in English). A problem
# is kept as its rule and its figures, so that it is said in the reader's language and with the
# reader's number format wherever it is shown (the held list, the sheet, the form, the API), and
# the browser's own check of the form (tally-form.js) says the same words. A figure that names a
# field is {"field": key}, said as the field's label.
RULES: dict[str, str] = {
    "negative": gettext_noop("%(f)s tidak boleh negatif."),
    "vote_negative": gettext_noop("Suara paslon %(n)s tidak boleh negatif."),
    "dpt_registered": gettext_noop("DPT di formulir (%(a)s) berbeda dari DPT TPS ini (%(b)s)."),
    "dpk_voters": gettext_noop(
        "DPK (%(a)s) harus sama dengan pengguna hak pilih dari DPK (%(b)s): pemilih DPK dicatat saat memilih."
    ),
    "valid_sum": gettext_noop("Suara sah (%(sah)s) harus sama dengan jumlah suara semua paslon (%(sum)s)."),
    "ballots_used": gettext_noop("Suara sah + tidak sah (%(a)s) harus sama dengan surat suara digunakan (%(b)s)."),
    "voters_used": gettext_noop(
        "Surat suara digunakan (%(a)s) harus sama dengan jumlah pengguna hak pilih DPT + DPTb + DPK (%(b)s)."
    ),
    "voters_registered": gettext_noop(
        "Pengguna hak pilih (%(a)s) melebihi jumlah pemilih terdaftar DPT + DPTb + DPK (%(b)s)."
    ),
    "list_voters": gettext_noop("%(a)s (%(x)s) melebihi %(b)s (%(y)s)."),
    "ballots_accounted": gettext_noop(
        "Surat suara digunakan + rusak + sisa (%(a)s) harus sama dengan surat suara diterima (%(b)s)."
    ),
    "ballots_reserve": gettext_noop("Surat suara diterima (%(a)s) melebihi DPT + %(pct)s%% cadangan (%(b)s)."),
    "plausible": gettext_noop("Jumlah suara (%(a)s) melebihi batas kewajaran DPT × %(f)s (%(b)s)."),
    "sex_split": gettext_noop("%(p)s laki-laki + perempuan (%(a)s) harus sama dengan %(p)s (%(b)s)."),
    "voters_sex": gettext_noop(
        "Pengguna hak pilih laki-laki + perempuan (%(a)s) harus sama dengan jumlah pengguna hak pilih (%(b)s)."
    ),
    "disabled_voters": gettext_noop("Pemilih disabilitas (%(a)s) melebihi jumlah pengguna hak pilih (%(b)s)."),
}


def _said(value) -> str:
    if isinstance(value, dict) and "field" in value:
        return label(value["field"])
    return numbers.number(value)


def message(problem: dict) -> str:
    """A stored problem in the active language. Problems stored before they carried their rule keep
    the text they were stored with."""
    rule = RULES.get(problem.get("rule", ""))
    if rule is None:
        return str(problem.get("message", ""))
    return _(rule) % {k: _said(v) for k, v in problem.get("params", {}).items()}


def described(problems: list[dict]) -> list[dict]:
    """Stored problems as shown: each with its field's label and its message in the active language."""
    return [{"field": p["field"], "label": label(p["field"]), "message": message(p)} for p in problems]


@dataclass(frozen=True)
class Problem:
    field: str
    rule: str
    params: dict

    @property
    def message(self) -> str:
        return message({"rule": self.rule, "params": self.params})

    def as_dict(self) -> dict:
        """As stored with the version (and hashed into its chain): the rule and its figures, and the
        message in Indonesian, whatever the language of the one who entered the sheet."""
        with translation.override("id"):
            text = self.message
        return {"field": self.field, "rule": self.rule, "params": self.params, "message": text}


def max_ballots(dpt: int, limits: Limits) -> int:
    """DPT + reserve, rounded up per TPS, plus the configured margin."""
    return math.ceil(Decimal(dpt) * (1 + limits.ballot_reserve_pct / 100)) + limits.ballot_margin


def balanced_sheet(
    dpt: int,
    votes: Sequence[int],
    *,
    invalid: int = 0,
    dptb: int = 0,
    voters_dptb: int = 0,
    dpk: int = 0,
    damaged: int = 0,
    received: int | None = None,
) -> Sheet:
    """A sheet whose numbers add up: the votes of paslon 1, 2, … and the invalid ballots are the
    voters; DPK voters are the DPK (listed as they vote), DPT voters the rest; ballots received are
    the DPT with the default reserve unless given, and those neither used nor damaged are unused.
    For the demo, the benchmarks and tests; the plausibility bound still depends on the figures."""
    valid = sum(votes)
    voters = valid + invalid
    received = max_ballots(dpt, Limits()) if received is None else received
    return Sheet(
        numbers={
            "dpt": dpt,
            "dptb": dptb,
            "dpk": dpk,
            "pengguna_dpt": voters - voters_dptb - dpk,
            "pengguna_dptb": voters_dptb,
            "pengguna_dpk": dpk,
            "surat_suara_diterima": received,
            "surat_suara_digunakan": voters,
            "surat_suara_rusak": damaged,
            "surat_suara_sisa": received - voters - damaged,
            "suara_sah": valid,
            "suara_tidak_sah": invalid,
        },
        votes=dict(enumerate(votes, start=1)),
    )


def check(sheet: Sheet, limits: Limits, *, registered_dpt: int | None = None) -> list[Problem]:
    """Every rule the sheet breaks, each naming its fields. An empty list means it passes."""
    problems: list[Problem] = []
    get = sheet.get
    for key, value in [*sheet.numbers.items(), *sheet.extra.items()]:
        if value < 0:
            problems.append(Problem(key, "negative", {"f": {"field": key}}))
    for number, value in sheet.votes.items():
        if value < 0:
            problems.append(Problem(vote_key(number), "vote_negative", {"n": number}))
    if problems:
        return problems
    if registered_dpt and get("dpt") != registered_dpt:
        problems.append(Problem("dpt", "dpt_registered", {"a": get("dpt"), "b": registered_dpt}))
    if get("pengguna_dpk") != get("dpk"):
        problems.append(Problem("dpk", "dpk_voters", {"a": get("dpk"), "b": get("pengguna_dpk")}))
    total_votes = sum(sheet.votes.values())
    if get("suara_sah") != total_votes:
        problems.append(Problem("suara_sah", "valid_sum", {"sah": get("suara_sah"), "sum": total_votes}))
    used = get("suara_sah") + get("suara_tidak_sah")
    if used != get("surat_suara_digunakan"):
        problems.append(
            Problem("surat_suara_digunakan", "ballots_used", {"a": used, "b": get("surat_suara_digunakan")})
        )
    if get("surat_suara_digunakan") != sheet.voters:
        problems.append(Problem("pengguna_dpt", "voters_used", {"a": get("surat_suara_digunakan"), "b": sheet.voters}))
    registered = get("dpt") + get("dptb") + get("dpk")
    if sheet.voters > registered:
        problems.append(Problem("pengguna_dpt", "voters_registered", {"a": sheet.voters, "b": registered}))
    for used_key, list_key in (("pengguna_dpt", "dpt"), ("pengguna_dptb", "dptb"), ("pengguna_dpk", "dpk")):
        if get(used_key) > get(list_key):
            problems.append(
                Problem(
                    used_key,
                    "list_voters",
                    {"a": {"field": used_key}, "x": get(used_key), "b": {"field": list_key}, "y": get(list_key)},
                )
            )
    accounted = get("surat_suara_digunakan") + get("surat_suara_rusak") + get("surat_suara_sisa")
    if accounted != get("surat_suara_diterima"):
        problems.append(
            Problem("surat_suara_diterima", "ballots_accounted", {"a": accounted, "b": get("surat_suara_diterima")})
        )
    base_dpt = registered_dpt if registered_dpt else get("dpt")
    ceiling = max_ballots(base_dpt, limits)
    if get("surat_suara_diterima") > ceiling:
        problems.append(
            Problem(
                "surat_suara_diterima",
                "ballots_reserve",
                {"a": get("surat_suara_diterima"), "pct": str(limits.ballot_reserve_pct), "b": ceiling},
            )
        )
    bound = math.floor(Decimal(base_dpt) * limits.plausibility_factor)
    if used > bound:
        factor = str(limits.plausibility_factor)
        problems.append(Problem("suara_sah", "plausible", {"a": used, "f": factor, "b": bound}))
    for prefix in ("dpt", "dptb", "dpk"):
        m, f = sheet.extra.get(f"{prefix}_laki"), sheet.extra.get(f"{prefix}_perempuan")
        if m is not None and f is not None and m + f != get(prefix):
            split = {"p": {"field": prefix}, "a": m + f, "b": get(prefix)}
            problems.append(Problem(f"{prefix}_laki", "sex_split", split))
    m, f = sheet.extra.get("pengguna_laki"), sheet.extra.get("pengguna_perempuan")
    if m is not None and f is not None and m + f != sheet.voters:
        problems.append(Problem("pengguna_laki", "voters_sex", {"a": m + f, "b": sheet.voters}))
    disabled = sheet.extra.get("pemilih_disabilitas")
    if disabled is not None and disabled > sheet.voters:
        problems.append(Problem("pemilih_disabilitas", "disabled_voters", {"a": disabled, "b": sheet.voters}))
    return problems
