"""Django settings, read once at start-up from the environment.

The defaults are the embedded mode: one SQLite file in WAL mode with IMMEDIATE
transactions (without it concurrent writers get "database is locked"). Production
sets CHARTERDESK_DATABASE_URL to a PostgreSQL server, a real secret key and hosts.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHARTERDESK_VAR_DIR", BASE_DIR / "var"))

DEBUG = os.environ.get("CHARTERDESK_DEBUG", "0") == "1"
#: The embedded mode's key: known to everyone, so production refuses to start with it.
EMBEDDED_SECRET_KEY = "embedded-mode-only-not-for-production"
SECRET_KEY = os.environ.get("CHARTERDESK_SECRET_KEY", EMBEDDED_SECRET_KEY)
ALLOWED_HOSTS = os.environ.get("CHARTERDESK_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")

# --- Production (CHARTERDESK_PRODUCTION=1; docs/security.md) -----------------------------
# HTTPS only: HSTS, redirects, secure cookies. Behind a TLS-terminating proxy,
# CHARTERDESK_PROXY_SSL_HEADER names the header it sets and its value, for example
# "HTTP_X_FORWARDED_PROTO=https". `manage.py check --deploy` is clean with these.
PRODUCTION = os.environ.get("CHARTERDESK_PRODUCTION", "0") == "1"
if PRODUCTION and SECRET_KEY in ("", EMBEDDED_SECRET_KEY):
    raise ImproperlyConfigured(
        "CHARTERDESK_PRODUCTION=1 needs its own secret key: set CHARTERDESK_SECRET_KEY to a "
        "long random value (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "CHARTERDESK_PRODUCTION=1 and CHARTERDESK_DEBUG=1 exclude each other."
    )
SECURE_SSL_REDIRECT = PRODUCTION and os.environ.get("CHARTERDESK_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = (
    int(os.environ.get("CHARTERDESK_HSTS_SECONDS", "31536000")) if PRODUCTION else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION and os.environ.get("CHARTERDESK_HSTS_PRELOAD", "1") == "1"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
if _proxy_ssl_header := os.environ.get("CHARTERDESK_PROXY_SSL_HEADER", ""):
    _header, _, _value = _proxy_ssl_header.partition("=")
    SECURE_PROXY_SSL_HEADER = (_header.strip(), _value.strip() or "https")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("CHARTERDESK_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]
# These hold in every mode (most are Django's defaults, written down so none is lost).
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    # the admin with the two-factor check (charterdesk/security/admin_site.py)
    "charterdesk.security.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "charterdesk.cases",
    "charterdesk.outbox",
    "charterdesk.intake",
    "charterdesk.console",
    "charterdesk.reports",
    "charterdesk.portal",
    "charterdesk.channels",
    "charterdesk.knowledge",
    "charterdesk.privacy",
    "charterdesk.conduct",
    "charterdesk.demo",
    "charterdesk.security",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "charterdesk.console.static_files.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
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
            # WAL, fsync at checkpoints only; a checkpoint every ~40 MB of WAL, not 4 MB:
            # a busy worker rewrites the same index pages in every transaction, and copies
            # them into the database once per checkpoint (the sweep: 5-10% faster).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA wal_autocheckpoint=10000;"
            ),
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
#: The embedded mode serves static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/desk/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# --- Login lockout (django-axes; docs/security.md) ----------------------------------------
# Five wrong passwords for one username from one address lock that pair out for 15 minutes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_RESET_ON_SUCCESS = True

# --- Two-factor login (django-otp; docs/security.md) -------------------------------------
# Optional for each staff member: a TOTP app, and backup codes shown once.
OTP_TOTP_ISSUER = "Charterdesk"
#: The admin never shows a device's key or QR code, nor backup codes, even to a superuser.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
#: How long the code step waits after the right password before asking for it again.
CHARTERDESK_2FA_PENDING_SECONDS = 300

# --- Content Security Policy (django-csp; docs/decisions/0008-security-headers.md) ----------
# Scripts and styles come only from our own static files: no inline <script>, no style="".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

#: Makes the tracking link every acknowledgement carries (a dotted path; "" for none).
CHARTERDESK_TRACKING_LINKS = "charterdesk.portal.links.new_tracking_url"

#: Where the seed charters are read from by `manage.py load_charters`.
CHARTERS_DIR = BASE_DIR / "charters"

#: The customer portal's rate limits count per client address: behind a reverse proxy, the
#: request header (as Django names it, e.g. HTTP_X_REAL_IP) the proxy puts it in.
CHARTERDESK_CLIENT_IP_HEADER = os.environ.get("CHARTERDESK_CLIENT_IP_HEADER", "")
#: The login lockout counts by the same address.
AXES_IPWARE_META_PRECEDENCE_ORDER = tuple(
    name for name in (CHARTERDESK_CLIENT_IP_HEADER, "REMOTE_ADDR") if name
)


# --- Outgoing mail (charterdesk/outbox) -------------------------------------------------
# Embedded mode writes every mail as a file under var/mail/ (nothing is lost, nothing leaves
# the machine). Setting CHARTERDESK_EMAIL_HOST sends through that SMTP server instead (port
# CHARTERDESK_EMAIL_PORT, default 1025: a local sink or relay); CHARTERDESK_EMAIL_BACKEND
# names any other Django mail backend outright.
def _email_backend() -> str:
    if backend := os.environ.get("CHARTERDESK_EMAIL_BACKEND"):
        return backend
    if os.environ.get("CHARTERDESK_EMAIL_HOST"):
        return "django.core.mail.backends.smtp.EmailBackend"
    return "django.core.mail.backends.filebased.EmailBackend"


EMAIL_BACKEND = _email_backend()
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("CHARTERDESK_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("CHARTERDESK_EMAIL_PORT", "1025"))
EMAIL_HOST_USER = os.environ.get("CHARTERDESK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CHARTERDESK_EMAIL_PASSWORD", "")
if PRODUCTION and EMAIL_HOST_USER and not EMAIL_HOST_PASSWORD:
    raise ImproperlyConfigured(
        "CHARTERDESK_EMAIL_USER is set but CHARTERDESK_EMAIL_PASSWORD is not: put the mail "
        "server's password in the environment (or unset the user for a relay without login)."
    )
EMAIL_USE_TLS = os.environ.get("CHARTERDESK_EMAIL_TLS", "0") == "1"
EMAIL_TIMEOUT = float(os.environ.get("CHARTERDESK_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("CHARTERDESK_FROM_EMAIL", "Charterdesk <desk@localhost>")
#: Where staff mails link to (the console's address as staff reach it).
CHARTERDESK_SITE_URL = os.environ.get("CHARTERDESK_SITE_URL", "http://127.0.0.1:8000")
#: Tries per outbox row before it is marked failed (backoff 1 min, 2, 4, ... at most 1 h).
# 60 attempts, the backoff at its 1-hour ceiling after the sixth: a mail server may be down
# for about two days (as an MTA queue would wait) before a mail fails for good
CHARTERDESK_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("CHARTERDESK_OUTBOX_MAX_ATTEMPTS", "60"))

# --- Background tasks (Django's task API, the django-tasks backport) ---------------------
# See docs/decisions/0005-outbox-at-least-once.md for why this is the default backend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CHARTERDESK_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Incoming mail (charterdesk/intake) -------------------------------------------------
#: A larger mail is refused whole (a recorded rejection keeping its first 64 KB).
CHARTERDESK_MAX_MESSAGE_BYTES = int(
    os.environ.get("CHARTERDESK_MAX_MESSAGE_BYTES", str(25 * 1024 * 1024))
)
#: A larger attachment is not stored; the case notes that it was left out.
CHARTERDESK_MAX_ATTACHMENT_BYTES = int(
    os.environ.get("CHARTERDESK_MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024))
)

# --- Mail providers' inbound webhooks (charterdesk/intake/adapters/webhooks.py) -----------
# Off unless configured. CHARTERDESK_MAILGUN_WEBHOOK_SIGNING_KEY (the domain's HTTP webhook
# signing key) turns on /intake/mailgun/inbound_mime/; CHARTERDESK_WEBHOOK_SECRET
# ("user:password") adds HTTP basic auth in front of it. IMAP mailboxes are configured by
# CHARTERDESK_IMAP_<SLUG> variables that `manage.py poll_imap` reads (see adapters/imap.py).
ANYMAIL = {
    name: value
    for name, value in {
        "MAILGUN_WEBHOOK_SIGNING_KEY": os.environ.get("CHARTERDESK_MAILGUN_WEBHOOK_SIGNING_KEY"),
        "WEBHOOK_SECRET": os.environ.get("CHARTERDESK_WEBHOOK_SECRET"),
    }.items()
    if value
}

# --- Phone, chat and social webhooks (charterdesk/channels) ------------------------------
# POST /api/channels/<org>/<channel>/events is off for a channel until its secret is set:
# CHARTERDESK_WEBHOOK_SECRET_<ORG>_<CHANNEL>, upper case, "-" written "_" (for example
# CHARTERDESK_WEBHOOK_SECRET_LT_PRO_VOICEMAIL). Read once here, like every setting.
CHARTERDESK_CHANNEL_SECRETS = {
    name.removeprefix("CHARTERDESK_WEBHOOK_SECRET_"): value
    for name, value in os.environ.items()
    if name.startswith("CHARTERDESK_WEBHOOK_SECRET_") and value
}

# --- Reports (charterdesk/reports) -----------------------------------------------------
#: A TrueType font with Latin, Cyrillic and Azerbaijani letters for the review pack PDF
#: (Debian's fonts-dejavu-core).
CHARTERDESK_PDF_FONT = os.environ.get(
    "CHARTERDESK_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)
#: The worker brings report figures up to date at most this often (seconds).
CHARTERDESK_REPORTS_REFRESH_SECONDS = int(
    os.environ.get("CHARTERDESK_REPORTS_REFRESH_SECONDS", "60")
)
