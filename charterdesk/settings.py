"""Django settings, read once at start-up from the environment.

The defaults are the embedded mode: one SQLite file in WAL mode with IMMEDIATE
transactions (without it concurrent writers get "database is locked"). Production
sets CHARTERDESK_DATABASE_URL to a PostgreSQL server, a real secret key and hosts.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHARTERDESK_VAR_DIR", BASE_DIR / "var"))

DEBUG = os.environ.get("CHARTERDESK_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("CHARTERDESK_SECRET_KEY", "embedded-mode-only-not-for-production")
ALLOWED_HOSTS = os.environ.get("CHARTERDESK_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "charterdesk.cases",
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

ROOT_URLCONF = "charterdesk.urls"
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
WSGI_APPLICATION = "charterdesk.wsgi.application"


def _database() -> dict[str, object]:
    url = os.environ.get("CHARTERDESK_DATABASE_URL")
    if url:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "charterdesk.sqlite3",
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("pl", "Polski"),
    ("ru", "Русский"),
    ("sr-latn", "Srpski (latinica)"),
    ("ro", "Română"),
    ("az", "Azərbaycanca"),
]
LOCALE_PATHS = [BASE_DIR / "charterdesk" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"

#: Where the seed charters are read from by `manage.py load_charters`.
CHARTERS_DIR = BASE_DIR / "charters"
