"""TPS codes: undotted kelurahan code + three-digit number (`3271011001001`)."""

from __future__ import annotations

import re

from deskpilkada.regions.codes import CodeError, kelurahan_of, undotted

# ASCII digits only: `\d` also takes "٣".
_UNDOTTED = re.compile(r"[0-9]{13}")
_DOTTED = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}\.[0-9]{3}")


def normalize_tps_code(raw: str) -> str:
    code = (raw or "").strip()
    if _DOTTED.fullmatch(code):
        return undotted(code)
    if _UNDOTTED.fullmatch(code):
        return code
    raise CodeError(f"Kode TPS «{raw}» tidak valid: 13 angka (kode kelurahan + nomor TPS), mis. 3271011001001.")


def split_tps_code(code: str) -> tuple[str, int]:
    """(dotted kelurahan code, TPS number)."""
    code = normalize_tps_code(code)
    return kelurahan_of(code), int(code[10:13])


def make_tps_code(village_code: str, number: int) -> str:
    return undotted(village_code) + f"{number:03d}"
