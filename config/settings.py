"""Settings for MOOC ASN, read from environment variables (see docs/operations.md).

Development needs none of them: SQLite, local-memory cache, in-process tasks and
mail printed to the console. Production sets DEBUG=false and at least SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, SITE_URL and the EMAIL_* variables.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envint, envlist, envstr

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = envstr("SECRET_KEY") or _DEV_SECRET_KEY
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    # Sessions, activation links and password-reset tokens are signed with this
    # key: a guessable one would let anybody forge them.
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", SITE_URL)

# Addresses (or networks) of the reverse proxies whose X-Forwarded-For we believe.
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES")

CAPTCHA_TEST_MODE = envbool("CAPTCHA_TEST_MODE", False)
if CAPTCHA_TEST_MODE and not DEBUG:
    raise ImproperlyConfigured(
        "CAPTCHA_TEST_MODE is for automated tests only and is refused when DEBUG is off."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "captcha",
    "django_recaptcha",
    "treebeard",
    # The rich-text editor's prebuilt assets (mooc.core.editor).
    "django_prose_editor",
    # Second factor (TOTP) and its recovery codes: mooc.accounts.mfa.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mooc.core",
    "mooc.accounts",
    "mooc.content",
    "mooc.catalog",
    "mooc.learning",
    "mooc.exams",
    "mooc.evaluation",
    "mooc.certificates",
    "mooc.privacy",
    "mooc.packages",
    "mooc.authoring",
    "mooc.reports",
    "mooc.api",
    # The REST API's framework; its static files are the Swagger UI served at /api/v1/docs.
    "ninja",
]

MIDDLEWARE = [
    "mooc.core.middleware.TrustedProxyHeadersMiddleware",
    "mooc.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "mooc.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mooc.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mooc.core.middleware.PrivateCacheMiddleware",
    "mooc.accounts.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "mooc.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "mooc.core.forms.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mooc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mooc.core.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
        # Behind PgBouncer in transaction pooling mode, server-side cursors must be off.
        disable_server_side_cursors=envbool("DB_DISABLE_SERVER_SIDE_CURSORS", False),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The ORM binds parameters client-side and never prepares; the few hot statements
    # (the answer save) go through mooc.core.db.prepared_cursor, prepared on first use
    # per connection. Off (None) behind PgBouncer < 1.21 in transaction pooling mode.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        0 if envbool("DB_PREPARED_STATEMENTS", True) else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, tasks -------------------------------------------------
REDIS_URL = envstr("REDIS_URL")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "mooc.core.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CACHES["default"]["KEY_PREFIX"] = envstr("CACHE_KEY_PREFIX", "mooc")
# Sessions are read from the cache and written through to the database, so a
# Redis restart logs nobody out in the middle of an exam.
SESSION_ENGINE = "mooc.core.session_store"  # cached_db, fewer writes at login

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"

# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out username+IP pairs before a password is hashed.
    "axes.backends.AxesStandaloneBackend",
    "mooc.accounts.backends.AccountBackend",
]
PASSWORD_HASHERS = [
    # Argon2id at OWASP's 7 MiB, t=5, p=1 (mooc/accounts/hashers.py): about 13 times
    # cheaper than Django's defaults; older argon2 hashes are upgraded at the next login.
    "mooc.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# "seed": at least 8 characters with upper case, lower case and a digit (the
# manuals' rule); "bssn": BSSN 4/2021, at least 12 characters with a symbol too.
PASSWORD_POLICY = envstr("PASSWORD_POLICY", "seed")
if PASSWORD_POLICY not in {"seed", "bssn"}:
    raise ImproperlyConfigured("PASSWORD_POLICY must be 'seed' or 'bssn'.")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "mooc.accounts.passwords.ComplexityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "full_name", "email"]},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# "seed": NIP/Username + e-mail are matched on screen, then a new password is set
# (the manuals' flow, hardened); "email_link": Django's e-mailed reset link.
PASSWORD_RESET_FLOW = envstr("PASSWORD_RESET_FLOW", "seed")
if PASSWORD_RESET_FLOW not in {"seed", "email_link"}:
    raise ImproperlyConfigured("PASSWORD_RESET_FLOW must be 'seed' or 'email_link'.")
PASSWORD_RESET_TIMEOUT = 60 * 60
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalog:dashboard"
LOGOUT_REDIRECT_URL = "content:home"
ACTIVATION_LINK_HOURS = envint("ACTIVATION_LINK_HOURS", 24)
# Registrations never activated are removed after this many days, freeing the NIP and e-mail.
UNACTIVATED_ACCOUNT_DAYS = envint("UNACTIVATED_ACCOUNT_DAYS", 7)

# Sessions outlast the longest exam: 4 hours idle, 12 hours in all.
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", 4 * 60 * 60)
SESSION_COOKIE_AGE = envint("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# Brute-force protection: failures are counted per username *and* client IP —
# never per IP alone, since a whole office shares one address.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
# Failed logins (unknown NIP or wrong password) from one client IP in a quarter of an hour,
# across all accounts: it slows NIP enumeration, which the per-account lockout cannot see.
# Generous, since a whole office can sit behind one address on exam day.
LOGIN_IP_FAILURE_LIMIT = envint("LOGIN_IP_FAILURE_LIMIT", 100)
LOGIN_IP_WINDOW_SECONDS = 15 * 60
# Admission control (mooc/core/admission.py; docs/operations.md, "Exam-day queues"):
# how many logins and exam starts the whole site serves per second before learners
# take turns on a "Menunggu giliran…" page, and the longest turn handed out (seconds).
# 0 turns a queue off. Sized for two 2-core app nodes; scale with the nodes' cores.
# A login's longest wait stays under the captcha's lifetime (the page posts it again).
LOGIN_ADMISSION_RATE = envint("LOGIN_ADMISSION_RATE", 50)
LOGIN_ADMISSION_MAX_WAIT = envint("LOGIN_ADMISSION_MAX_WAIT", 90)
EXAM_START_ADMISSION_RATE = envint("EXAM_START_ADMISSION_RATE", 60)
EXAM_START_ADMISSION_MAX_WAIT = envint("EXAM_START_ADMISSION_MAX_WAIT", 180)
# How long a process keeps an exam and its course for the exam pages (0: read them on
# every request). An admin's change reaches the other processes within this time.
EXAM_CACHE_SECONDS = envint("EXAM_CACHE_SECONDS", 10)
# Report viewers see users' e-mail addresses and phone numbers only if this is on.
REPORT_VIEWERS_SEE_CONTACT_DETAILS = envbool("REPORT_VIEWERS_SEE_CONTACT_DETAILS", False)
# Registrations per client IP an hour, and per NIP/Username or e-mail address an hour.
REGISTRATION_IP_LIMIT = envint("REGISTRATION_IP_LIMIT", 50)
REGISTRATION_IDENTIFIER_LIMIT = 5
AXES_CLIENT_IP_CALLABLE = "mooc.core.net.client_ip_key"  # an IPv6 client counts by its /64
AXES_USERNAME_CALLABLE = "mooc.accounts.backends.axes_username"
# Our login page shows the lockout message itself, in the form.
AXES_LOCKOUT_CALLABLE = "mooc.accounts.backends.axes_lockout_response"
AXES_VERBOSE = False

# The mobile app's device tokens (mooc/accounts/services/devices.py, the REST API in mooc/api).
DEVICE_ACCESS_SECONDS = envint("DEVICE_ACCESS_SECONDS", 15 * 60)
DEVICE_REFRESH_SECONDS = envint("DEVICE_REFRESH_SECONDS", 30 * 24 * 60 * 60)
# The API has no captcha: sign-ins per username + client IP and per client IP in a quarter hour.
API_LOGIN_USER_IP_LIMIT = envint("API_LOGIN_USER_IP_LIMIT", 10)
API_LOGIN_IP_LIMIT = envint("API_LOGIN_IP_LIMIT", 300)
# Signed file links (attachments, videos, certificate PDFs) of the API live this long.
API_FILE_URL_SECONDS = envint("API_FILE_URL_SECONDS", 10 * 60)

# Second factor: every staff account (is_staff, superuser or a role) signs in with a TOTP
# code; learners may turn it on. There is deliberately no setting that turns it off.
# A browser may skip the code for this many days (at most 30) when the user asks it to.
MFA_REMEMBER_DAYS = envint("MFA_REMEMBER_DAYS", 30)
if not 0 <= MFA_REMEMBER_DAYS <= 30:
    raise ImproperlyConfigured("MFA_REMEMBER_DAYS must be between 0 (never) and 30.")
OTP_TOTP_ISSUER = envstr("MFA_ISSUER", "MOOC ASN")
# Device keys stay out of django-otp's own admin pages (mooc/accounts/admin.py hides them).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Captcha: the self-hosted image captcha (works offline) unless reCAPTCHA keys are set.
RECAPTCHA_PUBLIC_KEY = envstr("RECAPTCHA_PUBLIC_KEY")
RECAPTCHA_PRIVATE_KEY = envstr("RECAPTCHA_PRIVATE_KEY")
CAPTCHA_BACKEND = "recaptcha" if RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY else "image"
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_IMAGE_SIZE = (150, 50)
CAPTCHA_FONT_SIZE = 36
CAPTCHA_LETTER_ROTATION = (-20, 20)
# Letters only, without the ones people confuse (0/O, 1/I/l).
CAPTCHA_CHALLENGE_FUNCT = "mooc.accounts.captcha.readable_challenge"
SILENCED_SYSTEM_CHECKS = ["django_recaptcha.recaptcha_test_key_error"]
if not REDIS_URL:
    # Axes warns about the per-process memory cache. That is right for one
    # development process; production sets REDIS_URL (docs/operations.md).
    SILENCED_SYSTEM_CHECKS.append("axes.W001")

# --- Internationalisation ---------------------------------------------------
# Source strings are English; Indonesian is the language users see by default.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "mooc" / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
USE_I18N = True
USE_TZ = True
TIME_ZONE = envstr("TIME_ZONE", "Asia/Jakarta")

# --- Files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT") or BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "mooc" / "static"]
if DEBUG:
    # WhiteNoise warns about a missing root; in development it serves from the finders.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT") or BASE_DIR / "var" / "media")
# Materials, attachments, videos and certificates live here and are never
# served by URL: a permission-checked view hands them over (mooc.core.files).
PRIVATE_MEDIA_ROOT = Path(envstr("PRIVATE_MEDIA_ROOT") or BASE_DIR / "var" / "private")
# Object storage (docs/operations.md, "Object storage"): with S3_BUCKET set, private
# files live in that S3-compatible bucket (AWS S3, MinIO, Ceph RGW) instead of
# PRIVATE_MEDIA_ROOT; with S3_MEDIA_BUCKET set, public media too.
S3_BUCKET = envstr("S3_BUCKET")
S3_MEDIA_BUCKET = envstr("S3_MEDIA_BUCKET")
_S3_ENDPOINT_URL = envstr("S3_ENDPOINT_URL") or None
_S3_PUBLIC_ENDPOINT_URL = envstr("S3_PUBLIC_ENDPOINT_URL") or None
_S3_REGION = envstr("S3_REGION") or None
_S3_ADDRESSING_STYLE = envstr("S3_ADDRESSING_STYLE") or None
if _S3_ADDRESSING_STYLE not in {None, "auto", "path", "virtual"}:
    raise ImproperlyConfigured("S3_ADDRESSING_STYLE must be auto, path or virtual.")
_S3_CONNECTION: dict[str, Any] = {
    "endpoint_url": _S3_ENDPOINT_URL,
    "region_name": _S3_REGION,
    "addressing_style": _S3_ADDRESSING_STYLE,
    # Empty: boto3's own chain (AWS_* variables, instance or pod role).
    "access_key": envstr("S3_ACCESS_KEY_ID") or None,
    "secret_key": envstr("S3_SECRET_ACCESS_KEY") or None,
    "signature_version": "s3v4",
}
# Permission-checked views answer with a 302 to a presigned link valid this long
# (the browser then fetches the object, Range requests included, from the store);
# false: the application streams the file itself.
PRIVATE_MEDIA_PRESIGNED = envbool("S3_PRESIGNED_URLS", True)
PRIVATE_MEDIA_PRESIGNED_SECONDS = envint("S3_PRESIGNED_SECONDS", 300)
if PRIVATE_MEDIA_PRESIGNED_SECONDS < 10 or PRIVATE_MEDIA_PRESIGNED_SECONDS > 7 * 24 * 3600:
    raise ImproperlyConfigured("S3_PRESIGNED_SECONDS must be between 10 and 604800.")
# In production nginx serves private files on local disk from this internal location.
PRIVATE_MEDIA_ACCEL_PREFIX = envstr("PRIVATE_MEDIA_ACCEL_PREFIX", "/_private/")
PRIVATE_MEDIA_USE_ACCEL = envbool("PRIVATE_MEDIA_USE_ACCEL", not DEBUG and not S3_BUCKET)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": (
        {
            "BACKEND": "mooc.core.s3.PrivateS3Storage",
            "OPTIONS": {
                **_S3_CONNECTION,
                "bucket_name": S3_BUCKET,
                "location": envstr("S3_PRIVATE_PREFIX", "private").strip("/"),
                "public_endpoint_url": _S3_PUBLIC_ENDPOINT_URL,
            },
        }
        if S3_BUCKET
        else {
            "BACKEND": "mooc.core.files.PrivateFileSystemStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
        }
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if S3_MEDIA_BUCKET:
    # Public media (logos, news images, covers): plain, unsigned URLs. The bucket (or
    # its media prefix) is readable by anybody, like MEDIA_ROOT behind /media/.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3_CONNECTION,
            "bucket_name": S3_MEDIA_BUCKET,
            "location": envstr("S3_MEDIA_PREFIX", "media").strip("/"),
            "custom_domain": envstr("S3_MEDIA_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }


def _s3_browser_origins(bucket: str) -> list[str]:
    """Where browsers fetch this bucket's objects from, for the CSP (img-src, media-src)."""
    override = envlist("S3_BROWSER_ORIGINS")
    if override:
        return override
    endpoint = _S3_PUBLIC_ENDPOINT_URL or _S3_ENDPOINT_URL
    if endpoint:
        parts = urlsplit(endpoint)
        origins = [f"{parts.scheme}://{parts.netloc}"]
        if _S3_ADDRESSING_STYLE != "path":
            origins.append(f"{parts.scheme}://{bucket}.{parts.netloc}")
        return origins
    region = f".{_S3_REGION}" if _S3_REGION else ""
    return [f"https://{bucket}.s3{region}.amazonaws.com", f"https://{bucket}.s3.amazonaws.com"]


