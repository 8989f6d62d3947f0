"""How the JSON API answers when it says no: one error shape for every status, in Indonesian.

Every error is `{"detail": "<sentence>", "errors": [{"field": "<name>", "message": "<sentence>"}]}`;
`errors` names the fields at fault (empty when no field is). Pydantic's and django-ninja's English
messages are replaced by ours, by error type, through gettext. An unknown path answers 404 and a
wrong method 405 in the same shape, and an exception inside an operation is logged and answers
500 in the same shape, never Django's HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

logger = logging.getLogger("django.request")


class FieldProblem(Schema):
    field: str
    message: str


class Error(Schema):
    """The body of every error answer of the API."""

    detail: str
    errors: list[FieldProblem] = []


def answers(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """An operation's `response=`: its success schemas plus the error statuses it can give."""
    return {**ok, **dict.fromkeys(errors, Error)}


class ApiError(HttpError):
    """An HttpError that names the field at fault; `message` keeps the old "field: sentence" form."""

    def __init__(self, status_code: int, message: str, *, field: str | None = None) -> None:
        self.problems = [{"field": field, "message": message}] if field else []
        super().__init__(status_code, f"{field}: {message}" if field else message)

    @classmethod
    def from_django(cls, exc: DjangoValidationError, status_code: int = 422) -> ApiError:
        """A model's full_clean() refusal, each field with its messages."""
        problems = [{"field": k, "message": " ".join(v)} for k, v in exc.message_dict.items()]
        error = cls(status_code, "; ".join(f"{p['field']}: {p['message']}" for p in problems))
        error.problems = problems
        return error


def error_response(
    status: int, detail: str, problems: Iterable[dict] = (), headers: dict[str, str] | None = None
) -> JsonResponse:
    return JsonResponse({"detail": str(detail), "errors": list(problems)}, status=status, headers=headers)


# --- input the database cannot hold ---------------------------------------------------------


class NulCharacter(ValueError):
    """PostgreSQL text cannot hold U+0000; refused at the door instead of failing in the driver."""


def _refuse_nul(value: Any) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise NulCharacter
    elif isinstance(value, dict):
        for k, v in value.items():
            _refuse_nul(k)
            _refuse_nul(v)
    elif isinstance(value, list):
        for v in value:
            _refuse_nul(v)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "NUL character")
    return value


# A string path parameter that is looked up in the database (body and query are checked whole).
Text = Annotated[str, AfterValidator(_no_nul)]


