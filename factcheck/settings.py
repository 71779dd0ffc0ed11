"""Settings for the claim-provenance service, all read from the environment here.

Every variable is listed in README.md (Configuration). Defaults are safe for production;
`DEBUG=1` turns on the conveniences of a developer's machine.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    normalized = value.strip().lower()
    if normalized in {"1", "true", "yes", "on"}:
        return True
    if normalized in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 on a development machine."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "factcheck",
    "publicrecord",
    "sources",
    "claims",
    "bench",  # management commands only: bench_data, bench_pages
]

MIDDLEWARE = [
    "factcheck.logs.RequestIdMiddleware",  # first, so every log line of a request carries its id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the public pages' middleware, so the pages it answers carry the policy too.
    "factcheck.policy.PolicyMiddleware",  # django-csp's, the header built once (factcheck/policy.py)
    # Reads with no entity tag of their own get one of their content (factcheck.caching).
    "factcheck.caching.entity_tags_middleware",
    # Anonymous readers' public pages (304s and cached copies) before sessions and CSRF run.
    "factcheck.caching.PublicPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every response says how it may be cached; no page with a CSRF token is public (factcheck.caching).
    "factcheck.caching.cache_control_middleware",
    # No NUL in a query string or a page's form: a 400 naming the field (factcheck.params).
    "factcheck.params.refuse_nul_middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a sign-in that axes locked out into the lockout page (factcheck.signin).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "factcheck.context_processors.roles",
            ],
        },
    },
]

# The embedded default is an SQLite file under var/; production names PostgreSQL.
_default_sqlite = BASE_DIR / "var" / "factcheck.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "") or f"sqlite:///{_default_sqlite}"
if DATABASE_URL.startswith("sqlite:///") and not DATABASE_URL.startswith("sqlite:///:memory:"):
    Path(DATABASE_URL.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a writer commits; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue instead of failing halfway with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A worker keeps its connection like on PostgreSQL: opening one (and its pragmas) cost more
    # than everything else a 304 does.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "factcheck.signin.SignInLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
# Signing in lands on the desk (my work); readers without a role are sent on from there.
LOGIN_REDIRECT_URL = "claims:desk-home"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "factcheck.storage.ForgivingManifestStaticFilesStorage"
        )
    },
}

# History: reasons can be long (a retraction's reason), so they get a text column.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True  # reverts go through claims.services, never the admin form

REST_FRAMEWORK = {
    # Token first: an anonymous write is then a 401 with WWW-Authenticate, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Who may do what is asked of factcheck.permissions, by this class and by the services.
    "DEFAULT_PERMISSION_CLASSES": ["factcheck.api.ReadOrDeskWrite"],
    # JSON bodies within API_MAX_BODY_BYTES and MAX_JSON_DEPTH; no NUL in any text (factcheck.api).
    "DEFAULT_PARSER_CLASSES": [
        "factcheck.api.LimitedJSONParser",
        "factcheck.api.FormParser",
        "factcheck.api.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Accept's q-values honoured; an unknown ?format= is a 406 (factcheck.api).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "factcheck.api.ContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "factcheck.api.StablePagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "factcheck.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "factcheck.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "factcheck.api.AnonymousRateThrottle",
        "factcheck.api.SignedInRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # How many proxies stand in front (their X-Forwarded-For entries are trusted); 0 trusts none.
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Claim provenance desk API",
    "DESCRIPTION": (
        "Claims with their source, document, date and grade; the evidence links between them; the "
        "editorial workflow (submit, request changes, publish, retract; accept or reject links; revert), "
        "with the full history of every object. Reads carry an ETag; writes and workflow steps must say "
        "which version they change, with If-Match or a `version` field: stale is 412, missing is 428."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "factcheck.dates.DatePrecision"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "factcheck.api.add_error_responses",
        "factcheck.api_schema.closed_request_bodies",
    ],
}

# The organisation that signs published fact-checks (ClaimReview author, feeds).
FACTCHECK_PUBLISHER_NAME = os.environ.get("FACTCHECK_PUBLISHER_NAME", "Claim Provenance Desk")
# Empty: the address the request came to (ClaimReview's author.url, the feed).
FACTCHECK_PUBLISHER_URL = os.environ.get("FACTCHECK_PUBLISHER_URL", "")

# Email to the people a workflow step concerns (claims/notifications.py): submissions to the
# editors, requests for changes, publications and link decisions to their authors. Printed to
# the console in development; SMTP (EMAIL_HOST…) otherwise; FACTCHECK_NOTIFY_BY_EMAIL=0 turns
# them off.
FACTCHECK_NOTIFY_BY_EMAIL = env_bool("FACTCHECK_NOTIFY_BY_EMAIL", default=True)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "desk@localhost")

# The shared cache: rendered public pages, API throttles. The database by default, so that every
# app server shares it with no other service; Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL else {"BACKEND": "factcheck.caching.SharedDatabaseCache", "LOCATION": "factcheck_cache",
                       # Django's default of 300 would keep a few hundred pages; past the maximum a
                       # third of the entries go.
                       "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "50000"))}},
}
# Password guessing (factcheck/signin.py): failed sign-ins are counted in the shared cache above,
# per account and per address, across the sign-in page, the admin and the API token endpoint.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "default"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "factcheck.signin.client_address"
AXES_LOCKOUT_CALLABLE = "factcheck.signin.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ADMIN = False  # the cache handler keeps no rows to show
AXES_SENSITIVE_PARAMETERS: list[str] = []  # the log names the account and the address tried
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "86400"))
# What each worker keeps in memory of the pages it served lately, in front of the shared cache.
PUBLIC_PAGE_MEMORY_BYTES = int(os.environ.get("PUBLIC_PAGE_MEMORY_BYTES", str(32 * 1024 * 1024)))
# On PostgreSQL each worker remembers the public record's state lookups until a NOTIFY says the
# log grew (publicrecord.watch), and for at most this long in any case; 0 asks every time.
PUBLIC_STATE_MEMORY_SECONDS = float(os.environ.get("PUBLIC_STATE_MEMORY_SECONDS", "2"))

# The public record's signing key (publicrecord/signing.py): 32 random bytes, base64. Without
# it, a key file; on a developer's machine (DEBUG) the file is made the first time.
TRANSPARENCY_SIGNING_KEY = os.environ.get("TRANSPARENCY_SIGNING_KEY", "")
TRANSPARENCY_SIGNING_KEY_FILE = os.environ.get("TRANSPARENCY_SIGNING_KEY_FILE",
                                               str(BASE_DIR / "var" / "transparency-signing.key"))

# Capturing documents from their URLs (sources/capture.py).
SNAPSHOT_CAPTURE_CONNECT_TIMEOUT = float(os.environ.get("SNAPSHOT_CAPTURE_CONNECT_TIMEOUT", "5"))
SNAPSHOT_CAPTURE_READ_TIMEOUT = float(os.environ.get("SNAPSHOT_CAPTURE_READ_TIMEOUT", "15"))
# The whole fetch, redirects and headers included: a server dripping bytes cannot hold it longer.
SNAPSHOT_CAPTURE_DEADLINE = float(os.environ.get("SNAPSHOT_CAPTURE_DEADLINE", "30"))
SNAPSHOT_CAPTURE_MAX_BYTES = int(os.environ.get("SNAPSHOT_CAPTURE_MAX_BYTES", str(10 * 1024 * 1024)))
# The largest JSON body the API reads (413 beyond): room for a snapshot's text at its limit, escaped.
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(2 * SNAPSHOT_CAPTURE_MAX_BYTES + 64 * 1024)))
SNAPSHOT_CAPTURE_ALLOW_PRIVATE = False  # only tests turn this on, for their loopback server

# Content-Security-Policy (django-csp) on every response: scripts, styles, fonts and images
# from our own origin only, so no inline <script>, style="" or <style> runs; no plugins, no
# framing, forms post only to us. Data in <script type="application/ld+json"> is not run, so
# it needs nothing. `data:` images: the empty favicon base.html declares.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Production hardening whenever DEBUG is off; a TLS-terminating proxy sets
# SECURE_PROXY_SSL_HEADER so Django knows the original request was HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
    if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# One JSON object per line (factcheck/logs.py), with the request's id; LOG_FORMAT=plain for
# a developer's terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain; got {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
                   "json": {"()": "factcheck.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