S3_BROWSER_ORIGINS: list[str] = []
if S3_BUCKET and PRIVATE_MEDIA_PRESIGNED:
    S3_BROWSER_ORIGINS += _s3_browser_origins(S3_BUCKET)
if S3_MEDIA_BUCKET:
    _media_domain = envstr("S3_MEDIA_DOMAIN")
    S3_BROWSER_ORIGINS += (
        [f"https://{_media_domain}"] if _media_domain else _s3_browser_origins(S3_MEDIA_BUCKET)
    )
# Upload limits checked by the admin forms (keep nginx's client_max_body_size above them).
MAX_VIDEO_UPLOAD_MB = envint("MAX_VIDEO_UPLOAD_MB", 500)
MAX_ATTACHMENT_UPLOAD_MB = envint("MAX_ATTACHMENT_UPLOAD_MB", 50)
MAX_QUESTION_FILE_MB = envint("MAX_QUESTION_FILE_MB", 5)
# A course package zip uploaded in the admin. Below nginx's 512m on that page, so that a
# zip slightly too large gets the application's message, not nginx's 413 page.
COURSE_PACKAGE_MAX_UPLOAD_BYTES = envint("COURSE_PACKAGE_MAX_UPLOAD_MB", 500) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# --- Mail ---------------------------------------------------------------------
EMAIL_HOST = envstr("EMAIL_HOST")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", EMAIL_PORT == 465)
# Port 587 is the submission port: STARTTLS is the norm there.
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", EMAIL_PORT == 587 and not EMAIL_USE_SSL)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set only one of EMAIL_USE_TLS and EMAIL_USE_SSL.")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "MOOC ASN <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who gets a mail for every server error (500): comma-separated addresses.
ADMINS = [(address, address) for address in envlist("ADMINS")]
# Notices staff send to many people at once (imported accounts, bulk enrolments), per
# Celery worker: Celery's rate syntax ("120/m", "10/s"); empty for no limit.
EMAIL_NOTICE_RATE_LIMIT = envstr("EMAIL_NOTICE_RATE_LIMIT", "120/m") or None
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# --- Security -----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # pages hand the token to htmx in the markup, not via the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy, sent by mooc.core.middleware.ContentSecurityPolicyMiddleware.
# Scripts only from this site's files (no page has an inline script or handler); style
# attributes allowed (progress bars); pictures also over https (admin-written rich text
# may show images hosted elsewhere) and data: (Bootstrap's icons); embedded players only
# from the two hosts mooc.content.embeds makes embeds for.
CONTENT_SECURITY_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "https:"],
    "media-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Presigned redirects send pictures and videos to the object store's address.
