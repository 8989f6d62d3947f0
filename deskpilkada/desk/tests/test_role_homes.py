"""Every role lands on its own work: the tasks each point's provider gives it, and a plain "not built
yet" for the points whose module does not exist (issue "Make room for six more modules", item 6)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

H_MINUS_1 = dt.datetime(2024, 11, 26, 15, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def _tasks(client) -> dict[int, list]:
    return {g["point"].number: g for g in client.get("/").context["groups"]}


def test_the_kpps_sees_isi_c_hasil_for_each_contest_of_its_tps(client_as):
    tasks = _tasks(client_as("kpps"))[5]["tasks"]
    titles = [t.title for t in tasks]
    assert len(titles) == 2 and all("Isi C.Hasil" in t and "TPS 028 Kebon Pedes" in t for t in titles)
    assert all(t.url.startswith("/penghitungan/tps/3271061002028/") for t in tasks)


def test_the_kpps_sees_todays_invitation_report_during_the_window(client_as, settings):
    settings.DEMO_NOW = H_MINUS_1
    task = _tasks(client_as("kpps"))[4]["tasks"][0]
    assert "Laporan undangan hari ini" in task.title and task.url == "/undangan/tps/3271061002028/"


def test_the_kpps_lands_on_the_readiness_checklist_of_its_tps(client_as):
    task = _tasks(client_as("kpps"))[2]["tasks"][0]
    assert task.title == "Isi daftar periksa kesiapan TPS" and task.url == "/kesiapan/tps/3271061002028/periksa/"
    assert task.count == 1 and not task.done


def test_the_pps_sees_the_tps_of_its_kelurahan_behind_on_invitations(client_as, settings):
    from deskpilkada import testing as make

    for n in range(3, 11):  # Kebon Pedes: 13 TPS, more than the ten listed one by one ...
        make.make_tps("32.71.06.1002", n)
    make.make_invitations("3271061002028", 250, day=dt.date(2024, 11, 22))  # ... one of them on plan
    settings.DEMO_NOW = H_MINUS_1
    tasks = _tasks(client_as("pps"))[4]["tasks"]
    assert "TPS tertinggal undangan" in tasks[0].title
    assert all(t.url.startswith("/undangan/tps/3271061002") for t in tasks[1:])
    assert len(tasks) - 1 == min(tasks[0].count, 10)
    assert tasks[0].count == 12 and "/undangan/tps/3271061002028/" not in [t.url for t in tasks]


def test_the_operator_sees_held_and_disputed_sheets_imports_and_d_hasil(client_as):
    tasks = _tasks(client_as("kpu"))
    titles = [t.title for t in tasks[5]["tasks"]]
    assert "C.Hasil ditahan" in titles and "C.Hasil sengketa" in titles
    assert any("Impor C.Hasil" in t for t in titles)
    assert sum("D.Hasil" in t for t in titles) == 12  # 6 kecamatan × 2 contests
    assert any("Impor DPT" in t.title for t in tasks[4]["tasks"])


def test_the_ppk_sees_d_hasil_of_its_kecamatan_only(client_as):
    titles = [t.title for t in _tasks(client_as("ppk"))[5]["tasks"]]
    d_hasil = [t for t in titles if "D.Hasil" in t]
    assert len(d_hasil) == 2 and all("Bogor Barat" in t for t in d_hasil)


@pytest.mark.parametrize(
    ("who", "points"),
    [("bawaslu", set()), ("security", set()), ("health", set()), ("comms", set()), ("civil", set())],
)
def test_module_roles_see_their_points_say_not_built_yet(client_as, who, points):
    groups = _tasks(client_as(who))
    assert {n for n, g in groups.items() if g.get("not_built")} == points


def test_dinkes_and_the_hospital_land_on_their_point_9_work(client_as):
    dinkes = [t.title for t in _tasks(client_as("health"))[9]["tasks"]]
    assert dinkes[0] == "RS berpasien tanpa TPS pelayan atau jadwal kunjungan"
    hospital = [t.title for t in _tasks(client_as("hospital"))[9]["tasks"]]
    assert hospital == ["Jadwal kunjungan pemilih rawat inap: RS Umum Daerah Kota Bogor"]


@pytest.mark.parametrize(
    ("who", "point"), [("bawaslu", 6), ("security", 7), ("comms", 8), ("bawaslu_kec", 6), ("security_kec", 7)]
)
def test_case_handlers_land_on_their_cases_even_before_any_case_exists(client_as, who, point):
    titles = [t.title for t in _tasks(client_as(who))[point]["tasks"]]
    assert titles[:3] == ["Kasus lewat tenggat", "Tenggat segera", "Kasus baru untuk diverifikasi"]


def test_bawaslu_is_asked_for_the_vulnerability_of_the_tps_not_yet_assessed(client_as):
    groups = _tasks(client_as("bawaslu"))  # point 7's TPS vulnerability (risk.manage) is Bawaslu's work too
    task = next(t for t in groups[7]["tasks"] if t.title == "TPS belum dinilai kerawanannya")
    assert task.count == 11 and task.url == "/kesiapan/kerawanan/impor/"


def test_every_role_reaches_the_ten_point_desk_in_one_tap(client_as):
    for who in ("kpps", "pps", "kpu", "bawaslu", "viewer"):
        assert 'href="/desk/"' in client_as(who).get("/").content.decode()
