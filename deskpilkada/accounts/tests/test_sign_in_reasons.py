"""When a form's session or password confirmation has run out, the page that asks says why."""

import time


def test_a_post_after_the_session_ended_goes_to_a_sign_in_that_says_why(client, db):
    url = "/penghitungan/tps/3271061002028/pilwalkot-bogor-2024/isi/"
    response = client.post(url, {"paslon_1": "40"})
    assert response.status_code == 302 and response["Location"].startswith("/masuk/?next=")
    page = client.get(response["Location"]).content.decode()
    assert "Sesi Anda berakhir" in page
    assert "data-draft-note" in page  # desk.js shows "isian Anda tersimpan" when this browser holds a draft


def test_a_plain_sign_in_says_nothing_about_an_ended_session(client, db):
    assert "Sesi Anda berakhir" not in client.get("/masuk/").content.decode()


def test_the_password_confirmation_says_it_ran_out(client_as, settings):
    c = client_as("admin", fresh=False)
    session = c.session
    session["reauth_at"] = time.time() - settings.REAUTH_MAX_AGE - 1
    session.save()
    response = c.post("/pengguna/baru/", {"username": "baru.satu", "full_name": "Baru"})
    assert response["Location"] == "/masuk/konfirmasi/?next=%2Fpengguna%2Fbaru%2F"
    page = c.get(response["Location"]).content.decode()
    assert f"berlaku {settings.REAUTH_MAX_AGE // 60} menit dan sudah berakhir" in page and "data-draft-note" in page
