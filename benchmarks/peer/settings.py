"""Settings of the minimal Django project that runs django-helpdesk for the peer benchmark.

Loaded only inside the peer's own virtualenv (``var/peer-helpdesk/venv``) by
``benchmarks/peer/measure.py`` and ``measure_email.py``. The database is SQLite with the
same options as Charterdesk's embedded mode (WAL, ``synchronous=NORMAL``, IMMEDIATE
transactions), or the PostgreSQL server named by ``PEER_DATABASE_URL``; either way
``timing.fresh_database`` has Django's test utilities create a fresh database for each
measure (a file in a work directory, or a database on that server). Mail goes to
Django's in-memory backend: it is built and rendered, never sent.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

SECRET_KEY = "peer-benchmark-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]


def _database() -> dict[str, object]:
    url = os.environ.get("PEER_DATABASE_URL")
    if url:
        parts = urlsplit(url)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        # replaced by the file that timing.fresh_database creates for each measure
        "NAME": os.environ.get("PEER_SQLITE", "/tmp/peer-helpdesk.sqlite3"),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
SITE_ID = 1
STATIC_URL = "static/"
MEDIA_ROOT = Path(os.environ.get("PEER_MEDIA_ROOT", "/tmp/peer-helpdesk-media"))
LOGIN_URL = "helpdesk:login"

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.org"

# No pinax-teams (an optional extra); everything else as shipped.
HELPDESK_TEAMS_MODE_ENABLED = False
