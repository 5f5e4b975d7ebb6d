"""Production settings (CHARTERDESK_PRODUCTION=1): HTTPS only, secure cookies, secrets only
from the environment; `manage.py check --deploy --fail-level WARNING` is clean."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A fresh Python process (settings are read once at start-up) with only ``env`` set of
    Charterdesk's variables."""
    clean = {
        name: value
        for name, value in os.environ.items()
        # the browser tests' async switch must not leak into a deployment check
        if not name.startswith("CHARTERDESK_") and name != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "charterdesk.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production(**extra: str) -> dict[str, str]:
    return {
        "CHARTERDESK_PRODUCTION": "1",
        "CHARTERDESK_SECRET_KEY": secrets.token_urlsafe(50),
        "CHARTERDESK_ALLOWED_HOSTS": "desk.example.org",
        **extra,
    }


def test_check_deploy_is_clean_with_the_production_settings() -> None:
    done = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **production())
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_embedded_settings_would_not_pass_it() -> None:
    """The check is not vacuous: without CHARTERDESK_PRODUCTION it finds the missing HTTPS."""
    done = run(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        CHARTERDESK_SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert done.returncode != 0
    assert "security.W004" in done.stderr


def test_production_refuses_to_start_with_the_embedded_secret_key() -> None:
    done = run("manage.py", "check", CHARTERDESK_PRODUCTION="1")
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "CHARTERDESK_PRODUCTION=1 needs its own secret key" in done.stderr


def test_production_refuses_debug() -> None:
    done = run("manage.py", "check", **production(CHARTERDESK_DEBUG="1"))
    assert done.returncode != 0
    assert "exclude each other" in done.stderr


SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
    "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_CONTENT_TYPE_NOSNIFF, "
    "s.SECURE_REFERRER_POLICY, s.X_FRAME_OPTIONS, s.SECURE_PROXY_SSL_HEADER)"
)


def test_production_turns_on_https_and_reads_the_proxy_header_from_the_environment() -> None:
    env = production(CHARTERDESK_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO=https")
    done = run("-c", SHOW, **env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "True",
        "31536000",
        "True",
        "True",
        "True",
        "True",
        "same-origin",
        "DENY",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]


def test_the_embedded_mode_keeps_plain_http() -> None:
    done = run("-c", SHOW)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[:4] == ["False", "0", "False", "False"]
    assert done.stdout.split()[-1] == "None"
