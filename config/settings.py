"""Settings for Spec Review, read from the environment only.

Production is `DEBUG=0` plus a real `SECRET_KEY`; everything else has a default that is safe
for a developer laptop and refused by `manage.py check --deploy` where it would not be safe.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SPEC_REVIEW_DATA_DIR", BASE_DIR / ".data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Parse `postgres://user:pass@host:port/name?sslmode=…` into Django's DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL must be a PostgreSQL URL, not {parts.scheme!r}")
    options: dict = {
        # A database that does not answer must not hang a request or a worker.
        "connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")),
    }
    options.update(dict(parse_qsl(parts.query)))
    if env_bool("DATABASE_POOL", True):
        options["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN", "0")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX", "8")),
            # How long a request waits for a free or new connection before giving up.
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "5")),
        }
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
        "TEST": {"NAME": os.environ.get("DATABASE_TEST_NAME") or None},
    }


# The role the web app, worker and beat connect as (see core.dbroles); `migrate`, run as the
# owner role, grants it what it needs. Empty: no separate role (a single-role database).
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "")

DEBUG = env_bool("DEBUG", False)
_INSECURE_DEV_KEY = "django-insecure-dev-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or (_INSECURE_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")

# `make run` serves production settings over plain http on this machine only: cookies without
# the Secure flag, no HTTPS redirect, no HSTS (it would stick to every other localhost server),
# and only loopback host names, so the flag cannot open a real deployment to plain http.
LOCALHOST_HTTP = env_bool("LOCALHOST_HTTP", False)
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ",".join(LOOPBACK_HOSTS) if DEBUG or LOCALHOST_HTTP else ""
)
if LOCALHOST_HTTP and not set(ALLOWED_HOSTS) <= set(LOOPBACK_HOSTS):
    raise RuntimeError("LOCALHOST_HTTP=1 serves plain http to loopback host names only")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "guardian",
    "axes",
    "csp",
    "core",
    "accounts",
    "specs",
    "reviews",
    "notifications",
    "api",
    "webhooks",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    # Before anything that may answer early, so every answer is counted and timed.
    "core.metrics.MetricsMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it sees the outcome of authentication and can lock out repeated failures.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves its own static files (compressed, cache-busted); runserver does in DEBUG.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "core.context_processors.site",
                "accounts.context_processors.sign_in",
                "specs.context_processors.abilities",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# "default" is per process (nothing shared lives in it); "fragments" holds template fragments
# that depend only on an immutable version (the lint panel's findings), keyed by version and
# lint run, and the review page's parts per spec state (ADR 0018), so any process may rebuild
# its own copy: pure derived data (ADR 0016). A spec's state takes ~15 entries and ~350 KB (the
# whole page 205 KB, the lint panel 118 KB, for bench/page_cpu_bench.py's 14 KB spec with 276
# findings): 2,000 entries hold ~130 states, ~45 MB at most per process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FRAGMENT_CACHE_ENTRIES", "2000"))},
    },
}

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    raise RuntimeError(
        "DATABASE_URL is not set: use `make run` / `make test`, which start an embedded "
        "PostgreSQL, or point it at your server (postgres://user@host:5432/name)"
    )
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before any password hashing happens.
    "axes.backends.AxesStandaloneBackend",
    # Refuses every password when LOCAL_PASSWORDS is off, before ModelBackend looks (ADR 0015).
    "accounts.backends.PasswordsSwitchedOffBackend",
    "django.contrib.auth.backends.ModelBackend",
    # OpenID Connect sign-in; answers only the callback, and only when OIDC is configured.
    "accounts.backends.CompanyIdentityBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reviews:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: five failures for one username from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed, e.g. the load
# balancer's; the lock-out and the audit trail use the client address they report.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_VERBOSE = False
# A provider callback is not a password guess: see accounts.backends.is_provider_callback.
AXES_WHITELIST_CALLABLE = "accounts.backends.is_provider_callback"

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # nobody anonymous ever holds an object permission

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: our own code enforces SPEC_MAX_UPLOAD_BYTES on every path (file, paste, command);
# Django's settings only bound what is buffered in memory.
SPEC_MAX_UPLOAD_BYTES = int(os.environ.get("SPEC_MAX_UPLOAD_BYTES", str(1024 * 1024)))
# Versions up to this size are rendered and linted inside the upload request (under the hard
# time limit); larger ones in a Celery task while the page shows "rendering…".
SPEC_INLINE_ANALYSIS_BYTES = int(os.environ.get("SPEC_INLINE_ANALYSIS_BYTES", str(96 * 1024)))
# A review is due this many business days after the version (or the last submit) it waits on.
REVIEW_DUE_DAYS = int(os.environ.get("REVIEW_DUE_DAYS", "5"))
# Per-user allowances (requests, per seconds): the live preview runs as the author types
# (debounced), an upload analyses a whole spec; both run a forked analysis under a hard limit.
PREVIEW_RATE_LIMIT = (int(os.environ.get("PREVIEW_RATE_LIMIT", "60")), 60)
UPLOAD_RATE_LIMIT = (int(os.environ.get("UPLOAD_RATE_LIMIT", "20")), 600)
API_RATE_LIMIT = (int(os.environ.get("API_RATE_LIMIT", "120")), 60)  # per token
SPEC_RENDER_TIME_LIMIT_SECONDS = float(os.environ.get("SPEC_RENDER_TIME_LIMIT_SECONDS", "10"))
DATA_UPLOAD_MAX_MEMORY_SIZE = SPEC_MAX_UPLOAD_BYTES * 3
FILE_UPLOAD_MAX_MEMORY_SIZE = SPEC_MAX_UPLOAD_BYTES + 1

# Security: cookies and transport. Secure cookies and HSTS follow DEBUG so that production
# cannot forget them; a developer on http://localhost still gets a working session.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 12)))
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie; kept default
_PLAIN_HTTP = DEBUG or LOCALHOST_HTTP
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not _PLAIN_HTTP)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not _PLAIN_HTTP)
# Probes and the metrics scraper talk plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if _PLAIN_HTTP else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not _PLAIN_HTTP
SECURE_HSTS_PRELOAD = not _PLAIN_HTTP
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: scripts and styles only from our own origin (htmx, mermaid and our JS
# are vendored under static/), no eval, no inline script. htmx is configured to match (see
# templates/base.html: no indicator styles, no eval, self requests only).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # A rendered spec never makes the reader's browser contact another host (ADR 0003).
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# E-mail: every SMTP conversation has a timeout; Django's default of none lets a silent server
# hang a worker forever.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "1025"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Spec Review <spec-review@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Celery: with no broker configured, kombu's filesystem transport under .data/ needs no server.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "filesystem://"
# Tests point this elsewhere (scripts/devstack.py test): what they queue must never reach the
# workers of `make run`, which share .data/.
CELERY_FILESYSTEM_BROKER_DIR = Path(
    os.environ.get("CELERY_FILESYSTEM_BROKER_DIR") or DATA_DIR / "broker"
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
        "data_folder_in": str(CELERY_FILESYSTEM_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_FILESYSTEM_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_FILESYSTEM_BROKER_DIR / "control"),
        "store_processed": False,
        # kombu polls the folder; its default of 1 s, with one message prefetched and acked late,
        # paces the mail worker at about one e-mail a second.
        "polling_interval": 0.1,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A broker that does not answer must not hang a web request: fail fast and let the
        # periodic sweeps pick up whatever did not get queued.
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.5,
        "interval_max": 1,
        "socket_timeout": 5,
        "socket_connect_timeout": 5,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 5
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": LOG_LEVEL, "propagate": True},
    },
}

CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "core.heartbeat", "schedule": 60.0},
    "forget-rate-limit-windows": {"task": "core.forget_rate_limit_windows", "schedule": 3600.0},
    "sweep-pending-versions": {"task": "specs.sweep_pending_versions", "schedule": 120.0},
    # The outbox sweep: re-enqueues due notifications (broker was down, retry backoff elapsed)
    # and settles sends whose worker was lost.
    "sweep-notifications": {"task": "notifications.sweep_notifications", "schedule": 60.0},
    # Webhook retries whose backoff elapsed, and sends whose worker was lost.
    "sweep-webhooks": {"task": "webhooks.sweep", "schedule": 30.0},
    # Hourly: each person's reminders and digest go out at their own hour in their own zone
    # (notifications.scheduling decides; the records keep it to once a day).
    "remind-due-reviews": {
        "task": "reviews.remind_due_reviews",
        "schedule": crontab(minute=5),
    },
    "send-daily-digests": {
        "task": "notifications.send_daily_digests",
        "schedule": crontab(minute=0),
    },
}
# Overdue reviews: a reminder each working day up to this many, and the area's Accountable
# hears once the review has been overdue this many days.
REVIEW_REMINDER_LIMIT = int(os.environ.get("REVIEW_REMINDER_LIMIT", "5"))
REVIEW_ESCALATE_AFTER_DAYS = int(os.environ.get("REVIEW_ESCALATE_AFTER_DAYS", "3"))

# --- Issue 15 (accounts, upgrades): password reset by e-mail ---------------------------------
# A reset link works once, for a day; each address may ask for a few links an hour (counted
# for known and unknown addresses alike, so the limit tells nobody which addresses exist).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(60 * 60 * 24)))
PASSWORD_RESET_RATE_LIMIT = (int(os.environ.get("PASSWORD_RESET_RATE_LIMIT", "3")), 3600)

# Upgrades: a few versions rendered or linted by an older renderer or linter are refreshed
# every five minutes (`manage.py reanalyse_versions` does all of them at once).
CELERY_BEAT_SCHEDULE["reanalyse-stale-versions"] = {
    "task": "specs.reanalyse_stale_versions",
    "schedule": 300.0,
}
# --- end of issue 15 block -------------------------------------------------------------------

# ── Delivery under faults (issue 9; docs/decisions/0008) ──────────────────────────────────────
# Kept in one block: queues, broker resilience, the SMTP circuit breaker, the database-down
# marker and the worker-heartbeat readiness check.
if not (DEBUG or LOCALHOST_HTTP) and CELERY_BROKER_URL.startswith("filesystem://"):
    # A single-machine folder broker in production loses the worker silently (wrong owner, a
    # second machine, a container without the volume): refuse to start instead. `make run`
    # (LOCALHOST_HTTP, one machine by definition) may use it.
    raise RuntimeError(
        "CELERY_BROKER_URL is not set: the filesystem broker is for development only (DEBUG=1). "
        "Set CELERY_BROKER_URL to redis://… or amqp://… in production."
    )
# E-mail has its own queue, so a mail server that stalls never holds the render workers; a plain
# `celery worker` consumes both, `-Q celery` / `-Q celery-mail` split them.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES: dict[str, dict] = {"celery": {}, "celery-mail": {}}
CELERY_TASK_ROUTES = ("core.queueing.route_task",)
# The worker retries the broker for ever (the default gives up after 100 tries and exits) and
# gives running late-acked tasks back when the connection drops, so the broker redelivers them.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Redis redelivers an unacknowledged task only after visibility_timeout (1 hour by default):
    # a worker killed mid-render held its task that long. Tasks are idempotent, so a redelivery
    # of a task that is merely slow costs work, never a duplicate effect.
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "30")),
        "unacked_restore_interval": 2,
        "unacked_restore_throttle": 1,
    }
# SMTP circuit breaker: after a timeout or refused connection, e-mail waits this long before the
# next try (shared by every worker through the database).
NOTIFICATIONS_SMTP_PAUSE_SECONDS = float(os.environ.get("NOTIFICATIONS_SMTP_PAUSE_SECONDS", "30"))
NOTIFICATIONS_SWEEP_GRACE_SECONDS = int(os.environ.get("NOTIFICATIONS_SWEEP_GRACE_SECONDS", "30"))
NOTIFICATIONS_SWEEP_SECONDS = float(os.environ.get("NOTIFICATIONS_SWEEP_SECONDS", "60"))
NOTIFICATIONS_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFICATIONS_RETRY_BASE_SECONDS", "60"))
if os.environ.get("NOTIFICATIONS_SEND_LEASE_SECONDS"):  # default: CELERY_TASK_TIME_LIMIT + 30
    NOTIFICATIONS_SEND_LEASE_SECONDS = float(os.environ["NOTIFICATIONS_SEND_LEASE_SECONDS"])
CELERY_BEAT_SCHEDULE["sweep-notifications"]["schedule"] = NOTIFICATIONS_SWEEP_SECONDS
# After a failed connect, requests answer 503 at once for this long instead of each waiting for
# the connect timeout; one probe per process per interval finds the database again.
DATABASE_DOWN_RECHECK_SECONDS = float(os.environ.get("DATABASE_DOWN_RECHECK_SECONDS", "2"))
# /health/ready fails when no worker has written a heartbeat for this long (beat asks every
# minute); 0 switches the check off, which development does (no worker needed for the pages).
HEALTH_WORKER_STALE_SECONDS = int(
    os.environ.get("HEALTH_WORKER_STALE_SECONDS", "0" if DEBUG else "180")
)

# ── Sign in with the company's identity (issue 15; docs/decisions/0015) ───────────────────────
# OpenID Connect through mozilla-django-oidc. Off unless OIDC_ISSUER and OIDC_RP_CLIENT_ID are
# set; then the endpoints come from the issuer's discovery document unless all four are given.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_ENABLED = bool(OIDC_ISSUER and OIDC_RP_CLIENT_ID)
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "your company account")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
# Local passwords (sign-in, change, reset by e-mail) can be switched off once everybody signs
# in through the provider; switched off with no provider nobody could sign in, so refuse that.
LOCAL_PASSWORDS = env_bool("LOCAL_PASSWORDS", True)
if not LOCAL_PASSWORDS and not OIDC_ENABLED:
    raise RuntimeError("LOCAL_PASSWORDS=off needs OIDC_ISSUER and OIDC_RP_CLIENT_ID")

# ── Observability (issue 15; docs/decisions/0014) ─────────────────────────────────────────────
# /metrics answers a scraper that sends `Authorization: Bearer <METRICS_TOKEN>`, or a staff
# user; anyone else gets 404. Under gunicorn, PROMETHEUS_MULTIPROC_DIR (an empty folder per
# host, shared by its processes) makes every worker's counts add up (config/gunicorn.conf.py).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# Sentry and OpenTelemetry start only when configured; neither is imported otherwise.
if os.environ.get("SENTRY_DSN") or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
    from config import observability

    observability.start()
