"""kordon's settings, read from the environment with production-safe defaults.

Nothing here is insecure unless asked for: DEBUG is off unless KORDON_DEBUG=true, there is no
secret key outside DEBUG, cookies are secure, hosts are strict. A bad value stops the start with a
message naming the variable (see kordon.env).
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from botocore.config import Config as S3Config  # type: ignore[import-untyped]
from django.core.exceptions import ImproperlyConfigured

from kordon.env import env_bool, env_int, env_list, env_str

# Lets admin classes, forms and formsets name their models (ModelAdmin[Notice]) for mypy --strict.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KORDON_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("KORDON_DEBUG", False)

SECRET_KEY = env_str("KORDON_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "KORDON_SECRET_KEY (or KORDON_SECRET_KEY_FILE) is required when KORDON_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-development-key-only-for-kordon-debug"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("KORDON_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("KORDON_ALLOWED_HOSTS is required when KORDON_DEBUG is off, e.g. kordon.example.org")
CSRF_TRUSTED_ORIGINS = env_list("KORDON_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",  # TOTP second factor for supervisors and administrators (kordon.posts.twofactor)
    "django_otp.plugins.otp_totp",
    "axes",  # login lockout (kordon.posts' login and the admin's)
    "ninja",  # serves the API docs page's Swagger UI from our own static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "kordon.audit",
    "kordon.crossings",
    "kordon.notices",
    "kordon.posts",
    "kordon.seals",
    "kordon.payments",
    "kordon.documents",
    "kordon.notifications",
    "kordon.offline",
    "kordon.intake",
    "kordon.hq",
    "kordon.agencies",
    "kordon.review",
]

MIDDLEWARE = [
    "kordon.ops.requests.RequestMiddleware",  # request id, metrics, one log line (outermost: times all)
    "kordon.middleware.ServerTimingMiddleware",
    "kordon.middleware.ApiAnswersJsonMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "kordon.middleware.PermissionsPolicyMiddleware",
    "kordon.middleware.InputGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kordon.middleware.SessionLifetimeMiddleware",
    "kordon.languages.LanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kordon.posts.twofactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "kordon.middleware.ProblemMiddleware",
]

ROOT_URLCONF = "kordon.urls"
WSGI_APPLICATION = "kordon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kordon" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "kordon.languages.switch",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database(url: str) -> dict[str, object]:
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} is not a database URL: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock when a
        # transaction starts, so two writers queue instead of failing with "database is locked".
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # A database that does not answer must not hold a worker until gunicorn kills it: connecting
        # gives up after KORDON_DB_CONNECT_TIMEOUT seconds, a statement (lock waits included) after
        # KORDON_DB_STATEMENT_TIMEOUT_MS; either is answered 503 (kordon.middleware.ProblemMiddleware).
        # Long maintenance (a big migration) may set it to 0 for its own run.
        options = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
        options.setdefault("connect_timeout", env_int("KORDON_DB_CONNECT_TIMEOUT", 5))
        statement_ms = env_int("KORDON_DB_STATEMENT_TIMEOUT_MS", 20_000)
        options["options"] = f"{options.get('options', '')} -c statement_timeout={statement_ms}".strip()
        config["OPTIONS"] = options
    return config


DATABASES = {"default": _database(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kordon.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": env_str("KORDON_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Cache: rate-limit counters and other short-lived shared state. Redis when KORDON_REDIS_URL is set
# (several app servers), else a table in the database (`kordon_cache`, made by `kordon migrate`), so
# the embedded set-up needs no other service and two servers behind one database still count together.
KORDON_REDIS_URL = env_str("KORDON_REDIS_URL")
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": KORDON_REDIS_URL,
                "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}
    if KORDON_REDIS_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kordon_cache"}
}


def _rate_limits(text: str) -> dict[str, str]:
    """KORDON_RATE_LIMITS: `scope=rate,…` changes rates, `false` switches every limit off (benchmarks)."""
    limits = {"file_notice": "30/h", "change_notice": "120/h", "lookup": "10/m",
              # The status look-up (kordon.notices.access.guard_lookup): after 5 wrong answers in an hour a
              # client may ask once a minute; after 20 in a day it is refused until the day's window ends.
              "lookup_failures_slow": "5/h", "lookup_slowed": "1/m", "lookup_failures": "20/d",
              # Intake: messages one sender may have answered, passport photos one address may have read.
              "intake_message": "60/h", "passport_photo": "30/h",
              # Agencies file many notices: each token, and each address whatever its tokens, has its own pace.
              "agency_file_token": "600/m", "agency_file_client": "1200/m",
              "link_again": "3/h"}  # "send me my link again", per notice reference
    if text.strip().lower() == "false":
        return {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        scope, _, rate = item.partition("=")
        if not rate or "/" not in rate:
            raise ImproperlyConfigured(f"KORDON_RATE_LIMITS: {item!r} is not scope=rate, e.g. file_notice=30/h")
        limits[scope.strip()] = rate.strip()
    return limits


KORDON_RATE_LIMITS = _rate_limits(env_str("KORDON_RATE_LIMITS"))  # see kordon.throttle
RATELIMIT_ENABLE = bool(KORDON_RATE_LIMITS)
RATELIMIT_IP_META_KEY = "kordon.throttle.client_ip"
KORDON_BEHIND_PROXY = env_bool("KORDON_BEHIND_PROXY", env_bool("KORDON_BEHIND_TLS_PROXY", False))

# Logins (posts' console and the admin): 5 wrong passwords for one username from one address lock
# that pair out for 15 minutes (django-axes, counted in the database so every app server agrees).
AUTHENTICATION_BACKENDS = ["kordon.posts.backends.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("KORDON_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KORDON_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "kordon.throttle.client_ip"
AXES_LOCKOUT_TEMPLATE = "posts/locked_out.html"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "posts:login"
# Supervisors and administrators prove a TOTP code after the password (kordon.posts.twofactor).
KORDON_SECOND_FACTOR = env_bool("KORDON_SECOND_FACTOR", not DEBUG)
OTP_TOTP_ISSUER = env_str("KORDON_OTP_ISSUER", "kordon")  # the name authenticator apps show
LOGIN_REDIRECT_URL = "posts:home"

# Languages (kordon.languages): the URL prefix (/ru/…), else the switch's cookie, else Accept-Language.
# The JSON API follows Accept-Language only. Catalogues live in kordon/locale; formats Django lacks for
# ky and tg are filled in kordon/formats.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("ky", "Кыргызча"), ("tg", "Тоҷикӣ")]
LOCALE_PATHS = [BASE_DIR / "kordon" / "locale"]
FORMAT_MODULE_PATH = ["kordon.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "kordon" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Mail: SMTP when KORDON_EMAIL_HOST is set, else printed to the console (development).
EMAIL_HOST = env_str("KORDON_EMAIL_HOST")
EMAIL_PORT = env_int("KORDON_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("KORDON_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("KORDON_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("KORDON_EMAIL_TLS", False)
EMAIL_TIMEOUT = 20
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("KORDON_FROM_EMAIL", "kordon <noreply@localhost>")

# Security: secure unless DEBUG or explicitly relaxed (a demo behind plain HTTP).
SECURE_COOKIES = env_bool("KORDON_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A console left open logs out after KORDON_SESSION_IDLE_MINUTES without a request (the cookie's age,
# renewed by each request), and after 12 hours whatever happens (kordon.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = env_int("KORDON_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
KORDON_SESSION_MAX_SECONDS = 12 * 3600  # one long shift
# A traveller's notice stays open on their device at most this long (see kordon.notices.links).
KORDON_NOTICE_COOKIE_MAX_DAYS = env_int("KORDON_NOTICE_COOKIE_MAX_DAYS", 30)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS is sent on HTTPS answers only, so a year by default costs nothing on plain HTTP (DEBUG: off).
SECURE_HSTS_SECONDS = env_int("KORDON_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_SSL_REDIRECT = env_bool("KORDON_SSL_REDIRECT", False)
if env_bool("KORDON_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy on every answer (django-csp): scripts only from our own static files, never
# inline; nothing framed; forms post to us (and Stripe's checkout, where card payments go).
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],  # style attributes (QR sizing, the API docs' widgets)
    "img-src": ["'self'", "data:", "blob:"],  # data: the empty favicon; blob: photo previews before upload
    "media-src": ["'self'", "blob:", "mediastream:"],  # the scan box's camera
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'", "https://checkout.stripe.com"],
    "frame-ancestors": ["'none'"],
}}
# Only the scan box may use the camera, and only on our own pages; nothing else is ever asked for.
KORDON_PERMISSIONS_POLICY = ("camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
                             "bluetooth=(), interest-cohort=()")

KORDON_ADMIN_PATH = env_str("KORDON_ADMIN_PATH", "admin/").strip("/") + "/"  # a less obvious path for the admin
KORDON_SERVER_TIMING = env_bool("KORDON_SERVER_TIMING", False)  # see kordon.middleware.ServerTimingMiddleware

# Domain settings
KORDON_TOKEN_PEPPER = env_str("KORDON_TOKEN_PEPPER", "")  # optional extra secret mixed into token hashes
KORDON_OFFICER_CACHE_SECONDS = env_int("KORDON_OFFICER_CACHE_SECONDS", 10)  # see kordon.posts.auth
# Encrypts barcode signers' private keys in the database (kordon.seals.keys); seals need it outside DEBUG.
KORDON_SEAL_KEY_PASSPHRASE = env_str("KORDON_SEAL_KEY_PASSPHRASE", "insecure-demo-seal-key" if DEBUG else "")

# Payments (kordon.payments). Which providers a crossing offers is set per crossing by administrators;
# these say which exist here and how to reach them. A provider without its settings is not offered.
KORDON_PAYMENT_PROVIDERS = {
    "cash": "kordon.payments.providers.cash.CashProvider",
    "stripe": "kordon.payments.providers.stripe.StripeProvider",
    "bank_transfer": "kordon.payments.providers.bank_transfer.BankTransferProvider",
    "sandbox": "kordon.payments.providers.sandbox.SandboxProvider",
}
KORDON_STRIPE_SECRET_KEY = env_str("KORDON_STRIPE_SECRET_KEY")
KORDON_STRIPE_WEBHOOK_SECRET = env_str("KORDON_STRIPE_WEBHOOK_SECRET")
KORDON_BANK_TRANSFER_ACCOUNT = env_str("KORDON_BANK_TRANSFER_ACCOUNT")  # beneficiary, bank, IBAN/account, as text
# The sandbox confirms every payment without moving money: for demonstrations only. A system check
# refuses it without DEBUG unless KORDON_SANDBOX_PAYMENTS_IN_PRODUCTION=true says so (a public demo).
KORDON_SANDBOX_PAYMENTS = env_bool("KORDON_SANDBOX_PAYMENTS", False)
KORDON_SANDBOX_PAYMENTS_IN_PRODUCTION = env_bool("KORDON_SANDBOX_PAYMENTS_IN_PRODUCTION", False)
KORDON_HQ_NAME = env_str("KORDON_HQ_NAME", "Border service headquarters (online payments)")
KORDON_BASE_URL = env_str("KORDON_BASE_URL").rstrip("/")  # e.g. https://kordon.example.org, for links in emails

# Documents (kordon.documents): passport scans, vehicle papers and photos, encrypted at rest. The master
# key comes from KORDON_MASTER_KEY_ID + KORDON_MASTER_KEY(_FILE), read when needed (kordon.documents.keys).
KORDON_UPLOAD_MAX_BYTES = env_int("KORDON_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
KORDON_S3_BUCKET = env_str("KORDON_S3_BUCKET")
STORAGES["documents"] = (
    {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": KORDON_S3_BUCKET,
        "endpoint_url": env_str("KORDON_S3_ENDPOINT_URL") or None,
        "access_key": env_str("KORDON_S3_ACCESS_KEY") or None,
        "secret_key": env_str("KORDON_S3_SECRET_KEY") or None,
        "region_name": env_str("KORDON_S3_REGION") or None,
        # Names are 128 random bits: no existence check (a round trip) before each write.
        "file_overwrite": True, "default_acl": None,
        # A bucket that does not answer is an error within seconds (a clear 503), not a minute of retries.
        "client_config": S3Config(
            connect_timeout=env_int("KORDON_S3_CONNECT_TIMEOUT", 3), read_timeout=env_int("KORDON_S3_READ_TIMEOUT", 20),
            retries={"mode": "standard", "max_attempts": 2}),
    }}
    if KORDON_S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage",
          "OPTIONS": {"location": VAR_DIR / "documents",
                      "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700}}
)
# Uploads over 2.5 MB go to a temporary file, never memory; the capping handler stops storing a file
# once it is over KORDON_UPLOAD_MAX_BYTES, so a 2 GB upload costs neither memory nor disk.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "kordon.documents.uploads.SizeCappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Notifications (kordon.notifications) and intake (kordon.intake): email and the WhatsApp Cloud API.
KORDON_INTAKE_CROSSING = env_str("KORDON_INTAKE_CROSSING")  # slug; default: the first open crossing
KORDON_INTAKE_EMAIL = env_str("KORDON_INTAKE_EMAIL")  # the crossing's intake address; replies come from it
# A send left unfinished by a killed worker is tried again once this lease has run out.
KORDON_NOTIFY_LEASE_SECONDS = env_int("KORDON_NOTIFY_LEASE_SECONDS", 120)
KORDON_WHATSAPP_API_URL = env_str("KORDON_WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
KORDON_WHATSAPP_TOKEN = env_str("KORDON_WHATSAPP_TOKEN")
KORDON_WHATSAPP_PHONE_NUMBER_ID = env_str("KORDON_WHATSAPP_PHONE_NUMBER_ID")
KORDON_WHATSAPP_APP_SECRET = env_str("KORDON_WHATSAPP_APP_SECRET")
KORDON_WHATSAPP_VERIFY_TOKEN = env_str("KORDON_WHATSAPP_VERIFY_TOKEN")
# An approved template with two body parameters ({{1}} the reference, {{2}} the news), for messages
# outside the 24-hour window in which WhatsApp allows free text.
KORDON_WHATSAPP_TEMPLATE = env_str("KORDON_WHATSAPP_TEMPLATE", "kordon_notice_update")

# Health, metrics and logs (kordon.ops). /metrics answers only `Authorization: Bearer KORDON_METRICS_TOKEN`.
KORDON_METRICS_TOKEN = env_str("KORDON_METRICS_TOKEN")
KORDON_ACCESS_LOG = env_bool("KORDON_ACCESS_LOG", True)  # one line per request (logger kordon.request)
# Log lines: one JSON object each (python-json-logger) outside DEBUG, with the request's id.
KORDON_LOG_FORMAT = env_str("KORDON_LOG_FORMAT", "text" if DEBUG else "json")
if KORDON_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"KORDON_LOG_FORMAT={KORDON_LOG_FORMAT!r}: use json or text")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Travellers' tokens are scrubbed from every line (kordon.logs; gunicorn's loggers: kordon.wsgi)
    "filters": {"scrub_tokens": {"()": "kordon.logs.ScrubTokens"},
                "request_id": {"()": "kordon.ops.context.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "kordon.ops.context.JsonFormatter", "timestamp": True,
                 "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["scrub_tokens", "request_id"],
                             "formatter": KORDON_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("KORDON_LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}
