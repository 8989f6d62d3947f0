from deskpilkada.imports import ElectionImportCommand
from deskpilkada.voters.actions import import_dpt


class Command(ElectionImportCommand):
    help = (
        "Impor DPT (CSV/Excel: nik,nkk,nama,tempat_lahir,tanggal_lahir,jenis_kelamin,alamat,rt,rw,kode_tps). "
        "NIK/NKK disimpan hanya sebagai hash berkunci; semua atau tidak sama sekali; impor ulang kelurahan mengganti."
    )
    importer = import_dpt
