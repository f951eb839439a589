"""`fairhearing check --deploy` is clean under production settings (DEBUG=0)."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PRODUCTION_ENV = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "complaints.example.org",
    "SITE_URL": "https://complaints.example.org",
    "DJANGO_SETTINGS_MODULE": "fairhearing.settings",
    # Production provides the field-encryption keys (settings refuse to start without them).
    "FIELD_ENCRYPTION_KEYS": "4OYt2hmBF8x0sKpN4V4hVGJ9Ck0rgJ0Mwl3YbJzcm-E=",
    "FIELD_HASH_KEY": "ab" * 32,
}
REPO = Path(__file__).resolve().parents[3]
# Only what a process needs to start: nothing from this test run (DATABASE_URL, DEBUG, or
# DJANGO_ALLOW_ASYNC_UNSAFE, which the browser fixtures set) leaks into "production".
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {name: os.environ[name] for name in INHERITED if name in os.environ}
    env.update(PRODUCTION_ENV, FAIRHEARING_VAR_DIR=str(tmp_path), **extra)
    return env


def run(args: list[str], tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "django", *args],
        env=production_env(tmp_path, **extra),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean(tmp_path: Path) -> None:
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(64),
    )
    output = result.stdout + result.stderr
    assert not re.findall(r"\(\w+(?:\.\w+)?\.[WE]\d+\)", output), output
    assert result.returncode == 0, output


def test_production_settings_harden_cookies_and_headers(tmp_path: Path) -> None:
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "X_FRAME_OPTIONS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
    ]
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env=production_env(tmp_path, SECRET_KEY="x" * 60),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    values = json.loads(result.stdout)
    assert values == {
        "SECURE_HSTS_SECONDS": 365 * 24 * 60 * 60,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
    }


@pytest.mark.parametrize("secret", ["", None])
def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path, secret) -> None:
    extra = {} if secret is None else {"SECRET_KEY": secret}
    result = run(["check"], tmp_path, **extra)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("missing", ["FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY"])
def test_production_refuses_to_start_without_field_keys(tmp_path: Path, missing: str) -> None:
    env = production_env(tmp_path, SECRET_KEY="x" * 60)
    del env[missing]
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEY" in result.stderr
    assert not (tmp_path / "field-encryption.keys").exists()
