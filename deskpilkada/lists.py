"""The list page of every register: filters in the URL, paging, an htmx partial for the rows, the
export of exactly the filtered rows (CSV and Excel), and bulk actions on ticked rows through the
same audited actions.

A view builds one `ListPage` from the rows the user may see (already limited to its area) and the
register's filters; the template includes `_pager.html` and links its exports with `page.query`;
the export view builds the same `ListPage` and calls `export`, so it holds exactly the rows shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from deskpilkada import numbers
from deskpilkada.imports import table_response

M = TypeVar("M", bound=Model)

MAX_TICKED = 500  # one bulk action acts on at most this many rows


@dataclass(frozen=True)
class Filter:
    """A URL parameter that narrows the rows: `apply(queryset, value)` for a non-empty value."""

    name: str
    apply: Callable[[QuerySet, str], QuerySet]


class ListPage:
    def __init__(
        self,
        request: HttpRequest,
        rows: QuerySet,
        *,
        filters: Sequence[Filter] = (),
        per_page: int = 50,
        defaults: dict[str, str] | None = None,
    ):
        """`defaults`: a filter's value when the URL does not name it (an empty value in the URL stays empty)."""
        self.request = request
        defaults = defaults or {}
        self.values = {f.name: request.GET.get(f.name, defaults.get(f.name, "")).strip() for f in filters}
        for f in filters:
            if self.values[f.name]:
                rows = f.apply(rows, self.values[f.name])
        self.rows = rows
        self.per_page = per_page

    @property
    def page(self) -> Page:
        """The page's rows. The filtering and ordering run over the primary keys alone (an index can
        answer them without reading the rows), then only the page's rows are read, in that order."""
        if not hasattr(self, "_page"):
            page = Paginator(self.rows.values_list("pk", flat=True), self.per_page).get_page(
                self.request.GET.get("page")
            )
            ids = list(dict.fromkeys(page.object_list))
            found = {obj.pk: obj for obj in self.rows.filter(pk__in=ids)} if ids else {}
            page.object_list = [found[pk] for pk in ids if pk in found]
            self._page = page
        return self._page

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def query(self) -> str:
        """The active filters as a query string (no page), for the pager and the export links."""
        return urlencode({k: v for k, v in self.values.items() if v})

    def render(self, template: str, context: dict, partial: str = "results"):
        """The page, or only its rows' partial for an htmx request."""
        context = {**context, "list": self, "page": self.page}
        if self.request.headers.get("HX-Request"):
            return render(self.request, f"{template}#{partial}", context)
        return render(self.request, template, context)

    def export(self, fmt: str, filename: str, columns: Sequence[str], row: Callable[[Any], list]):
        """Exactly the filtered rows (every page), as CSV or Excel."""
        return table_response(fmt, filename, columns, (row(obj) for obj in self.rows.iterator(chunk_size=2000)))


@dataclass
class BulkResult:
    done: list = field(default_factory=list)
    refused: list[tuple[object, str]] = field(default_factory=list)
    missing: int = 0  # ticked ids that are not among the rows the user may act on

    def message(self) -> str:
        parts = [_("%(n)s berhasil") % {"n": numbers.number(len(self.done))}]
        if self.refused:
            parts.append(_("%(n)s ditolak") % {"n": numbers.number(len(self.refused))})
        if self.missing:
            parts.append(_("%(n)s di luar wilayah Anda atau tidak ada") % {"n": numbers.number(self.missing)})
        return ", ".join(parts) + "."


def ticked_ids(request: HttpRequest, name: str = "pilih") -> list[int]:
    return [int(v) for v in request.POST.getlist(name)[:MAX_TICKED] if v.isascii() and v.isdigit()]


def bulk(rows: QuerySet[M], ids: Iterable[int], act: Callable[[M], object]) -> BulkResult:
    """Apply `act` (which calls the register's audited action) to each ticked row among `rows`; a row
    the action refuses (ValueError and its kin carry the Indonesian reason) is reported, not fatal."""
    wanted = list(dict.fromkeys(ids))
    result = BulkResult()
    found = list(rows.filter(pk__in=wanted))
    result.missing = len(wanted) - len(found)
    for obj in found:
        try:
            act(obj)
        except (ValueError, LookupError) as exc:
            result.refused.append((obj, str(exc)))
        else:
            result.done.append(obj)
    return result
