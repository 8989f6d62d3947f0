"""The login throttle slows and then stops one username from one address, stops a spraying address,
and cannot be used to keep a user out from elsewhere (security probe, finding 5)."""

import pytest
from django.test import Client

from deskpilkada.accounts import throttle
from deskpilkada.audit.models import AuditEntry

PASSWORD = "demo-pilkada-2024"


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves by hand: throttle.now() reads it."""
    state = {"t": 1_700_000_000.0}
    monkeypatch.setattr(throttle, "now", lambda: state["t"])

    def advance(seconds: float) -> None:
        state["t"] += seconds

    return advance


def _login(username: str, password: str, ip: str = "10.0.0.1"):
    return Client().post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _fail_until_locked(username: str, ip: str, clock) -> None:
    for _ in range(5):
        response = _login(username, "salah", ip)
        assert response.status_code == 200 and "salah" in response.content.decode()
        clock(60)  # past each slow-down


def test_repeated_failures_first_slow_down_the_same_username_and_address(db, clock):
    for _ in range(3):
        assert _login("sekda", "salah").status_code == 200
    slowed = _login("sekda", PASSWORD)
    assert slowed.status_code == 429 and slowed["Retry-After"] == "6"
    assert "Tunggu" in slowed.content.decode()
    clock(6)
    assert _login("sekda", PASSWORD).status_code == 302


def test_five_failures_lock_the_pair_for_the_window_and_audit_the_lock_out(db, clock):
    _fail_until_locked("sekda", "10.0.0.1", clock)
    locked = _login("sekda", PASSWORD)
    assert locked.status_code == 429 and "menit" in locked.content.decode()
    assert int(locked["Retry-After"]) > 600
    entry = AuditEntry.objects.get(action="accounts.login_locked")
    assert entry.target_repr == "sekda" and entry.after["scope"] == "username+address" and entry.area == "3271"
    clock(901)
    assert _login("sekda", PASSWORD).status_code == 302


def test_a_rival_elsewhere_cannot_lock_a_user_out(db, clock):
    _fail_until_locked("sekda", "203.0.113.9", clock)
    assert _login("sekda", PASSWORD, ip="10.0.0.1").status_code == 302


def test_a_colleague_behind_the_same_address_is_not_locked_out(db, clock):
    _fail_until_locked("sekda", "10.0.0.1", clock)
    assert _login("bawaslu", PASSWORD, ip="10.0.0.1").status_code == 302


def test_an_address_spraying_many_usernames_is_refused(db, clock, settings):
    settings.LOGIN_THROTTLE_ADDRESS_LIMIT = 6
    for i in range(6):
        assert _login(f"tebak{i}", "salah", ip="198.51.100.7").status_code == 200
    refused = _login("sekda", PASSWORD, ip="198.51.100.7")
    assert refused.status_code == 429
    assert AuditEntry.objects.filter(action="accounts.login_locked", after__scope="address").count() == 1
    assert _login("sekda", PASSWORD, ip="10.0.0.1").status_code == 302


def test_a_success_clears_the_count_of_its_pair(db, clock):
    for _ in range(2):
        _login("sekda", "salah")
    assert _login("sekda", PASSWORD).status_code == 302
    for _ in range(2):
        assert _login("sekda", "salah").status_code == 200
    assert _login("sekda", PASSWORD).status_code == 302


def test_password_re_entry_is_throttled_the_same_way(client_as, clock):
    client = client_as("admin", fresh=False)
    for _ in range(3):
        assert client.post("/masuk/konfirmasi/", {"password": "salah"}).status_code == 200
    assert client.post("/masuk/konfirmasi/", {"password": PASSWORD}).status_code == 429