class DeskParser(Parser):
    def parse_body(self, request):
        data = super().parse_body(request)
        _refuse_nul(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        try:
            _refuse_nul(result)
        except NulCharacter:
            raise ApiError(422, _("karakter NUL (\\u0000) tidak diterima."), field="query")
        return result


# --- pydantic's messages, by error type ---------------------------------------------------

MESSAGES = {
    "missing": gettext_lazy("wajib diisi."),
    "null": gettext_lazy("tidak boleh null: kirim nilainya, atau jangan kirim kolom ini."),
    "int_type": gettext_lazy("harus bilangan bulat."),
    "int_parsing": gettext_lazy("harus bilangan bulat."),
    "int_from_float": gettext_lazy("harus bilangan bulat, tanpa pecahan."),
    "int_parsing_size": gettext_lazy("angkanya terlalu besar."),
    "float_type": gettext_lazy("harus angka."),
    "float_parsing": gettext_lazy("harus angka."),
    "finite_number": gettext_lazy("harus angka yang terhingga."),
    "bool_type": gettext_lazy("harus true atau false."),
    "bool_parsing": gettext_lazy("harus true atau false."),
    "string_type": gettext_lazy("harus teks."),
    "string_too_short": gettext_lazy("paling sedikit %(min_length)s karakter."),
    "string_too_long": gettext_lazy("paling banyak %(max_length)s karakter."),
    "string_pattern_mismatch": gettext_lazy("bentuknya tidak sesuai."),
    "string_unicode": gettext_lazy("harus teks Unicode yang sah."),
    "nul_character": gettext_lazy("karakter NUL (\\u0000) tidak diterima."),
    "greater_than": gettext_lazy("harus lebih dari %(gt)s."),
    "greater_than_equal": gettext_lazy("paling kecil %(ge)s."),
    "less_than": gettext_lazy("harus kurang dari %(lt)s."),
    "less_than_equal": gettext_lazy("paling besar %(le)s."),
    "enum": gettext_lazy("harus salah satu dari: %(expected)s."),
    "literal_error": gettext_lazy("harus salah satu dari: %(expected)s."),
    "dict_type": gettext_lazy("harus objek JSON."),
    "model_type": gettext_lazy("harus objek JSON."),
    "model_attributes_type": gettext_lazy("harus objek JSON."),
    "list_type": gettext_lazy("harus daftar (array JSON)."),
    "too_short": gettext_lazy("paling sedikit %(min_length)s butir."),
    "too_long": gettext_lazy("paling banyak %(max_length)s butir."),
    "json_invalid": gettext_lazy("bukan JSON yang sah."),
    "date_type": gettext_lazy("harus tanggal (YYYY-MM-DD)."),
    "date_parsing": gettext_lazy("harus tanggal (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_lazy("harus tanggal (YYYY-MM-DD)."),
    "datetime_type": gettext_lazy("harus waktu ISO 8601."),
    "datetime_parsing": gettext_lazy("harus waktu ISO 8601."),
    "extra_forbidden": gettext_lazy("kolom ini tidak dikenal."),
}
# Type errors for a JSON null: the field may be left out, but null is not one of its values.
NULL_TYPES = {"int_type", "float_type", "bool_type", "string_type", "enum", "dict_type", "list_type", "model_type"}


def message_for(error: dict) -> str:
    kind = "null" if error.get("null") and error["type"] in NULL_TYPES else error["type"]
    template = MESSAGES.get(kind)
    if template is None:
        return _("nilainya tidak sah.")
    try:
        return str(template) % (error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):
        return _("nilainya tidak sah.")


def field_name(loc: tuple | list) -> str:
    """("body", "payload", "dpt_female") -> "dpt_female"; ("query", "page") -> "page"."""
    source, *rest = loc or ("body",)
    if source == "body":
        rest = rest[1:] if len(rest) > 1 else []
    return ".".join(str(part) for part in rest) or str(source)


# --- the handlers ---------------------------------------------------------------------------

# django-ninja's own English messages, as they reach the HttpError handler.
NINJA_MESSAGES = {
    "Unauthorized": gettext_lazy("Perlu login atau token."),
    "Forbidden": gettext_lazy("Anda tidak memiliki izin untuk tindakan ini."),
    "CSRF check Failed": gettext_lazy("Token CSRF tidak ada atau salah: muat ulang halaman lalu kirim lagi."),
    "Too many requests.": gettext_lazy("Terlalu banyak permintaan. Coba lagi sebentar lagi."),
}


def _http_error(request: HttpRequest, exc: HttpError) -> JsonResponse:
    if isinstance(exc.__cause__, NulCharacter):
        return error_response(400, _("Isi kiriman berisi karakter NUL (\\u0000), yang tidak diterima."))
    message = str(exc.message)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = _("Isi kiriman tidak dapat dibaca: kirim JSON yang sah (Content-Type: application/json).")
    message = str(NINJA_MESSAGES.get(message, message))
    return error_response(exc.status_code, message, getattr(exc, "problems", ()))


def _validation_error(request: HttpRequest, exc: ValidationError) -> JsonResponse:
    problems = [{"field": field_name(e.get("loc", ())), "message": message_for(e)} for e in exc.errors]
    summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return error_response(422, _("Data tidak valid: %(problems)s") % {"problems": summary}, problems)


def _not_found(request: HttpRequest, exc: Http404) -> JsonResponse:
    return error_response(404, _("Tidak ditemukan."))


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    from deskpilkada.outage import is_database_down, unavailable

    if is_database_down(exc):
        return unavailable(request, exc)
    logger.error(
        "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request}
    )
    return error_response(500, _("Terjadi kesalahan di server. Kejadian ini sudah dicatat; coba lagi nanti."))


def not_found_view(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any path under /api/ that no operation answers."""
    return error_response(404, _("Alamat API ini tidak ada. Lihat /api/docs."))


def method_not_allowed(allowed: Iterable[str]) -> JsonResponse:
    allowed = sorted(allowed)
    return error_response(
        405,
        _("Metode ini tidak diterima di alamat ini. Yang diterima: %(methods)s.") % {"methods": ", ".join(allowed)},
        headers={"Allow": ", ".join(allowed)},
    )


class DeskAPI(NinjaAPI):
    """NinjaAPI with the error shape above; it keeps whether a refused value was a JSON null."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parser=DeskParser(), **kwargs)
        # ninja's stub types the handler's exception as "instance or class"; ours take the instance.
        self.add_exception_handler(Exception, _server_error)  # type: ignore[arg-type]
        self.add_exception_handler(Http404, _not_found)  # type: ignore[arg-type]
        self.add_exception_handler(HttpError, _http_error)  # type: ignore[arg-type]
        self.add_exception_handler(ValidationError, _validation_error)  # type: ignore[arg-type]

    def validation_error_from_error_contexts(self, error_contexts) -> ValidationError:
        errors = []
        for context in error_contexts:
            model = context.model
            for e in context.pydantic_validation_error.errors(include_url=False):
                loc = (model.__ninja_param_source__, *model.__ninja_flatten_map_reverse__.get(e["loc"], e["loc"]))
                ctx = {k: v if isinstance(v, int | float | str) else str(v) for k, v in (e.get("ctx") or {}).items()}
                errors.append({"type": e["type"], "loc": loc, "ctx": ctx, "null": e.get("input", 0) is None})
        return ValidationError(errors)
