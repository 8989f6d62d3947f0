"""Point 1's pages: the logistics dashboard of an area, the needs table, the H-1 alert list, the
shipments (the list pattern, bulk work, import), a shipment and its receipt form, the label sheet and
the scanner, a TPS's logistics, a sealed box's history, the map and the items with their rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deskpilkada import clock, uploads
from deskpilkada.accounts.access import AuthenticatedHttpRequest, can, requires
from deskpilkada.audit.transitions import history
from deskpilkada.elections.models import Election
from deskpilkada.imports import ImportRejected, parse_int, table_response
from deskpilkada.lists import Filter, ListPage, bulk, ticked_ids
from deskpilkada.logistics import actions, alerts, labels, loading
from deskpilkada.logistics.chain import (
    MANAGE,
    RECEIVE,
    VIEW,
    area_prefixes,
    holder_name,
    holder_names,
    may_receive,
    may_send,
    own_holders,
    prefix_reaches,
    visible_q,
)
from deskpilkada.logistics.models import (
    CODE_ALPHABET,
    Basis,
    ItemType,
    Receipt,
    Shipment,
    ShipmentQuerySet,
    TrackedUnit,
    code_range,
)
from deskpilkada.logistics.needs import (
    area_needs,
    completeness_by,
    dpt_histogram,
    incomplete,
    items_of,
    missing_pairs,
    needed_at_tps,
)
from deskpilkada.logistics.stock import stock_table, unit_history, whereabouts
from deskpilkada.regions.codes import CodeError, undotted
from deskpilkada.regions.models import Level, Region
from deskpilkada.tps.models import Tps

STATE_LABELS = dict(Shipment.State.choices)


def _election() -> Election:
    election = Election.objects.current()
    if election is None:
        raise Http404(_("Belum ada pemilihan aktif."))
    return election


def _area(request, param: str = "wilayah") -> tuple[str, Region | None, Tps | None]:
    """The area a page shows: `wilayah` (a region or TPS code, dotted or not), else the user's first
    area. 403 outside the user's areas, 404 for a code that names nothing."""
    raw = (request.GET.get(param) or "").strip()
    if not raw:
        prefixes = area_prefixes(request.user)
        if not prefixes:
            raise PermissionDenied
        raw = prefixes[0]
    code = undotted(raw)
    if len(code) == 13:
        tps = Tps.objects.select_related("kelurahan__parent").filter(code=code).first()
        if tps is None:
            raise Http404(_("TPS tidak ditemukan."))
        if not prefix_reaches(request.user, code):
            raise PermissionDenied
        return code, tps.kelurahan, tps
    try:
        region = Region.objects.select_related("parent").by_code(raw)
    except (CodeError, Region.DoesNotExist):
        raise Http404(_("Wilayah tidak ditemukan.")) from None
    if not prefix_reaches(request.user, region.undotted_code):
        raise PermissionDenied
    return region.undotted_code, region, None


def _visible(request) -> ShipmentQuerySet:
    return Shipment.objects.filter(visible_q(request.user))


def _shipment(request, code: str) -> Shipment:
    shipment = _visible(request).select_related("election", "replaces").filter(code=code.upper()).first()
    if shipment is None:
        raise Http404(_("Kiriman tidak ditemukan atau di luar wilayah Anda."))
    return shipment


# --- the dashboard of an area -------------------------------------------------------------------


