"""Uploaded photos and files, shared by every module that takes them: the type is decided by the
file's first bytes (never its name or the browser's word), the size is limited, and a stored file
is served back one way (`serve`)."""

from __future__ import annotations

from django.http import FileResponse, Http404
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


def serve(stored, content_type: str | None = None) -> FileResponse:
    """A stored file (a FieldFile) as a response, after the view has checked who may see it: its
    content type as recorded at upload, else from its first bytes; never sniffed or run by the
    browser as a page (nosniff, a sandboxed CSP). 404 when the file is gone."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if content_type is None:
        content_type = sniff_image(handle.read(16)) or "application/octet-stream"
        handle.seek(0)
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
