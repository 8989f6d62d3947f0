from deskpilkada.imports import ElectionImportCommand
from deskpilkada.officers.actions import import_officers


class Command(ElectionImportCommand):
    help = (
        "Impor petugas PPK, PPS, KPPS dan Linmas dari ekspor rekrutmen KPU (CSV/Excel: nik,nama,tanggal_lahir,"
        "jenis_kelamin,no_hp,alamat,badan_adhoc,jabatan,kode_wilayah,no_tps,tmt). NIK disimpan hanya sebagai hash "
        "berkunci; usia pada tmt, dua kru sekaligus, ukuran kru dan ketua diperiksa; semua atau tidak sama sekali."
    )
    importer = import_officers