@requires(VIEW)
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An area's logistics: needs per item with what was sent and received toward its TPS, the share
    of TPS complete per region below, the alerts, replacements and shipments in transit."""
    election = _election()
    prefix, region, tps = _area(request)
    if tps is not None:
        return redirect("logistics:tps", code=tps.code)
    assert region is not None
    items = items_of(election)
    needs = area_needs(election, prefix, items)
    children = list(region.children.order_by("code")) if region.level < Level.VILLAGE else []
    shares = completeness_by(election, children, items) if children else {}
    rows = [
        {"region": c, "complete": done, "total": total, "share": done / total if total else None}
        for c in children
        for done, total in [shares[c.code]]
    ]
    found = alerts.alerts(election, prefix, items=items)
    shipments = _visible(request).filter(code_range("receiver", prefix))
    holders = sorted(h for h in own_holders(request.user) if h.startswith(prefix) or prefix.startswith(h))
    context = {
        "election": election,
        "region": region,
        "needs": needs,
        "rows": rows,
        "alert_count": len(found),
        "alerts": found[:10],
        "in_transit": shipments.in_transit().count(),
        "replacements": shipments.open_replacements().select_related("replaces")[:20],
        "send_by": alerts.send_by(election),
        "stock": [(h, holder_name(h), stock_table(election, h)) for h in holders[:3]],
        "ancestors": region.ancestors(),
        "can_manage": can(request.user, MANAGE, region),
        "kecamatan": region if region.level == Level.DISTRICT else None,
    }
    return render(request, "logistics/home.html", context)


# --- the needs table ----------------------------------------------------------------------------

LEVELS = {"tps": _("TPS"), "kelurahan": _("Kelurahan"), "kecamatan": _("Kecamatan"), "kota": _("Kabupaten/Kota")}


def _needs_rows(request):
    election = _election()
    prefix, region, tps = _area(request)
    level = request.GET.get("tingkat") or "kelurahan"
    if level not in LEVELS:
        level = "kelurahan"
    items = items_of(election)
    if level == "tps":
        rows: QuerySet = Tps.objects.filter(code_range("code", prefix)).select_related("kelurahan__parent")
    else:
        wanted = {"kelurahan": Level.VILLAGE, "kecamatan": Level.DISTRICT, "kota": Level.REGENCY}[level]
        assert region is not None
        if tps is not None or wanted < region.level:  # never a row larger than the reader's area
            rows = Region.objects.filter(pk=region.pk) if tps is None else Region.objects.none()
        else:
            rows = Region.objects.within(region).filter(level=wanted)
    return election, prefix, level, items, rows


def _need_cells(election, items, obj) -> list[int]:
    if isinstance(obj, Tps):
        return [i.need_for(obj.dpt) if i.applies_to(obj.code) and i.basis != Basis.SPARE_ONLY else 0 for i in items]
    needed = needed_at_tps(items, dpt_histogram(obj.undotted_code))
    kecamatan = 1 if obj.level == Level.DISTRICT else 0
    if obj.level < Level.DISTRICT:
        kecamatan = (
            Tps.objects.filter(code_range("code", obj.undotted_code)).values("kelurahan__parent").distinct().count()
        )
    return [
        needed.get(i.pk, 0)
        + (i.spare_per_kecamatan * kecamatan if obj.undotted_code.startswith(i.scope_prefix()) else 0)
        for i in items
    ]


def _place(obj) -> list[str]:
    if isinstance(obj, Tps):
        return [obj.dotted_code, f"TPS {obj.number:03d}", obj.kelurahan.name, obj.kelurahan.parent.name]  # type: ignore[union-attr]
    return [obj.code, obj.name, "", ""]


@requires(VIEW)
def needs_table(request: AuthenticatedHttpRequest) -> HttpResponse:
    election, prefix, level, items, rows = _needs_rows(request)
    page = ListPage(request, rows, per_page=50)
    table = [(obj, _need_cells(election, items, obj)) for obj in page.page]
    context = {"items": items, "table": table, "level": level, "levels": LEVELS, "prefix": prefix}
    return page.render("logistics/needs.html", context)


@requires(VIEW)
def needs_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    election, _prefix, level, items, rows = _needs_rows(request)
    columns = [_("kode"), _("nama"), _("kelurahan"), _("kecamatan"), *[i.name for i in items]]
    page = ListPage(request, rows)
    return page.export(
        fmt, f"kebutuhan-logistik-{level}", columns, lambda o: [*_place(o), *_need_cells(election, items, o)]
    )


# --- alerts -------------------------------------------------------------------------------------


@requires(VIEW)
def alert_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    election = _election()
    prefix, region, _tps = _area(request)
    found = alerts.alerts(election, prefix)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "count": len(found),
        "region": region,
        "send_by": alerts.send_by(election),
        "query": f"wilayah={prefix}",
    }
    return render(request, "logistics/alerts.html", context)


@requires(VIEW)
def alert_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    election = _election()
    prefix, _region, _tps = _area(request)
    columns = [
        _("kode TPS"),
        _("TPS"),
        _("kelurahan"),
        _("kecamatan"),
        _("sebab"),
        _("barang kurang"),
        _("di mana sekarang"),
        _("hubungi"),
    ]
    rows = (
        [
            a.tps.dotted_code,
            f"TPS {a.tps.number:03d}",
            a.tps.kelurahan.name,
            a.tps.kelurahan.parent.name if a.tps.kelurahan.parent else "",
            a.reason_label,
            "; ".join(f"{line.item.name} {line.short}" for line in a.lines),
            "; ".join(sorted({line.where.text for line in a.lines})),
            a.holder.holder_name,
        ]
        for a in alerts.alerts(election, prefix)
    )
    return table_response(fmt, "peringatan-logistik-h1", columns, rows)


# --- shipments ----------------------------------------------------------------------------------


def _state_filter(qs, value):
    if value == "pengganti":
        return qs.open_replacements()
    return qs.filter(state=value) if value in Shipment.State.values else qs


def _area_filter(qs, value):
    return qs.filter(code_range("receiver", undotted(value)))


def _mine_filter(request):
    def apply(qs, value):
        holders = own_holders(request.user)
        if value == "masuk":
            return qs.filter(receiver__in=holders)
        if value == "keluar":
            return qs.filter(sender__in=holders)
        return qs

    return apply


def _shipment_page(request) -> ListPage:
    rows = _visible(request).order_by("-created_at", "-id")
    filters = [
        Filter("status", _state_filter),
        Filter("wilayah", _area_filter),
        Filter("arah", _mine_filter(request)),
        Filter("q", lambda qs, v: qs.filter(code__icontains=v.upper()[:12])),
    ]
    return ListPage(request, rows, filters=filters)


@requires(VIEW)
def shipment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = _shipment_page(request)
    names = holder_names({c for s in page.page for c in (s.sender, s.receiver)})
    rows = [(s, names[s.sender], names[s.receiver]) for s in page.page]
    context = {
        "rows": rows,
        "states": [("", _("Semua status")), *Shipment.State.choices, ("pengganti", _("Pengganti yang belum diterima"))],
        "can_act": can(request.user, RECEIVE),
    }
    return page.render("logistics/shipments.html", context)


SHIPMENT_COLUMNS = [
    "kode",
    "pengirim",
    "penerima",
    "status",
    "barang",
    "jumlah",
    "dihitung",
    "rusak",
    "dikirim",
    "diterima",
]


@requires(VIEW)
def shipment_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    page = _shipment_page(request)
    rows = page.rows.prefetch_related("lines__item")

    def lines():
        for s in rows.iterator(chunk_size=500):
            for line in s.lines.all():
                yield [
                    s.code,
                    s.sender,
                    s.receiver,
                    s.get_state_display(),
                    line.item.code,
                    line.quantity,
                    line.counted if line.counted is not None else "",
                    line.damaged,
                    s.sent_at.isoformat() if s.sent_at else "",
                    s.received_at.isoformat() if s.received_at else "",
                ]

    return table_response(fmt, "kiriman-logistik", SHIPMENT_COLUMNS, lines())


@requires(RECEIVE)
@require_POST
def shipment_bulk(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Ticked shipments: send them, or print their labels."""
    ids = ticked_ids(request)
    rows = _visible(request)
    if request.POST.get("aksi") == "label":
        chosen = list(rows.filter(pk__in=ids))
        return labels.sheet(request, chosen, [])
    result = bulk(rows.filter(state=Shipment.State.PREPARING), ids, lambda s: actions.send_shipment(s, by=request.user))
    messages.info(request, _("Kirim: %(r)s") % {"r": result.message()})
    for shipment, reason in result.refused[:5]:
        messages.warning(request, f"{shipment}: {reason}")
    return redirect(reverse("logistics:shipments") + "?" + request.POST.get("kembali_query", ""))


