"""Drafts kept in the browser, so that a form whose session or password confirmation expired
loses nothing (desk.js does the work).

A form marked `data-draft="<key>"` keeps what is typed in the browser's localStorage (never a
password, a NIK/NKK, a file or a hidden field) and gets it back when it is opened again, after
signing in. The page that confirms the save carries the key, through the success message's
`extra_tags`, and the browser drops the draft.
"""

from __future__ import annotations

from django.contrib import messages

TAG = "draft-saved:"


def key(*parts: object) -> str:
    """The draft key of a form: its kind and the object it writes, e.g. key("chasil", tps, contest)."""
    return ":".join(str(getattr(p, "code", p)) for p in parts)


def saved(request, level: int, text: str, draft: str) -> None:
    """A message that also tells the browser the form `draft` was saved (its draft is dropped)."""
    messages.add_message(request, level, text, extra_tags=TAG + draft)


def saved_key(message) -> str:
    """The draft key a message carries, or ""."""
    tags = getattr(message, "extra_tags", "") or ""
    return tags[len(TAG) :] if tags.startswith(TAG) else ""
