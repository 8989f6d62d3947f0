"""Browser tests: a real server (granian, whitenoise, collected static files) on a demo database
of its own, driven by Playwright through Debian's Chromium. Screenshots go to test-artifacts/."""

import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PASSWORD = "demo-pilkada-2024"
ELECTION_NIGHT = "2024-11-27T20:00+07:00"
# The seeded demo, shared by the workers of a run (see _seeded_demo).
CACHE = ROOT / "var" / "browser-demo"


# The walk over every page, one test per role, is shared out between the workers test by test; every
# other file's tests stay together on one worker, in their order (`make test` runs
# `pytest -m browser -n 2 --dist loadgroup`). Each worker has its own server and demo database.
SHARED_OUT = {"test_every_page_phone.py"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if item.fspath.basename not in SHARED_OUT:
                item.add_marker(pytest.mark.xdist_group(item.fspath.basename))
            if not Path(CHROMIUM).exists():
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is missing: browser tests skipped"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _demo_key() -> str:
    """What the seeded demo depends on: the clock, every file of the application and the pinned
    dependencies (their migrations are part of the schema)."""
    digest = hashlib.sha256(ELECTION_NIGHT.encode())
    pins = [ROOT / name for name in ("requirements.txt", "requirements-dev.txt", "constraints.txt")]
    for path in [*pins, *sorted((ROOT / "deskpilkada").rglob("*"))]:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _seeded_demo(env: dict) -> Path:
    """The demo seeded once for all the workers of a run (and kept for the next run while the code is
    unchanged): the first worker migrates, seeds and collects the static files under a lock; every
    worker then copies the result into a directory of its own, so that no test sees another's writes."""
    CACHE.mkdir(parents=True, exist_ok=True)
    ready = CACHE / _demo_key()
    with open(CACHE / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (ready / "seeded").exists():
            for old in CACHE.iterdir():
                if old.is_dir():
                    shutil.rmtree(old)
            ready.mkdir()
            cli = [sys.executable, "-m", "deskpilkada"]
            seed_env = {**env, "DESKPILKADA_VAR_DIR": str(ready)}
            for args in (["migrate", "-v0"], ["seed_demo", "--quiet-logins"], ["collectstatic", "--noinput", "-v0"]):
                subprocess.run(cli + args, env=seed_env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
            (ready / "seeded").touch()
    return ready


@pytest.fixture(scope="session")
def live_url():
    tmp = Path(tempfile.mkdtemp(prefix="deskpilkada-browser-"))
    env = {
        **os.environ,
        "DESKPILKADA_DEV": "1",
        "SECURE": "0",
        "DESKPILKADA_VAR_DIR": str(tmp),
        "DESKPILKADA_DEMO_NOW": ELECTION_NIGHT,  # the seed and the server: the count is coming in
    }
    env.pop("DATABASE_URL", None)  # its own SQLite database, whatever the unit tests run on
    shutil.copytree(_seeded_demo(env), tmp, dirs_exist_ok=True)
    port = _free_port()
    granian = shutil.which("granian", path=str(Path(sys.executable).parent)) or "granian"
    server = subprocess.Popen(
        [
            granian,
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-access-log",
            "deskpilkada.wsgi:application",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(10)
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page_for(browser, live_url):
    """page_for("admin.kesbangpol", phone=False) -> a signed-in page; closed after the test."""
    contexts = []

    def make(username: str | None, phone: bool = False):
        options = (
            {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
            if phone
            else {"viewport": {"width": 1366, "height": 900}}
        )
        ctx = browser.new_context(base_url=live_url, **options)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(15000)
        if username:
            page.goto("/masuk/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(live_url + "/")
        return page

    yield make
    for ctx in contexts:
        ctx.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