def _lines_from_post(request) -> list[actions.LineIn]:
    out = []
    for n in range(1, 21):
        code = (request.POST.get(f"barang_{n}") or "").strip()
        raw = (request.POST.get(f"jumlah_{n}") or "").strip()
        if not code and not raw:
            continue
        try:
            quantity = parse_int(raw, minimum=-(10**9))
        except ValueError:
            raise actions.Refused(
                f"lines[{n}].quantity", _("Baris %(n)d: jumlah harus bilangan bulat.") % {"n": n}
            ) from None
        out.append(actions.LineIn(code, quantity))
    return out


@requires(RECEIVE)
def shipment_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    election = _election()
    holders = sorted(own_holders(request.user))
    if can(request.user, MANAGE):
        holders = ["penyedia", *holders]
    error = None
    if request.method == "POST":
        sender = request.POST.get("pengirim", "")
        if sender not in holders:
            raise PermissionDenied
        try:
            shipment = actions.create_shipment(
                election,
                by=request.user,
                sender=sender,
                receiver=undotted(request.POST.get("penerima", "")),
                lines=_lines_from_post(request),
                note=request.POST.get("catatan", ""),
            )
        except actions.Refused as e:
            error = e
        else:
            messages.success(request, _("Kiriman %(c)s dibuat; kirim bila sudah dimuat.") % {"c": shipment.code})
            return redirect(shipment.get_absolute_url())
    context = {"holders": holder_names(holders), "items": items_of(election), "error": error, "rows": range(1, 9)}
    return render(request, "logistics/shipment_form.html", context)