for _origin in dict.fromkeys(S3_BROWSER_ORIGINS):
    CONTENT_SECURITY_POLICY["img-src"].append(_origin)
    CONTENT_SECURITY_POLICY["media-src"].append(_origin)
if CAPTCHA_BACKEND == "recaptcha":  # Google's script and its challenge frame
    CONTENT_SECURITY_POLICY["script-src"] += ["https://www.google.com", "https://www.gstatic.com"]
    CONTENT_SECURITY_POLICY["frame-src"] += ["https://www.google.com"]
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Off by default: `preload` only matters once the domain is submitted to the browsers'
    # preload list, a deliberate and hard-to-undo step (docs/operations.md, section 15).
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # security.W021 ("not set to True") would make `check --deploy` fail on a choice
        # made on purpose. Silenced only while preload is off.
        SILENCED_SYSTEM_CHECKS.append("security.W021")
    if TRUSTED_PROXIES:
        # Only a proxy we trust terminates TLS and tells us the scheme.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Logging ------------------------------------------------------------------
LOG_LEVEL = envstr("LOG_LEVEL", "INFO")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mooc.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Our own request log replaces runserver's and Django's per-request lines.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

# --- Periodic jobs (Celery beat, or `manage.py run_periodic_jobs`) -----------
from mooc.core.periodic import beat_schedule  # noqa: E402

