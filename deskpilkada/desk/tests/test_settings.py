import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def check_deploy(tmp_path, **overrides: str) -> subprocess.CompletedProcess:
    # A clean production environment: nothing from the test run (dev mode, the browser tests' async flag).
    env = {k: v for k, v in os.environ.items() if k not in {"DESKPILKADA_DEV", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        {
            "SECRET_KEY": "x" * 20 + "production-like-secret-key-0123456789-abcdefghij",
            "NIK_HASH_SECRET": "another-long-secret-for-the-nik-index",
            "TALLY_SIGNING_KEY": "cHJvZHVjdGlvbi1saWtlIGVkMjU1MTkgc2VlZCEhISE=",
            "ALLOWED_HOSTS": "desk.example.go.id",
            "DESKPILKADA_VAR_DIR": str(tmp_path),
            **overrides,
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "deskpilkada", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_refuses_a_one_character_nik_hash_secret(tmp_path):
    result = check_deploy(tmp_path, NIK_HASH_SECRET="x")
    assert result.returncode != 0
    assert "deskpilkada.E001" in result.stderr and "NIK_HASH_SECRET is too weak" in result.stderr


def test_production_refuses_to_start_without_secrets(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DESKPILKADA_DEV", "DEBUG", "SECRET_KEY"}}
    env["DESKPILKADA_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "deskpilkada", "check"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
