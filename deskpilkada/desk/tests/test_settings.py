import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_production_settings_pass_check_deploy(tmp_path):
    # A clean production environment: nothing from the test run (dev mode, the browser tests' async flag).
    env = {k: v for k, v in os.environ.items() if k not in {"DESKPILKADA_DEV", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        {
            "SECRET_KEY": "x" * 20 + "production-like-secret-key-0123456789-abcdefghij",
            "NIK_HASH_SECRET": "another-long-secret-for-the-nik-index",
            "TALLY_SIGNING_KEY": "cHJvZHVjdGlvbi1saWtlIGVkMjU1MTkgc2VlZCEhISE=",
            "ALLOWED_HOSTS": "desk.example.go.id",
            "DESKPILKADA_VAR_DIR": str(tmp_path),
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "deskpilkada", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secrets(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DESKPILKADA_DEV", "DEBUG", "SECRET_KEY"}}
    env["DESKPILKADA_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "deskpilkada", "check"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
