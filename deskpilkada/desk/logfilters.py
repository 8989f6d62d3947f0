"""Log filters: a refused request is one line, a server error keeps its traceback."""

from __future__ import annotations

import logging


def _one_line(text: str) -> str:
    return text.encode("unicode_escape").decode("ascii")


class OneLineClientErrors(logging.Filter):
    """A 4xx answer logged by Django (django.request, django.security) becomes one line: the
    message Django wrote (status and path), then the method, the user id and the reason, without
    the traceback Django attaches to a PermissionDenied, a BadRequest or a SuspiciousOperation.
    Records of 5xx answers pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if not isinstance(status, int) or not 400 <= status < 500 or request is None:
            return True
        if getattr(record, "one_line", False):  # already rewritten (logger, then handler)
            return True
        exc = record.exc_info[1] if record.exc_info else None
        user = getattr(request, "user", None)
        user_id = getattr(user, "pk", "-") if getattr(user, "is_authenticated", False) else "-"
        needs = getattr(getattr(getattr(request, "resolver_match", None), "func", None), "access", None)
        if exc is not None and str(exc):
            reason = f": {_one_line(str(exc))}"
        elif exc is not None and needs:
            reason = f", capability {needs}"
        else:
            reason = ""
        said = record.getMessage()
        record.msg = "%s (%s, user %s%s)"
        record.args = (said, _one_line(str(request.method)), user_id, reason)
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.one_line = True
        return True
