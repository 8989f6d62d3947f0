from django.http import JsonResponse
from ninja import Router

from deskpilkada.accounts.access import public
from deskpilkada.accounts.middleware import client_ip
from deskpilkada.elections.models import Election
from deskpilkada.voters import lookup

router = Router(tags=["pemilih"])


@router.get("/voters/lookup", auth=None, summary="Cek TPS dari NIK (publik, dibatasi per perangkat)")
@public
def voter_lookup(request, nik: str, confirm: str):
    """`confirm` is the birth date (YYYY-MM-DD) or the first three letters of the name. One voter
    or 404, with the same answer for a wrong NIK and a wrong confirmation."""
    if not lookup.allowed(client_ip(request) or "-"):
        return JsonResponse(
            {"detail": "Terlalu banyak pencarian dari perangkat ini. Coba lagi dalam satu menit."}, status=429
        )
    election = Election.objects.current()
    voter = lookup.find_voter(election, nik, confirm) if election else None
    if voter is None:
        return JsonResponse(
            {"detail": "Data tidak ditemukan. Cek di cekdptonline.kpu.go.id atau hubungi PPS."},
            status=404,
            headers={"Cache-Control": "no-store"},
        )
    tps = voter.tps
    return JsonResponse(
        {
            "tps_code": tps.code,
            "tps_number": tps.number,
            "address": tps.address,
            "kelurahan": tps.kelurahan.name,
            "kecamatan": tps.kelurahan.parent.name,
            "lat": tps.lat,
            "lon": tps.lon,
            "name_masked": voter.name_masked,
        },
        headers={"Cache-Control": "no-store"},
    )
