"""Secrets from the environment must be strong in production: checked by every management command
(`deskpilkada check --deploy` included) and again when the WSGI application starts, so that a server
never runs with a guessable key. Development (DEBUG=1 or DESKPILKADA_DEV=1) uses public keys."""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from deskpilkada import settings as project

MIN_DISTINCT_CHARACTERS = 10


def _public_development_values() -> set[str]:
    return {v for v in (getattr(project, "_DEV_SECRET", ""), getattr(project, "_DEV_TALLY_KEY", "")) if v}


def _text_secret(name: str, value: str, min_length: int, check_id: str) -> Error | None:
    why = None
    if value in _public_development_values() or value.startswith(("dev-only", "django-insecure-")):
        why = "it is a development value, public in the source code"
    elif len(value) < min_length:
        why = f"it has {len(value)} characters, fewer than {min_length}"
    elif len(set(value)) < MIN_DISTINCT_CHARACTERS:
        why = f"it has only {len(set(value))} different characters, fewer than {MIN_DISTINCT_CHARACTERS}"
    if why is None:
        return None
    return Error(
        f"{name} is too weak for production: {why}.",
        hint=f"Set {name} to a random value of at least {min_length} characters, e.g. the output of "
        "`python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`.",
        id=check_id,
    )


def _signing_seed(value: str) -> Error | None:
    try:
        seed = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        seed = b""
    why = None  # the development key itself is tally.E001 (deskpilkada/tally/checks.py)
    if len(seed) != 32:
        why = "it is not the base64 of 32 bytes"
    elif len(set(seed)) < 16:
        why = f"its 32 bytes take only {len(set(seed))} different values: it is not random"
    if why is None:
        return None
    return Error(
        f"TALLY_SIGNING_KEY is too weak for production: {why}.",
        hint="Set it to 32 random bytes in base64: `python3 -c 'import os, base64; "
        "print(base64.b64encode(os.urandom(32)).decode())'`.",
        id="deskpilkada.E003",
    )


def secret_errors() -> list[Error]:
    if settings.DEBUG or getattr(settings, "DEV_MODE", False):
        return []
    errors = [
        _text_secret("NIK_HASH_SECRET", settings.NIK_HASH_SECRET, 32, "deskpilkada.E001"),
        _text_secret("SECRET_KEY", settings.SECRET_KEY, 50, "deskpilkada.E002"),
    ]
    if settings.NIK_HASH_SECRET == settings.SECRET_KEY:
        errors.append(
            Error(
                "NIK_HASH_SECRET must differ from SECRET_KEY.",
                hint="The voter index has its own secret, so that rotating SECRET_KEY never invalidates it.",
                id="deskpilkada.E001",
            )
        )
    if getattr(settings, "TALLY_SIGNING_KEY", None):
        errors.append(_signing_seed(settings.TALLY_SIGNING_KEY))
    return [e for e in errors if e is not None]


@register(Tags.security)
def check_secrets(app_configs, **kwargs) -> list[Error]:
    return secret_errors()


def refuse_weak_secrets() -> None:
    """For the WSGI application: a server does not start with a weak secret."""
    errors = secret_errors()
    if errors:
        raise ImproperlyConfigured("\n".join(f"{e.id}: {e.msg} {e.hint}" for e in errors))
