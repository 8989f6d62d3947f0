"""The desk protocol: what each point's app gives the desk, in one named module `<app>/desk.py`.

A provider module defines three functions; the desk (`desk/points.py`) lists the providers and
reads nothing else of the points:

- `tile(user) -> Tile`: the figures of its home-page tile, inside the user's area;
- `tasks(user) -> list[Task]`: what this user should do next in this module (a KPPS's "Isi
  C.Hasil", the operator's held sheets …), empty when there is nothing for it;
- `readiness(user, regions) -> dict[code, Readiness]`: a score 0–100 (or None) per region, with
  the formula in words and a link to the list behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from deskpilkada.regions.models import Region


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | float | None  # None: nothing to show yet ("—")
    url: str = ""
    percent: bool = False  # a share 0–100, shown with one decimal and "%"
    of: int | None = None  # "value of total", e.g. 508 of 1,530 TPS
    alert: bool = False  # needs attention (shown in colour and in words, never by colour alone)


@dataclass(frozen=True)
class Tile:
    figures: list[Figure] = field(default_factory=list)
    url: str = ""  # the module's main list


@dataclass(frozen=True)
class Task:
    title: str
    url: str
    detail: str = ""
    count: int | None = None
    urgent: bool = False
    done: bool = False


@dataclass(frozen=True)
class Readiness:
    score: int | None  # 0–100, None when the figure does not apply yet
    formula: str  # the formula in words
    url: str  # the list behind the figure
    detail: str = ""  # e.g. "1.201 dari 1.530 TPS"


def percent(part: int, whole: int) -> int | None:
    """A score 0–100, rounded down so that 100 means all of it; None when there is nothing to count."""
    return (100 * part) // whole if whole else None


class Provider(Protocol):
    def tile(self, user) -> Tile: ...

    def tasks(self, user) -> list[Task]: ...

    def readiness(self, user, regions: Sequence[Region]) -> dict[str, Readiness]: ...