CELERY_BEAT_SCHEDULE = beat_schedule()
# Seconds between a pass and the background work on its certificate (snapshot, number,
# PDF, mail): the end of an exam is the busiest minute, and this work can wait for it
# to pass. Opening the certificate does the snapshot and number at once.
CERTIFICATE_BACKGROUND_DELAY = envint("CERTIFICATE_BACKGROUND_DELAY", 60)

# --- Personal data (UU PDP 27/2022; docs/security.md) ---------------------------
# A learner's data export stays downloadable this many days, then the job deletes it.
DATA_EXPORT_DAYS = envint("DATA_EXPORT_DAYS", 7)
# Exports a learner may ask for per 24 hours (each one reads their whole history).
DATA_EXPORTS_PER_DAY = envint("DATA_EXPORTS_PER_DAY", 3)
# Single-use link tokens are deleted this many days after they expire (until then a
# late click still says "expired" rather than "invalid").
ACCOUNT_TOKEN_RETENTION_DAYS = envint("ACCOUNT_TOKEN_RETENTION_DAYS", 7)

# Each app's demo content, loaded in this order by `manage.py load_demo`.
DEMO_LOADERS = [
    "mooc.core.demo.load",
    "mooc.accounts.demo.load",
    "mooc.content.demo.load",
    "mooc.packages.demo.load",
    "mooc.certificates.demo.load",
    "mooc.reports.demo.load",
    "mooc.evaluation.demo.load",
]

# --- Reports (mooc.reports) ----------------------------------------------------
# Exports with more rows than this are built by a Celery task with progress.
REPORTS_EXPORT_SYNC_ROWS = envint("REPORTS_EXPORT_SYNC_ROWS", 5000)
# A direct push of SIASN course history (docs/reports.md); off while the URL is empty.
SIASN_PUSH_URL = envstr("SIASN_PUSH_URL", "")
SIASN_PUSH_TOKEN = envstr("SIASN_PUSH_TOKEN", "")
