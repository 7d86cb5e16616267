"""Settings, all from environment variables with safe defaults (see .env.example).

The embedded default is SQLite, the in-memory channel layer, a local-memory cache and Celery tasks
run in-process. DATABASE_URL switches on PostgreSQL; REDIS_URL switches on Redis as Celery broker,
channel layer and cache. PRODUCTION=1 turns on the hardened settings and refuses demo conveniences.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(int(default))).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("PRODUCTION")
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
DEMO_MODE = env_bool("DEMO_MODE", default=not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when PRODUCTION=1")
    SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789abcdef"
if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("DEMO_MODE (demo log-ins, simulators) may not be on when PRODUCTION=1")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "channels",
    # Project apps in layer order (DESIGN.md); seed_demo and role sync walk them in this order.
    "contactcentre.registry",
    "contactcentre.processinglog",
    "contactcentre.api",
    "lifeevents",
    "contactcentre.interactions",
    "casemanagement",
    "contactcentre.firstline",
    "contactcentre.console",
    "contactcentre.portal",
    "channels_app",
    "axes",
]

MIDDLEWARE = [
    "contactcentre.api.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "contactcentre.api.idle_sessions.IdleSessionExpiryMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "contactcentre.api.idempotency.IdempotencyMiddleware",
    "contactcentre.api.middleware.ApiProblemMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy on every answer: scripts, styles and connections from this origin only (so no
# inline script or style anywhere; the websocket is same-origin), nothing may frame the pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "contactcentre.urls"
WSGI_APPLICATION = "contactcentre.wsgi.application"
ASGI_APPLICATION = "contactcentre.asgi.application"

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
                "django.template.context_processors.i18n",
                "contactcentre.console.navigation.staff_navigation",
                "contactcentre.api.idle_sessions.session_expiry",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Statements run more than DB_PREPARE_THRESHOLD times on a connection are prepared on the server
    # (psycopg, which needs server-side binding for it), so the hot reads are planned once. 0 turns it off.
    threshold = int(os.environ.get("DB_PREPARE_THRESHOLD", "5"))
    if threshold:
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=threshold)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds every Redis client waits to connect and for an answer: a Redis that is down or silent gives a
# clear 503 (or a cache miss) within a second, never a hang. After a failed connection a web process
# fails its Redis calls at once for REDIS_FAILURE_PAUSE_SECONDS (contactcentre/api/redis_pool.py).
REDIS_CONNECT_TIMEOUT = float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5"))
REDIS_SOCKET_TIMEOUT = float(os.environ.get("REDIS_SOCKET_TIMEOUT", "0.5"))
REDIS_FAILURE_PAUSE_SECONDS = float(os.environ.get("REDIS_FAILURE_PAUSE_SECONDS", "1"))
# The channel layer waits up to 5 s for a message (channels_redis' BZPOPMIN): its read timeout is longer.
REDIS_CHANNEL_LAYER_SOCKET_TIMEOUT = float(os.environ.get("REDIS_CHANNEL_LAYER_SOCKET_TIMEOUT", "10"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Passed to redis-py's connection pool (Django's RedisCache `pool_class` and pool options).
            "OPTIONS": {
                "pool_class": "contactcentre.api.redis_pool.FailFastConnectionPool",
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "failure_pause": REDIS_FAILURE_PAUSE_SECONDS,
            },
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                        "socket_timeout": REDIS_CHANNEL_LAYER_SOCKET_TIMEOUT,
                    }
                ]
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
        # A publish to a broker that is down retries its connection once, at once, then fails (kombu's
        # default keeps retrying for 2 s): the callers of .delay() are requests, and work that must not be
        # lost is in an outbox anyway.
        "max_retries": 1,
        "interval_start": 0,
    }
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    # No broker to run: kombu's filesystem transport, one file a message under CELERY_DATA_DIR, which
    # every process (web, worker, beat) on this machine shares. Tasks run in-process (eagerly, as the
    # test suite wants) unless CELERY_TASK_ALWAYS_EAGER=0: `make run` sets it for its web server, worker
    # and beat (Procfile.dev), so work after commit and the periodic purges run in the worker.
    celery_data_dir = Path(os.environ.get("CELERY_DATA_DIR") or BASE_DIR / "var" / "celery")
    CELERY_BROKER_URL = "filesystem://localhost//"  # the host only quiets kombu's "no hostname" warning
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(celery_data_dir / "queue"),
        "data_folder_out": str(celery_data_dir / "queue"),
        "processed_folder": str(celery_data_dir / "processed"),
        "control_folder": str(celery_data_dir / "control"),
    }
    for folder in ("queue", "processed", "control"):
        (celery_data_dir / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BEAT_SCHEDULE_FILENAME = str(celery_data_dir / "celerybeat-schedule")
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Amsterdam"
# The tasks that send channels_app's outboxes, named once: beat sweeps them below, and the layers
# that write the rows (interactions, registry), which may not import channels_app, wake them by this
# name after commit (contactcentre/wakeups.py). Wiring, not configuration: no environment variable.
NOTIFICATION_SENDER_TASK = "channels_app.tasks.send_due_notifications"
VERIFICATION_SENDER_TASK = "channels_app.tasks.send_due_verification_messages"
# Seconds between two polls of the e-mail door's IMAP mailbox (IMAP_* below).
IMAP_POLL_SECONDS = float(os.environ.get("IMAP_POLL_SECONDS", "60"))
CELERY_BEAT_SCHEDULE = {
    "purge-idempotency-records": {"task": "contactcentre.api.tasks.purge_idempotency_records", "schedule": 3600.0},
    "purge-contact-moments": {"task": "contactcentre.interactions.tasks.purge_contact_moments", "schedule": 86400.0},
    # The outbound senders are woken on commit; these sweeps send what a lost wake-up or a retry left.
    # Idempotent, so a missed or doubled beat (or a wake-up and a beat together) is harmless.
    "send-due-notifications": {"task": NOTIFICATION_SENDER_TASK, "schedule": 30.0},
    "send-due-verification-messages": {"task": VERIFICATION_SENDER_TASK, "schedule": 30.0},
    # The outbox relay is woken on commit; this sweep delivers what a lost wake-up left behind.
    "relay-escalation-deliveries": {"task": "casemanagement.tasks.relay_escalation_deliveries", "schedule": 60.0},
    "flag-escalation-breaches": {"task": "casemanagement.tasks.flag_escalation_breaches", "schedule": 300.0},
    # Scanned letters: the watched folder, letters whose processing was lost (a wake-up after commit that
    # never ran), and the retention purge. All idempotent.
    "import-scan-inbox": {"task": "channels_app.tasks.import_scan_inbox", "schedule": 60.0},
    "process-received-scans": {"task": "channels_app.tasks.process_received_scans", "schedule": 300.0},
    "purge-scanned-letters": {"task": "channels_app.tasks.purge_scanned_letters", "schedule": 86400.0},
    # The e-mail door's IMAP poller: UID-based and idempotent, a no-op while IMAP_HOST is empty.
    "poll-email-mailbox": {"task": "channels_app.tasks.poll_email_mailbox", "schedule": IMAP_POLL_SECONDS},
    "purge-email": {"task": "channels_app.tasks.purge_email", "schedule": 86400.0},
    "release-expired-work-items": {
        "task": "contactcentre.interactions.tasks.release_expired_work_items",
        "schedule": 60.0,
    },
    "collect-lockouts": {"task": "contactcentre.interactions.tasks.collect_lockouts", "schedule": 60.0},
}
# How long a claimed work item stays with the person who took it before it returns to its queue.
WORK_ITEM_RESERVATION_MINUTES = int(os.environ.get("WORK_ITEM_RESERVATION_MINUTES", "30"))
# How long contact moments are kept (days) before the daily purge deletes them.
CONTACT_MOMENT_RETENTION_DAYS = int(os.environ.get("CONTACT_MOMENT_RETENTION_DAYS", str(2 * 365)))

# Scanned letters (channels_app/scan): the originals are kept in their own storage, never served, under
# random names, and purged with their contact moments (CONTACT_MOMENT_RETENTION_DAYS). The watched folder
# SCAN_INBOX_DIR is imported every minute; imported files go to processed/, refused ones to failed/ with a
# reason file, and both are purged after the same retention. A file younger than SCAN_INBOX_SETTLE_SECONDS
# may still be being written and waits for the next round.
SCAN_STORAGE_DIR = os.environ.get("SCAN_STORAGE_DIR") or str(BASE_DIR / "var" / "scans")
SCAN_INBOX_DIR = os.environ.get("SCAN_INBOX_DIR") or str(BASE_DIR / "var" / "scan-inbox")
SCAN_INBOX_SETTLE_SECONDS = int(os.environ.get("SCAN_INBOX_SETTLE_SECONDS", "10"))
SCAN_MAX_BYTES = int(os.environ.get("SCAN_MAX_BYTES", str(20 * 1024 * 1024)))
SCAN_MAX_PAGES = int(os.environ.get("SCAN_MAX_PAGES", "20"))
# Letters read by OCR with a mean word confidence (0-100) below this go to the triage queue.
SCAN_OCR_MIN_CONFIDENCE = float(os.environ.get("SCAN_OCR_MIN_CONFIDENCE", "70"))
SCAN_OCR_TIMEOUT_SECONDS = int(os.environ.get("SCAN_OCR_TIMEOUT_SECONDS", "120"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded and received files (escalation attachments, e-mail attachments, quarantined messages) in the
# default storage; never served from here by the web server, only handed out by the API to whoever may have
# them. No MEDIA_URL on purpose.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or str(BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Originals of scanned letters: no base URL, so nothing in them is ever served.
    "scans": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": SCAN_STORAGE_DIR}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Staff sign in at /aanmelden/ (contactcentre/console); the admin has its own log-in page.
LOGIN_URL = "staff-login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "staff-login"

# Staff sign-in through the organisation's identity provider (OpenID Connect, mozilla-django-oidc), off
# until STAFF_OIDC_CLIENT_ID is set; then the sign-in page also offers "Aanmelden met uw organisatieaccount"
# and the users come and go with their roles from the provider's claims (contactcentre/api/oidc.py). The
# STAFF_OIDC_* variables fill mozilla-django-oidc's own OIDC_* settings.
STAFF_OIDC_ENABLED = bool(os.environ.get("STAFF_OIDC_CLIENT_ID"))
OIDC_RP_CLIENT_ID = os.environ.get("STAFF_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("STAFF_OIDC_CLIENT_SECRET", "")
OIDC_OP_ISSUER = os.environ.get("STAFF_OIDC_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("STAFF_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("STAFF_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("STAFF_OIDC_JWKS_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("STAFF_OIDC_USERINFO_ENDPOINT", "")  # empty: the ID token's claims only
OIDC_RP_SIGN_ALGO = os.environ.get("STAFF_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("STAFF_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "staff-oidc-callback"
# The claim that names the staff member's account (unique and unchangeable at the provider) and the claim
# that lists their roles (names from contactcentre.api.roles; other values are ignored).
STAFF_OIDC_USERNAME_CLAIM = os.environ.get("STAFF_OIDC_USERNAME_CLAIM", "preferred_username")
STAFF_OIDC_ROLES_CLAIM = os.environ.get("STAFF_OIDC_ROLES_CLAIM", "roles")
# Connect and read timeout of every call to an identity provider or DigiD broker, in seconds.
OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT_SECONDS", "10"))

# Citizens sign in with DigiD through an OpenID Connect broker, off until DIGID_OIDC_CLIENT_ID is set
# (contactcentre/portal/digid.py reads these as mozilla-django-oidc's OIDC_* settings, DIGID_ before them).
# Without it, DEMO_MODE offers the simulated DigiD, and otherwise signing in is unavailable.
DIGID_OIDC_ENABLED = bool(os.environ.get("DIGID_OIDC_CLIENT_ID"))
DIGID_OIDC_RP_CLIENT_ID = os.environ.get("DIGID_OIDC_CLIENT_ID", "")
DIGID_OIDC_RP_CLIENT_SECRET = os.environ.get("DIGID_OIDC_CLIENT_SECRET", "")
DIGID_OIDC_OP_ISSUER = os.environ.get("DIGID_OIDC_ISSUER", "")
DIGID_OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("DIGID_OIDC_AUTHORIZATION_ENDPOINT", "")
DIGID_OIDC_OP_TOKEN_ENDPOINT = os.environ.get("DIGID_OIDC_TOKEN_ENDPOINT", "")
DIGID_OIDC_OP_JWKS_ENDPOINT = os.environ.get("DIGID_OIDC_JWKS_ENDPOINT", "")
DIGID_OIDC_OP_USER_ENDPOINT = ""  # the BSN and level come from the ID token
DIGID_OIDC_RP_SIGN_ALGO = os.environ.get("DIGID_OIDC_SIGN_ALGO", "RS256")
DIGID_OIDC_RP_SCOPES = os.environ.get("DIGID_OIDC_SCOPES", "openid")
DIGID_OIDC_USE_PKCE = True
DIGID_OIDC_TIMEOUT = OIDC_TIMEOUT
DIGID_OIDC_AUTHENTICATION_CALLBACK_URL = "portal-digid-callback"
# The ID token's claims with the BSN and with the level of assurance of the DigiD log-in.
DIGID_OIDC_BSN_CLAIM = os.environ.get("DIGID_OIDC_BSN_CLAIM", "bsn")
DIGID_OIDC_ASSURANCE_CLAIM = os.environ.get("DIGID_OIDC_ASSURANCE_CLAIM", "acr")
for prefix, enabled in (("STAFF_OIDC", STAFF_OIDC_ENABLED), ("DIGID_OIDC", DIGID_OIDC_ENABLED)):
    needed = ("CLIENT_SECRET", "ISSUER", "AUTHORIZATION_ENDPOINT", "TOKEN_ENDPOINT", "JWKS_ENDPOINT")
    missing = [f"{prefix}_{name}" for name in needed if enabled and not os.environ.get(f"{prefix}_{name}")]
    if missing:
        raise ImproperlyConfigured(f"{prefix}_CLIENT_ID is set, so these must be too: {', '.join(missing)}")

# Sessions: kept in the database and read through the cache (so they outlive the cache, also while
# Redis is down: Django's cached_db store with cache errors as misses), rotated at login (Django does),
# ended SESSION_COOKIE_AGE seconds after the last request; the cookie lasts as long as the browser, the
# server alone decides when an idle session ends.
SESSION_ENGINE = "contactcentre.api.resilient_sessions"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
# Not SESSION_SAVE_EVERY_REQUEST (a database write a request): IdleSessionExpiryMiddleware saves once a minute.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Seconds before an idle session ends that staff and citizens are warned, with "Ingelogd blijven".
SESSION_WARNING_SECONDS = int(os.environ.get("SESSION_WARNING_SECONDS", "120"))
# An open websocket re-reads its session and permission before an event once this many seconds have
# passed since its last check (channels_app.consumers): an ended session stops receiving within it.
WEBSOCKET_SESSION_CHECK_SECONDS = float(os.environ.get("WEBSOCKET_SESSION_CHECK_SECONDS", "15"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Reverse proxies in front of the app that each append the address they saw to X-Forwarded-For. With 0
# the header is ignored (anyone can send one) and the connecting address is the client's; with n, the n-th
# address from the right. The per-IP throttles and the log-in lock-out both key on it.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

REST_FRAMEWORK = {
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "contactcentre.api.authentication.ApiTokenAuthentication",
        "contactcentre.api.authentication.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["contactcentre.api.permissions.IsAuthenticatedPersonOrClient"],
    "DEFAULT_PARSER_CLASSES": ["contactcentre.api.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "contactcentre.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "contactcentre.api.pagination.DefaultPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Problem-details answers (401, 403, 404, 400, 409, 422, 429) documented from each view's own settings.
    "DEFAULT_SCHEMA_CLASS": "contactcentre.api.schema.AutoSchema",
    # Serializers hand datetimes over as they are; the renderer writes every one in UTC with "Z".
    "DATETIME_FORMAT": None,
    "EXCEPTION_HANDLER": "contactcentre.api.errors.problem_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "public_search": os.environ.get("THROTTLE_PUBLIC_SEARCH", "60/min"),
        "sensitive": os.environ.get("THROTTLE_SENSITIVE", "20/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "No wrong door contact centre API",
    "DESCRIPTION": "First-line contact centre: parties, knowledge base, cases, contacts, escalations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from the installed sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Choice sets that share a field name with another app's ("kind", "channel", "purpose", "outcome").
    "ENUM_NAME_OVERRIDES": {
        "PartyKindEnum": "contactcentre.registry.models.Party.Kind",
        "RegistryChannelEnum": "contactcentre.registry.models.Channel",
        "BaseDataAttributeEnum": "contactcentre.registry.models.Attribute",
        "ConsentPurposeEnum": "contactcentre.registry.models.Consent.Purpose",
        "ProcessingPurposeEnum": "contactcentre.processinglog.purposes.Purpose",
        "ProcessingOutcomeEnum": "contactcentre.processinglog.models.ProcessingRecord.Outcome",
        "ContactChannelEnum": "contactcentre.interactions.models.Channel",
        "ContactOutcomeEnum": "contactcentre.interactions.models.ContactMoment.Outcome",
        "CallbackStatusEnum": "contactcentre.interactions.models.CallbackRequest.Status",
    },
}

API_PAGE_SIZE = int(os.environ.get("API_PAGE_SIZE", "25"))
API_MAX_PAGE_SIZE = int(os.environ.get("API_MAX_PAGE_SIZE", "100"))
IDEMPOTENCY_TTL_SECONDS = int(os.environ.get("IDEMPOTENCY_TTL_SECONDS", str(24 * 3600)))

# Secret for pseudonymising subjects in the processing log (HMAC); separate from SECRET_KEY.
PSEUDONYM_KEY = os.environ.get("PSEUDONYM_KEY", SECRET_KEY)

# Signed webhooks to second-line organisations (casemanagement/webhooks.py) refuse targets that resolve to
# loopback, private, link-local or other non-public addresses (SSRF); 1 allows them (local development, tests).
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS")

# Verification codes for a new e-mail address or phone number (registry).
REGISTRY_VERIFICATION_TTL_MINUTES = int(os.environ.get("VERIFICATION_CODE_TTL_MINUTES", "15"))
REGISTRY_VERIFICATION_MAX_ATTEMPTS = int(os.environ.get("VERIFICATION_CODE_MAX_ATTEMPTS", "5"))
REGISTRY_VERIFICATION_MAX_PER_HOUR = int(os.environ.get("VERIFICATION_CODES_PER_PERSON_PER_HOUR", "5"))

# Outbound messages to citizens (channels_app/transports.py). SMS through Twilio's REST client; without
# TWILIO_ACCOUNT_SID (the embedded default) each SMS is a JSON file under SMS_FILE_PATH instead.
# TWILIO_API_BASE_URL replaces https://api.twilio.com (a local fake of Twilio's API in tests).
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "")
TWILIO_API_BASE_URL = os.environ.get("TWILIO_API_BASE_URL", "")
TWILIO_TIMEOUT_SECONDS = float(os.environ.get("TWILIO_TIMEOUT_SECONDS", "10"))
# Inbound Twilio webhooks (channels_app) are signed by Twilio over the URL it was given: the public base URL
# (scheme and host as Twilio calls them, behind the proxy) plus the path. Without an auth token every inbound
# webhook is refused; the demo simulator signs with DEMO_TWILIO_AUTH_TOKEN when DEMO_MODE is on.
TWILIO_WEBHOOK_BASE_URL = os.environ.get("TWILIO_WEBHOOK_BASE_URL", "http://127.0.0.1:8000")
if DEMO_MODE and not TWILIO_AUTH_TOKEN:
    TWILIO_AUTH_TOKEN = "demo-twilio-auth-token"
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH") or str(BASE_DIR / "var" / "sms")
# The phone menu (channels_app/voice): the Dutch voice Twilio reads it with (a Polly or Google voice name) and
# the speech recognition language; the Twilio queue (a work queue code, the agents' skill) callers wait in,
# per life event heard ("slug=queue-code,..."), else the general phone queue; the work queue callback
# requests from the menu land in; what callers hear while waiting; the letters before a case reference's
# digits (references are "Z" + digits, typed on the keypad).
VOICE_NAME = os.environ.get("VOICE_NAME", "Polly.Lotte")
VOICE_LANGUAGE = os.environ.get("VOICE_LANGUAGE", "nl-NL")
VOICE_DEFAULT_QUEUE = os.environ.get("VOICE_DEFAULT_QUEUE", "telefoon")
VOICE_SKILL_QUEUES = dict(
    item.split("=", 1)
    for item in env_list("VOICE_SKILL_QUEUES", "bijstand-schulden=specialisten-inkomen,werkloos=specialisten-inkomen")
    if "=" in item
)
VOICE_CALLBACK_QUEUE = os.environ.get("VOICE_CALLBACK_QUEUE", "kcc-terugbellen")
VOICE_HOLD_MUSIC_URL = os.environ.get(
    "VOICE_HOLD_MUSIC_URL", "http://com.twilio.sounds.music.s3.amazonaws.com/MARKOVICHAMP-Borghestral.mp3"
)
VOICE_CASE_REFERENCE_PREFIX = os.environ.get("VOICE_CASE_REFERENCE_PREFIX", "Z")
# E-mail through SMTP when EMAIL_HOST is set; otherwise one file per message under EMAIL_FILE_PATH.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=not EMAIL_USE_SSL)  # the two exclude each other
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or str(BASE_DIR / "var" / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "noreply@contactcentrum.example"
# Letters wait for print as one JSON file each in this directory.
LETTER_QUEUE_DIR = os.environ.get("LETTER_QUEUE_DIR") or str(BASE_DIR / "var" / "letters")
# Attempts before a notification is given up (dead); an administrator can resend it.
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "8"))

# The e-mail door (channels_app/email). EMAIL_INTAKE_ADDRESS is the address citizens write to: replies
# from the console are sent from it and name it in X-Loop; mail from it (or an X-Loop naming it) is our
# own coming back and is never handled. EMAIL_OWN_ADDRESSES lists further addresses of ours.
EMAIL_INTAKE_ADDRESS = os.environ.get("EMAIL_INTAKE_ADDRESS") or "contact@contactcentrum.example"
EMAIL_OWN_ADDRESSES = env_list("EMAIL_OWN_ADDRESSES")
EMAIL_MAX_MESSAGE_BYTES = int(os.environ.get("EMAIL_MAX_MESSAGE_BYTES", str(25 * 1024 * 1024)))
EMAIL_ATTACHMENT_MAX_BYTES = int(os.environ.get("EMAIL_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
EMAIL_ATTACHMENTS_MAX_COUNT = int(os.environ.get("EMAIL_ATTACHMENTS_MAX_COUNT", "20"))
# Attachment types kept, as sniffed from the content (not as the sender declared them).
EMAIL_ATTACHMENT_TYPES = env_list(
    "EMAIL_ATTACHMENT_TYPES",
    "application/pdf,image/jpeg,image/png,image/gif,image/tiff,image/heic,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.oasis.opendocument.text",
)
# A case reference in a subject ("Zaaknummer: ZAAK-2026-000001", "[ZAAK-2026-000001]"): group 1 is the
# reference, looked up among the cases; a message that names one joins that case's thread for its sender.
EMAIL_CASE_REFERENCE_PATTERN = os.environ.get(
    "EMAIL_CASE_REFERENCE_PATTERN", r"(?:zaak(?:nummer)?|kenmerk|case)\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{3,39})"
)
# The IMAP poller (channels_app/email/imap.py), off while IMAP_HOST is empty. IMAP_SECURITY: ssl
# (port 993), starttls or none (only for a server on this machine).
IMAP_HOST = os.environ.get("IMAP_HOST", "")
IMAP_PORT = int(os.environ.get("IMAP_PORT", "993"))
IMAP_USER = os.environ.get("IMAP_USER", "")
IMAP_PASSWORD = os.environ.get("IMAP_PASSWORD", "")
IMAP_FOLDER = os.environ.get("IMAP_FOLDER", "INBOX")
IMAP_SECURITY = os.environ.get("IMAP_SECURITY", "ssl")
IMAP_TIMEOUT_SECONDS = float(os.environ.get("IMAP_TIMEOUT_SECONDS", "10"))
IMAP_BATCH = int(os.environ.get("IMAP_BATCH", "100"))

# Brute force: lock out a username *from an IP* (agents share office IPs, so never the IP alone).
# ModelBackend (the user read from the database on every request) with each person's permission set and
# roles kept in the cache (contactcentre/api/backends.py).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "contactcentre.api.backends.CachedPermissionBackend"]
if STAFF_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("contactcentre.api.oidc.StaffOIDCBackend")
# Seconds a permission set is kept at most: the bound for changes to groups and permissions that send no
# signal (a queryset update()); the others take effect at the next request.
PERMISSION_CACHE_SECONDS = int(os.environ.get("PERMISSION_CACHE_SECONDS", "60"))
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_LOCKOUT_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = timedelta(seconds=int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address as the throttles read it (TRUSTED_PROXY_COUNT); django-ipware is not installed,
# so without this axes would see every caller behind a proxy as the proxy.
AXES_CLIENT_IP_CALLABLE = "contactcentre.api.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A locked-out sign-in (staff page and admin alike) gets a page that says so in the user's language, 429.
AXES_LOCKOUT_CALLABLE = "contactcentre.console.views.locked_out"
# A sign-in through the identity provider guesses no password: it is neither counted nor locked out (the
# provider has its own lock-out), so failed returns from it never lock an office's address.
AXES_WHITELIST_CALLABLE = "contactcentre.api.oidc.is_provider_sign_in"

# Case status by reference + second factor (phone, SMS): wrong attempts per reference and per caller
# before the lookup is refused, and for how long (counted in the cache: Redis in production).
CASE_LOOKUP_MAX_ATTEMPTS = int(os.environ.get("CASE_LOOKUP_MAX_ATTEMPTS", "5"))
CASE_LOOKUP_LOCKOUT_SECONDS = int(os.environ.get("CASE_LOOKUP_LOCKOUT_SECONDS", "900"))
CASE_LOOKUP_CALLER_MAX_WRONG = int(os.environ.get("CASE_LOOKUP_CALLER_MAX_WRONG", "20"))
# Counter check-in at a kiosk: wrong appointment codes per kiosk before it is refused, and for how
# long; the check-in window around an appointment's start (minutes before and after).
COUNTER_CHECK_IN_MAX_WRONG = int(os.environ.get("COUNTER_CHECK_IN_MAX_WRONG", "5"))
COUNTER_CHECK_IN_LOCKOUT_SECONDS = int(os.environ.get("COUNTER_CHECK_IN_LOCKOUT_SECONDS", "900"))
COUNTER_CHECK_IN_EARLY_MINUTES = int(os.environ.get("COUNTER_CHECK_IN_EARLY_MINUTES", "15"))
COUNTER_CHECK_IN_LATE_MINUTES = int(os.environ.get("COUNTER_CHECK_IN_LATE_MINUTES", "10"))
# Webhook deliveries of an escalation before it is given up (an administrator can resend it).
ESCALATION_DELIVERY_MAX_ATTEMPTS = int(os.environ.get("ESCALATION_DELIVERY_MAX_ATTEMPTS", "8"))
# Hours before an escalation's resolution deadline that it goes on the supervisors' board as near breach.
ESCALATION_NEAR_BREACH_HOURS = int(os.environ.get("ESCALATION_NEAR_BREACH_HOURS", "8"))
# Attachments of escalations (casemanagement/attachments.py): the most bytes per file, the most files per
# escalation, and the types accepted, recognised from the file's first bytes (the sender's word is not taken).
ESCALATION_ATTACHMENT_MAX_BYTES = int(os.environ.get("ESCALATION_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
ESCALATION_ATTACHMENTS_MAX_COUNT = int(os.environ.get("ESCALATION_ATTACHMENTS_MAX_COUNT", "5"))
ESCALATION_ATTACHMENT_TYPES = env_list(
    "ESCALATION_ATTACHMENT_TYPES", "application/pdf,image/png,image/jpeg,image/tiff,text/plain"
)
# The address this system is known by (scheme + host): links in what leaves it start with it (an attachment's
# download link in a delivered escalation, an article's public page in an SMS answer; empty: no SMS link).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Wrong purpose references (a contact or case that does not open this person's data) per user or
# system before their purposes are refused, and for how long.
PURPOSE_WRONG_REFERENCES_MAX = int(os.environ.get("PURPOSE_WRONG_REFERENCES_MAX", "10"))
PURPOSE_WRONG_REFERENCES_LOCKOUT_SECONDS = int(os.environ.get("PURPOSE_WRONG_REFERENCES_LOCKOUT_SECONDS", "900"))

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "contactcentre.api.logging.RequestContextFilter"}},
    "formatters": {"json": {"()": "contactcentre.api.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_context"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # Daphne's own access line repeats ours with the full path; ours names only the route.
        "django.channels.server": {"level": "WARNING"},
    },
}

# The citizen portal: the work queue a callback asked for in "Mijn omgeving" lands in, and how many
# "did this help?" answers one client address may send per hour (more are refused, nothing stored).
PORTAL_CALLBACK_QUEUE = os.environ.get("PORTAL_CALLBACK_QUEUE", "kcc-terugbellen")
PAGE_FEEDBACK_PER_HOUR = int(os.environ.get("PAGE_FEEDBACK_PER_HOUR", "20"))
