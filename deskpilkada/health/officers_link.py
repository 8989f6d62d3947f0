"""The seam to the officers module (point 3): the crew serving a hospital's TPS and the crews'
screening figures per kecamatan. Read through `deskpilkada.officers.coverage` when that app is
installed; None otherwise, so that the pages say plainly that the officers module is not there."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.translation import gettext as _

from deskpilkada.elections.models import Election
from deskpilkada.tps.models import Tps


def _coverage() -> ModuleType | None:
    if not apps.is_installed("deskpilkada.officers"):
        return None
    try:
        return import_module("deskpilkada.officers.coverage")
    except ImportError:
        return None


def missing_text() -> str:
    return _("modul petugas belum ada")


def crew_of(tps: Tps, election: Election | None) -> list | None:
    """The KPPS and Linmas serving `tps` (chair first), or None without the officers module."""
    module = _coverage()
    if module is None or not hasattr(module, "crew_of"):
        return None
    return list(module.crew_of(tps, election))


def screening_by_kecamatan(election: Election | None, prefix: str = "") -> dict | None:
    """{dotted kecamatan code: figures with `crews` and `fully_screened`}, or None without the module."""
    module = _coverage()
    if module is None or election is None or not hasattr(module, "screening_by_kecamatan"):
        return None
    return dict(module.screening_by_kecamatan(election, prefix))
