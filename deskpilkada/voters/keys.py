"""Keyed hashes of NIK and NKK: the only form in which they ever reach the database.

HMAC-SHA256 with NIK_HASH_SECRET, truncated to 128 bits. Without the secret the 16-digit NIK
space cannot be enumerated against a stolen table; with it, look-ups are exact.
"""

from __future__ import annotations

import hmac
import re
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _

# ASCII digits only (`\d` and str.isdigit also take "٣" or "²"), in groups separated by a single
# space or a single dash, as a KTP or a Kartu Keluarga prints them.
_GROUPED = re.compile(r"[0-9]+(?:[ -][0-9]+)*")


class InvalidNumber(ValueError):
    pass


def clean_number(raw: str, field: str = "NIK") -> str:
    """The 16 digits of a NIK or an NKK typed as "3271061234560001", "3271 0612 3456 0001" or
    "3271-0612-3456-0001"; anything else (other lengths, letters, NUL bytes, other separators,
    non-ASCII digits, trailing characters) raises InvalidNumber naming the field."""
    text = (raw or "").strip(" \t\r\n")
    if len(text) == 16 and text.isascii() and text.isdigit():  # the common case (a DPT's rows)
        return text
    digits = text.replace(" ", "").replace("-", "")
    grouped = len(text) <= 31 and _GROUPED.fullmatch(text) and not (" " in text and "-" in text)
    if grouped and len(digits) == 16:
        return digits
    raise InvalidNumber(invalid_number_message(field))


def invalid_number_message(field: str = "NIK") -> str:
    return _(
        "%(field)s harus 16 angka (boleh dikelompokkan dengan spasi atau tanda hubung), tanpa huruf atau tanda lain."
    ) % {"field": field}


_openssl_hmac: Any
try:  # OpenSSL's HMAC object: copied per hash, it skips the key's set-up (a DPT import hashes 3 million times)
    from _hashlib import hmac_new as _openssl_hmac
except ImportError:  # another build of Python: the standard library's object, the same digests
    _openssl_hmac = None

_BASE: Any = None  # the HMAC keyed with NIK_HASH_SECRET, made once


@receiver(setting_changed)
def _forget_key(*, setting: str, **kwargs) -> None:
    global _BASE
    if setting == "NIK_HASH_SECRET":
        _BASE = None


def _base() -> Any:
    global _BASE
    if _BASE is None:
        key = settings.NIK_HASH_SECRET.encode()
        _BASE = _openssl_hmac(key, digestmod="sha256") if _openssl_hmac else hmac.new(key, digestmod="sha256")
    return _BASE


def keyed(*parts: str) -> str:
    """HMAC-SHA256 of the parts joined by U+001F, in hex, cut to 128 bits."""
    mac = (_BASE or _base()).copy()
    mac.update("\x1f".join(parts).encode())
    return mac.hexdigest()[:32]


def nik_hash(nik: str) -> str:
    return keyed("nik", nik)


def nkk_hash(nkk: str) -> str:
    return keyed("nkk", nkk)


def confirm_dob(nik: str, iso_date: str) -> str:
    return keyed("dob", nik, iso_date)


def confirm_name(nik: str, name: str) -> str:
    return keyed("name", nik, first_letters(name))


def first_letters(name: str) -> str:
    letters = []
    for ch in name.lower():
        if ch.isalpha():
            letters.append(ch)
            if len(letters) == 3:
                break
    return "".join(letters)


def mask_name(name: str) -> str:
    """«BUDI SANTOSO» -> «BU** SA*****»: two letters of each word, the rest hidden."""
    words = [w for w in name.upper().split() if w]
    return " ".join(w[:2] + "*" * max(len(w) - 2, 1) for w in words)
