from ninja import Field, Router, Schema

from deskpilkada.accounts.access import public
from deskpilkada.accounts.middleware import client_ip
from deskpilkada.api_errors import answers
from deskpilkada.voters import lookup

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
    return lookup.answer(client_ip(request) or "-", nik, confirm)
