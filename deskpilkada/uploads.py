"""Checks for uploaded photos, shared by every module that takes them: the type is decided by
the file's first bytes (never its name or the browser's word), and the size is limited."""

from __future__ import annotations

from django.utils.translation import gettext as _

IMAGE_MAGIC = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


class UploadRefused(ValueError):
    pass


def sniff_image(head: bytes) -> str | None:
    for magic, kind in IMAGE_MAGIC.items():
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_image(upload, max_bytes: int) -> str:
    """The content type of a JPEG, PNG or WebP upload within `max_bytes`; else UploadRefused."""
    if upload.size > max_bytes:
        raise UploadRefused(_("Foto terlalu besar (batas %(mb)d MB).") % {"mb": max_bytes // 2**20})
    head = upload.read(16)
    upload.seek(0)
    kind = sniff_image(head)
    if kind is None:
        raise UploadRefused(_("Berkas bukan foto JPEG, PNG atau WebP."))
    return kind
