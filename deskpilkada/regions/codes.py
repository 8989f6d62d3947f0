"""Kemendagri region codes: dotted (`32.71.01.1001`) as stored, undotted (KPU) accepted."""

from __future__ import annotations

import re

from django.db.models import Q

# Lengths of the undotted code at each level: province 2, regency 4, district 6, village 10.
# ASCII digits only: `\d` and str.isdigit also take "٣" or "²".
_DOTTED = re.compile(r"[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?")


class CodeError(ValueError):
    pass


def normalize_region_code(raw: str) -> str:
    """Return the dotted form of a region code given dotted or undotted."""
    code = (raw or "").strip()
    if _DOTTED.fullmatch(code):
        return code
    if code.isascii() and code.isdigit() and len(code) in _ENDS[:4]:
        return dotted(code)
    raise CodeError(f"Kode wilayah «{raw}» tidak valid: gunakan format 32.71.01.1001 atau 3271011001.")


# Where each part of an undotted code ends: province, regency/city, kecamatan, kelurahan, TPS number.
_ENDS = (2, 4, 6, 10, 13)
KELURAHAN_WIDTH = _ENDS[3]  # a 13-digit TPS code begins with its kelurahan's undotted code


def undotted(code: str) -> str:
    return code.replace(".", "")


def dotted(code: str) -> str:
    """The dotted form of an undotted code (`3271041001` -> `32.71.04.1001`); a 13-digit TPS code
    keeps its number as a fifth part (`32.71.04.1001.001`). The input is trusted, not checked."""
    parts, start = [], 0
    for end in _ENDS:
        if start >= len(code):
            break
        parts.append(code[start:end])
        start = end
    return ".".join(parts)


def kelurahan_of(tps_code: str) -> str:
    """The dotted code of the kelurahan a 13-digit TPS code belongs to."""
    return dotted(tps_code[:KELURAHAN_WIDTH])


def regions_of(code: str) -> list[str]:
    """The dotted codes of every region `code` lies in, province first: a TPS code's four regions,
    or a region code (dotted or undotted) with the regions above it and itself."""
    digits = undotted(code)
    return [dotted(digits[:end]) for end in _ENDS[:-1] if end <= len(digits)]


def level_of(code: str) -> int:
    """1 province, 2 regency/city, 3 district (kecamatan), 4 village (kelurahan/desa)."""
    return code.count(".") + 1


def code_range(field: str, prefix: str) -> Q:
    """`field` starts with the digits of `prefix`, as a range (prefix ≤ code < prefix + ":", the
    character after "9"): an index range on both engines, where `__startswith` is a LIKE that SQLite
    answers by reading every row. Codes are digits (the vendor's name falls in no range)."""
    if not prefix:
        return Q()
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + ":"})
