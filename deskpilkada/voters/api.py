from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from deskpilkada.accounts.access import public
from deskpilkada.accounts.middleware import client_ip
from deskpilkada.api_errors import answers, error_response
from deskpilkada.elections.models import Election
from deskpilkada.voters import keys, lookup

router = Router(tags=["pemilih"])


class RelocatedOut(Schema):
    from_: str = Field(alias="from", description="alamat lama")
    at: str = Field(description="waktu pemindahan (ISO 8601)")
    reason: str


class LookupOut(Schema):
    tps_code: str
    tps_number: int
    address: str
    kelurahan: str
    kecamatan: str
    lat: float | None
    lon: float | None
    name_masked: str
    relocated: RelocatedOut | None = Field(None, description="diisi bila TPS dipindahkan: tempat lama, waktu, alasan")


@router.get(
    "/voters/lookup",
    auth=None,
    response=answers({200: LookupOut}, 404, 422, 429),
    summary="Cek TPS dari NIK (publik, dibatasi per perangkat)",
)
@public
def voter_lookup(request, nik: str, confirm: str):
    """`confirm` is the birth date (YYYY-MM-DD) or the first three letters of the name. One voter
    or 404, with the same answer for a wrong NIK and a wrong confirmation."""
    wait = lookup.wait_seconds(client_ip(request) or "-")
    if wait:
        return error_response(429, lookup.too_many_message(wait), headers={"Retry-After": str(wait)})
    try:
        nik = keys.clean_number(nik, "NIK")
    except keys.InvalidNumber as exc:
        return error_response(422, str(exc), [{"field": "nik", "message": str(exc)}])
    election = Election.objects.current()
    voter = lookup.find_voter(election, nik, confirm) if election else None
    if voter is None:
        return error_response(
            404,
            _("Data tidak ditemukan. Cek di cekdptonline.kpu.go.id atau hubungi PPS."),
            headers={"Cache-Control": "no-store"},
        )
    tps = voter.tps
    moved = tps.relocation()
    return JsonResponse(
        {
            "tps_code": tps.code,
            "tps_number": tps.number,
            "address": tps.address,
            "kelurahan": tps.kelurahan.name,
            "kecamatan": tps.kelurahan.parent.name if tps.kelurahan.parent else "",
            "lat": tps.lat,
            "lon": tps.lon,
            "name_masked": voter.name_masked,
            "relocated": (
                {"from": moved.from_address, "at": moved.at.isoformat(), "reason": moved.reason} if moved else None
            ),
        },
        headers={"Cache-Control": "no-store"},
    )