@requires(MANAGE)
@require_POST
def kecamatan_shipments(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Every leg of a kecamatan's distribution from its needs, in one step."""
    election = _election()
    try:
        region = Region.objects.by_code(request.POST.get("kecamatan", ""))
    except (CodeError, Region.DoesNotExist):
        raise Http404(_("Kecamatan tidak ditemukan.")) from None
    if region.level != Level.DISTRICT:
        raise Http404(_("Kecamatan tidak ditemukan."))
    try:
        made = actions.create_kecamatan_shipments(election, region, by=request.user)
    except actions.Refused as e:
        raise PermissionDenied(e.message) from None
    messages.success(request, _("%(n)s kiriman disiapkan untuk Kecamatan %(k)s.") % {"n": len(made), "k": region.name})
    return redirect(reverse("logistics:shipments") + f"?wilayah={region.undotted_code}&status=preparing")


@requires(VIEW)
def shipment_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    shipment = _shipment(request, code)
    lines = list(shipment.lines.select_related("item").prefetch_related("units"))
    receipts = list(shipment.receipts.select_related("received_by").order_by("received_at", "id"))
    context = {
        "s": shipment,
        "sender": holder_name(shipment.sender),
        "receiver": holder_name(shipment.receiver),
        "lines": lines,
        "receipts": receipts,
        "history": [(h.at, h.by, STATE_LABELS.get(h.after, h.after), h.note) for h in history(shipment)],
        "now": clock.now(),
        "replacements": list(shipment.replacements.all()),
        "can_send": shipment.state == Shipment.State.PREPARING and may_send(request.user, shipment),
        "can_receive": shipment.state == Shipment.State.SENT and may_receive(request.user, shipment),
        "can_correct": shipment.is_received and bool(receipts) and may_receive(request.user, shipment),
        "can_return": shipment.state in Shipment.STATUS_STEPS
        and Shipment.State.RETURNED in Shipment.STATUS_STEPS[shipment.state]
        and may_receive(request.user, shipment),
    }
    return render(request, "logistics/shipment_detail.html", context)


@requires(RECEIVE)
@require_POST
def shipment_act(request: AuthenticatedHttpRequest, code: str) -> HttpResponseBase:
    shipment = _shipment(request, code)
    action = request.POST.get("aksi")
    note = request.POST.get("catatan", "")[:300]
    act = {"kirim": actions.send_shipment, "batal": actions.cancel_shipment, "kembali": actions.return_shipment}.get(
        action or ""
    )
    if act is None:
        messages.error(request, _("Tindakan tidak dikenal."))
        return redirect(shipment.get_absolute_url())
    try:
        act(shipment, by=request.user, note=note)
    except actions.Refused as e:
        if e.field in ("sender", "receiver"):
            raise PermissionDenied(e.message) from None
        messages.error(request, e.message)
    else:
        messages.success(request, _("Status kiriman %(c)s diperbarui.") % {"c": shipment.code})
    return redirect(shipment.get_absolute_url())


def _counts_from_post(request, shipment) -> list[actions.Count]:
    out = []
    for n, line in enumerate(shipment.lines.select_related("item"), start=1):
        values = []
        for name, field in (("dihitung", "counted"), ("rusak", "damaged")):
            raw = (request.POST.get(f"{name}_{line.pk}") or "").strip()
            if not raw and name == "rusak":
                raw = "0"
            try:
                values.append(parse_int(raw, minimum=-(10**9)))
            except ValueError:
                raise actions.Refused(
                    f"lines[{n}].{field}", _("Baris %(n)d (%(i)s): isi bilangan bulat.") % {"n": n, "i": line.item.name}
                ) from None
        out.append(actions.Count(line.pk, values[0], values[1]))
    return out


@requires(RECEIVE)
def correct(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """A miscount found after the handover: a new receipt that corrects the latest one (which stays)."""
    shipment = _shipment(request, code)
    latest = shipment.receipts.order_by("-received_at", "-id").first()
    if not shipment.is_received or latest is None or not may_receive(request.user, shipment):
        return _refusal(request, _("Hanya penerima kiriman yang sudah diterima yang dapat mengoreksi penerimaannya."))
    lines = list(shipment.lines.select_related("item"))
    error = None
    if request.method == "POST":
        try:
            actions.correct_receipt(
                latest,
                by=request.user,
                counts=_counts_from_post(request, shipment),
                note=request.POST.get("catatan", ""),
            )
        except actions.Refused as e:
            error = e
        else:
            messages.success(request, _("Koreksi penerimaan kiriman %(c)s dicatat.") % {"c": shipment.code})
            return redirect(shipment.get_absolute_url())
    context = {
        "s": shipment,
        "lines": [
            (
                line,
                request.POST.get(f"dihitung_{line.pk}", line.counted),
                request.POST.get(f"rusak_{line.pk}", line.damaged),
            )
            for line in lines
        ],
        "error": error,
        "posted": request.POST,
    }
    return render(request, "logistics/correct.html", context, status=422 if error else 200)


@requires(RECEIVE)
def receive(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The receipt form, line by line on a phone. Someone who may not receive this shipment gets a
    clear refusal, not the form."""
    try:
        shipment = _shipment_for_receiver(request, code)
    except NotForYou as e:
        return _refusal(request, str(e))
    lines = list(shipment.lines.select_related("item"))
    error = None
    if request.method == "POST":
        waterproof = {"ya": True, "tidak": False}.get(request.POST.get("kedap_air", ""))
        try:
            actions.receive_shipment(
                shipment,
                by=request.user,
                counts=_counts_from_post(request, shipment),
                signed_by=request.POST.get("penanda_tangan", ""),
                photo=request.FILES.get("foto"),
                waterproof_ok=waterproof,
                note=request.POST.get("catatan", ""),
            )
        except actions.Refused as e:
            error = e
        else:
            shipment.refresh_from_db()
            messages.success(
                request,
                _("Penerimaan kiriman %(c)s dicatat: %(s)s.") % {"c": shipment.code, "s": shipment.get_state_display()},
            )
            return redirect(shipment.get_absolute_url())
    context = {
        "s": shipment,
        "sender": holder_name(shipment.sender),
        "receiver": holder_name(shipment.receiver),
        "lines": [
            (line, request.POST.get(f"dihitung_{line.pk}", line.quantity), request.POST.get(f"rusak_{line.pk}", 0))
            for line in lines
        ],
        "error": error,
        "waterproof": any(line.item.waterproof for line in lines),
        "posted": request.POST,
    }
    return render(request, "logistics/receive.html", context, status=422 if error else 200)


class NotForYou(Exception):
    """A label opened by someone who may not receive it: a page that says so (403), not the form."""


def _shipment_for_receiver(request, code: str) -> Shipment:
    shipment = Shipment.objects.select_related("election").filter(code=code.upper()).first()
    if shipment is None:
        raise Http404(_("Label «%(c)s» tidak dikenal.") % {"c": code})
    if not may_receive(request.user, shipment):
        raise NotForYou(
            _("Kiriman %(c)s ditujukan kepada %(h)s. Anda tidak dapat menerimanya; serahkan kepada penerimanya.")
            % {"c": shipment.code, "h": holder_name(shipment.receiver)}
        )
    if shipment.state != Shipment.State.SENT:
        raise NotForYou(
            _("Kiriman %(c)s berstatus «%(s)s»; hanya kiriman yang sedang dikirim dapat diterima.")
            % {"c": shipment.code, "s": shipment.get_state_display()}
        )
    return shipment


def _refusal(request, message: str) -> HttpResponse:
    return render(request, "logistics/refused.html", {"message": message}, status=403)


@requires(RECEIVE)
def scan(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The camera scanner (html5-qrcode) or the short code typed in; either opens the receipt form."""
    code = "".join(ch for ch in (request.GET.get("kode") or "").upper() if ch in CODE_ALPHABET)
    if code:
        return redirect("logistics:scan_code", code=code)
    return render(request, "logistics/scan.html", {"length": 8})


@requires(RECEIVE)
def scan_code(request: AuthenticatedHttpRequest, code: str) -> HttpResponseBase:
    """What a label's QR code opens: a shipment's receipt form, or a sealed box's history."""
    code = code.upper()
    unit = TrackedUnit.objects.filter(code=code).first()
    if unit is not None:
        return redirect(unit.get_absolute_url())
    try:
        shipment = _shipment_for_receiver(request, code)
    except NotForYou as e:
        return _refusal(request, str(e))
    return redirect("logistics:receive", code=shipment.code)


@requires(VIEW)
def label_sheet(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """A PDF sheet of labels: the filtered shipments, or (`kotak=ya`) the sealed boxes of an area, of
    one labelled item when `barang` names it."""
    if request.GET.get("kotak") == "ya":
        prefix, _region, _tps = _area(request)
        rows = TrackedUnit.objects.filter(code_range("tps__code", prefix))
        if item := (request.GET.get("barang") or "").strip():
            rows = rows.filter(item__code=item[:60])
        units = list(rows.select_related("item", "tps__kelurahan")[:2000])
        return labels.sheet(request, [], units)
    page = _shipment_page(request)
    return labels.sheet(request, list(page.rows[:500]), [])


@requires(VIEW)
def receipt_photo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    receipt = Receipt.objects.filter(pk=pk, shipment__in=_visible(request)).first()
    if receipt is None or not receipt.photo:
        raise Http404(_("Foto tidak ditemukan."))
    return uploads.serve(receipt.photo)


# --- a TPS, a box, the map ----------------------------------------------------------------------


@requires(VIEW)
def tps_logistics(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    election = _election()
    tps = Tps.objects.select_related("kelurahan__parent").filter(code=undotted(code)).first()
    if tps is None:
        raise Http404(_("TPS tidak ditemukan."))
    if not prefix_reaches(request.user, tps.code):
        raise PermissionDenied
    needs = area_needs(election, tps.code)
    pairs = missing_pairs(election, tps.code)
    where = whereabouts(election, pairs)
    missing = {m.item_id: (m, where[(m.tps_id, m.item_id)]) for m in pairs}
    shipments = Shipment.objects.filter(
        receiver__in=[tps.code, tps.code[:10], tps.code[:6]], election=election
    ).order_by("created_at")
    context = {
        "tps": tps,
        "needs": [(n, missing.get(n.item.pk)) for n in needs.items if n.needed],
        "complete": not pairs,
        "shipments": [(s, holder_name(s.sender), holder_name(s.receiver)) for s in shipments],
        "units": TrackedUnit.objects.filter(tps=tps).select_related("item"),
    }
    return render(request, "logistics/tps.html", context)


@requires(VIEW)
def unit_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    unit = TrackedUnit.objects.select_related("item", "tps__kelurahan").filter(code=code.upper()).first()
    if unit is None:
        raise Http404(_("Label tidak dikenal."))
    if not prefix_reaches(request.user, unit.tps.code):
        raise PermissionDenied
    legs = unit_history(unit)
    names = holder_names({c for s in legs for c in (s.sender, s.receiver)})
    steps = [(s, names[s.sender], names[s.receiver], list(s.receipts.all())) for s in legs]
    at = legs[-1].receiver if legs and legs[-1].is_received else (legs[-1].sender if legs else "")
    return render(request, "logistics/unit.html", {"unit": unit, "steps": steps, "now_at": names.get(at, "")})


@requires(VIEW)
def map_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    prefix, region, _tps = _area(request)
    return render(request, "logistics/map.html", {"region": region, "prefix": prefix})


@requires(VIEW)
def map_data(request: AuthenticatedHttpRequest) -> JsonResponse:
    election = _election()
    prefix, _region, _tps = _area(request)
    found = {a.tps.pk for a in alerts.alerts(election, prefix)}
    short = incomplete(election, prefix)
    rows = Tps.objects.filter(code_range("code", prefix), lat__isnull=False).values_list(
        "pk", "code", "number", "kelurahan__name", "lat", "lon"
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "kind": "tps",
                "code": code,
                "number": number,
                "kelurahan": kel,
                "status": "behind" if pk in found else ("slightly_behind" if pk in short else "on_plan"),
            },
        }
        for pk, code, number, kel, lat, lon in rows
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


# --- items and rules ----------------------------------------------------------------------------


@requires(VIEW)
def item_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    election = _election()
    items = items_of(election)
    return render(
        request,
        "logistics/items.html",
        {"items": items, "can_manage": can(request.user, MANAGE), "bases": Basis.choices},
    )


@requires(MANAGE)
def item_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    election = _election()
    item = ItemType.objects.filter(election=election, code=code).select_related("contest").first()
    if item is None:
        raise Http404(_("Jenis logistik tidak ditemukan."))
    error = None
    if request.method == "POST":
        try:
            fields = {
                "name": (request.POST.get("name") or "").strip()[:160] or item.name,
                "basis": request.POST.get("basis") if request.POST.get("basis") in Basis.values else item.basis,
                "per_tps": parse_int(request.POST.get("per_tps") or "0"),
                "spare_per_kecamatan": parse_int(request.POST.get("spare_per_kecamatan") or "0"),
                "waterproof": request.POST.get("waterproof") == "on",
                "labelled": request.POST.get("labelled") == "on",
                "bands": _parse_bands(request.POST.get("bands", "")),
            }
            reserve = (request.POST.get("reserve_pct") or "").strip().replace(",", ".")
            from decimal import Decimal, InvalidOperation

            try:
                fields["reserve_pct"] = Decimal(reserve) if reserve else None
            except InvalidOperation:
                raise actions.Refused("reserve_pct", _("Cadangan harus berupa angka, mis. 2,5.")) from None
            actions.save_item(
                election,
                by=request.user,
                code=item.code,
                version=parse_int(request.POST.get("version") or "0"),
                **fields,
            )
        except ValueError as e:
            error = e if isinstance(e, actions.Refused) else actions.Refused("per_tps", str(e))
        else:
            messages.success(request, _("Aturan %(i)s disimpan; kebutuhan dihitung ulang.") % {"i": item.name})
            return redirect("logistics:items")
    return render(request, "logistics/item_form.html", {"item": item, "error": error, "bases": Basis.choices})


def _parse_bands(text: str) -> list:
    """«300:3, 600:4» → [[300, 3], [600, 4]]."""
    out = []
    for part in text.replace(";", ",").split(","):
        if part.strip():
            upto, _sep, quantity = part.partition(":")
            try:
                out.append((int(upto), int(quantity)))
            except ValueError:
                raise actions.Refused(
                    "bands", _("Tulis rentang sebagai «DPT sampai:jumlah», mis. 300:3, 600:4.")
                ) from None
    return out


# --- import -------------------------------------------------------------------------------------


@requires(RECEIVE)
def import_file(request: AuthenticatedHttpRequest) -> HttpResponse:
    report = made = None
    if request.method == "POST" and request.FILES.get("file"):
        try:
            made = loading.import_shipments(request.FILES["file"], by=request.user, election=_election())
        except ImportRejected as exc:
            report = exc
    context = {"report": report, "made": made, "columns": loading.COLUMNS, "required": loading.REQUIRED}
    return render(request, "logistics/import.html", context)


@requires(RECEIVE)
def template(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    return table_response(fmt, "templat-kiriman-logistik", loading.COLUMNS, loading.template_rows())
