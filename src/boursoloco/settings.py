"""Settings for BoursOloco, read from the environment with safe development defaults."""

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "dev-only-secret-key-do-not-use-in-production" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

# Towns answer at <slug>.<BASE_DOMAIN>; the national site at BASE_DOMAIN itself.
BASE_DOMAIN = env("BASE_DOMAIN", "localhost").lower().strip(".")
if not BASE_DOMAIN or "/" in BASE_DOMAIN or ":" in BASE_DOMAIN:
    raise ImproperlyConfigured(f"BASE_DOMAIN must be a bare host name, got {BASE_DOMAIN!r}")
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}"] + (["testserver"] if DEBUG else [])
SITE_SCHEME = env("SITE_SCHEME", "http" if DEBUG else "https")
SITE_PORT = env("SITE_PORT", "8000" if DEBUG else "")

# Apps --------------------------------------------------------------------------------
# The folder decides the schema: shared_apps/ are public, tenant_apps/ are per town
# (tests/test_layout.py proves it).
SHARED_APPS = [
    "tenants",  # first: its migrate_schemas overrides django_tenants' one
    "django_tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "widget_tweaks",
    "dsfr",
    "django_rq",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "shared_apps.accounts",
    "shared_apps.national",
    "shared_apps.partners",
    "shared_apps.referential",
    "shared_apps.onboarding",
    "shared_apps.billing",
    "shared_apps.proconnect",
    "shared_apps.api",
    # django-ninja: its templates and bundled Swagger UI (the API docs, served by the app).
    "ninja",
]
TENANT_APPS = [
    "tenant_apps.townsite",
    "tenant_apps.premises",
    "tenant_apps.demands",
    "tenant_apps.backoffice",
    "tenant_apps.mailing",
    "tenant_apps.kit",
    "tenant_apps.impact",
    "tenant_apps.network",
    "tenant_apps.proposals",
    "tenant_apps.applicant_alerts",
    "tenant_apps.exchanges",
    "tenant_apps.tasks",
    "tenant_apps.installations",
    "tenant_apps.notifications",
    "tenant_apps.correspondence",
    "tenant_apps.calls",
    "tenant_apps.jury",
    "tenant_apps.trials",
    "tenant_apps.webhooks",
    "tenant_apps.portability",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

PUBLIC_SCHEMA_NAME = "public"
TENANT_MODEL = "tenants.Territory"
TENANT_DOMAIN_MODEL = "tenants.Domain"
TENANT_LIMIT_SET_CALLS = True
PUBLIC_SCHEMA_URLCONF = "boursoloco.urls_public"
ROOT_URLCONF = "boursoloco.urls_tenants"
# Migrations of many towns run in parallel processes (see tenants' migrate_schemas).
TENANT_MULTIPROCESSING_MAX_PROCESSES = env_int("MIGRATION_PROCESSES", os.cpu_count() or 2)
# Where the migrated template of a town's schema lives (see tenants/provisioning.py).
TENANT_TEMPLATE_SCHEMA = "tpl_boursoloco"

MIDDLEWARE = [
    # First: every answer under /api/ is JSON (shared_apps/api/problems.py).
    "shared_apps.api.problems.ApiMiddleware",
    "tenants.middleware.HealthzMiddleware",
    "tenants.middleware.TerritoryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shared_apps.accounts.middleware.SessionTerritoryMiddleware",
    "shared_apps.onboarding.middleware.UnverifiedTownMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.territory",
            ],
        },
    },
]

WSGI_APPLICATION = "boursoloco.wsgi.application"

# Database ----------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/boursoloco")


# Seconds a process keeps its database connection between requests (0: one per request,
# as the e2e servers do: runserver's threads would each hold one).
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60)


def database_config(url):
    """dj-database-url's reading of `url`, and libpq's multi-host form it cannot parse:
    postgres://user@db-1:5432,db-2:5432/boursoloco?target_session_attrs=read-write names
    the primary and its standby; libpq connects to whichever accepts writes, so a failover
    needs no change here (deploy/README.md, "A database that fails over")."""
    scheme, _, rest = url.partition("://")
    credentials, at, location = rest.rpartition("@")
    hosts, slash, tail = location.partition("/")
    if "," not in hosts:
        return dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE)
    names, ports = [], []
    for host in hosts.split(","):
        # db-1:5432, db-1 (port 5432), or an IPv6 address in brackets: [::1]:5432
        if host.startswith("["):
            name, _, port = host[1:].partition("]")
            port = port.removeprefix(":")
        else:
            name, _, port = host.partition(":")
        if not name or (port and not port.isdigit()):
            raise ImproperlyConfigured(f"DATABASE_URL: bad host:port {host!r} in its host list")
        names.append(name)
        ports.append(port or "5432")
    config = dj_database_url.parse(f"{scheme}://{credentials}{at}multi-host{slash}{tail}")
    config.update(HOST=",".join(names), PORT=",".join(ports), CONN_MAX_AGE=CONN_MAX_AGE)
    return config


DATABASES = {"default": database_config(DATABASE_URL)}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://...)")
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: cache, queues, rate limits ---------------------------------------------------
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
# Redis under Sentinel: the sentinels' addresses ("host:port,host:port,...") and the name
# of the master they watch. The app asks them where the master is, at start and after a
# failover; REDIS_URL then only gives the database number and the password.
REDIS_SENTINEL_MASTER = env("REDIS_SENTINEL_MASTER", "boursoloco")


def sentinel_addresses(value):
    addresses = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit():
            raise ImproperlyConfigured(f"REDIS_SENTINELS: expected host:port, got {item!r}")
        addresses.append((host, int(port)))
    return addresses


REDIS_SENTINELS = sentinel_addresses(env("REDIS_SENTINELS", ""))
_REDIS_TIMEOUTS = {"socket_connect_timeout": 1, "socket_timeout": 2}
CACHES = {
    "default": {
        "BACKEND": "tenants.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        # Every key is prefixed with the current town's schema.
        "KEY_FUNCTION": "tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "tenants.cache.reverse_key",
        "OPTIONS": _REDIS_TIMEOUTS,
    },
    # Rendered fragments that only depend on what their key names (the inbox's filter
    # and bulk fields for a team and its areas): in each process, no round trip.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "tenants.cache.make_key",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
RQ_QUEUES = {
    name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}
    for name in ("default", "emails", "scheduled", "webhooks")
}
if REDIS_SENTINELS:
    from redis.connection import parse_url

    _redis = parse_url(REDIS_URL)
    CACHES["default"]["OPTIONS"] = {
        **_REDIS_TIMEOUTS,
        "sentinels": REDIS_SENTINELS,
        "master_name": REDIS_SENTINEL_MASTER,
        "db": _redis.get("db", 0),
        "password": _redis.get("password"),
    }
    for _queue in RQ_QUEUES.values():
        del _queue["URL"]
        # No SOCKET_TIMEOUT: a worker's blocking wait for jobs outlasts any short one.
        _queue.update(
            SENTINELS=REDIS_SENTINELS,
            MASTER_NAME=REDIS_SENTINEL_MASTER,
            DB=_redis.get("db", 0),
            PASSWORD=_redis.get("password"),
            CONNECTION_KWARGS={"socket_connect_timeout": 1},
            SENTINEL_KWARGS={"socket_timeout": 1, "socket_connect_timeout": 1},
        )
# Enqueue at once: tenants.jobs.enqueue_for_town already waits for the commit itself.
RQ = {"COMMIT_MODE": "auto"}
# A worker whose heartbeat is older than this is reported down by /healthz.
WORKER_HEARTBEAT_MAX_AGE = env_int("WORKER_HEARTBEAT_MAX_AGE", 120)

# Sessions and accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# allauth's backend alone: it finds accounts by email in any case, and hashes the typed
# password once whatever happens. With Django's ModelBackend before it, a wrong password
# or an unknown address was hashed twice (about 0.25 s each, PBKDF2's default cost).
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_BACKEND = AUTHENTICATION_BACKENDS[0]
# No SESSION_COOKIE_DOMAIN: each town's session cookie stays on its own host.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# A refused form gets a French page in the site's layout, not Django's English one.
CSRF_FAILURE_VIEW = "tenants.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "shared_apps.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Every code sent by email has one shape, six digits, whoever receives it: staff and
# partners signing in (allauth), a town's onboarding and a partner's registration
# (shared_apps.accounts.verification).
ACCOUNT_LOGIN_BY_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_FORMS = {"confirm_login_code": "shared_apps.accounts.forms.ConfirmLoginCodeForm"}
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "BoursOloco"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ProConnect, the State's identity federation for public agents and professionals
# (shared_apps/proconnect): off — no button — unless its issuer is set, and then its
# client too. In development `make run` points it at a local stand-in (bin/run).
PROCONNECT_ISSUER = env("PROCONNECT_ISSUER", "").strip().rstrip("/")
PROCONNECT_CLIENT_ID = env("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = env("PROCONNECT_CLIENT_SECRET", "")
if PROCONNECT_ISSUER and not (PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "PROCONNECT_ISSUER is set: PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET must be too"
    )
if PROCONNECT_ISSUER and not PROCONNECT_ISSUER.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"PROCONNECT_ISSUER must be a URL, got {PROCONNECT_ISSUER!r}")
SOCIALACCOUNT_ADAPTER = "shared_apps.proconnect.adapter.SocialAccountAdapter"
# An existing account whose address ProConnect vouches for is linked to its identity.
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
# Seconds to wait for each answer of ProConnect (discovery, keys, token, userinfo).
SOCIALACCOUNT_REQUESTS_TIMEOUT = 5

# Behind the production proxy, the visitor's address is the last X-Forwarded-For entry.
USE_X_FORWARDED_FOR = env_bool("USE_X_FORWARDED_FOR", not DEBUG)

# allauth's own rate limits must see the visitor's address too, not nginx's.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if USE_X_FORWARDED_FOR else 0

# The porteur's journey ---------------------------------------------------------------
# How long a follow-up link works (every email to the porteur carries a fresh one).
FOLLOWUP_LINK_DAYS = env_int("FOLLOWUP_LINK_DAYS", 90)
# Demands one address (IP) may submit per hour to one town.
DEMAND_SUBMISSIONS_PER_HOUR = env_int("DEMAND_SUBMISSIONS_PER_HOUR", 5)
# New follow-up links one address (IP) may request per hour, and one porteur may receive.
FOLLOWUP_LINK_REQUESTS_PER_HOUR = env_int("FOLLOWUP_LINK_REQUESTS_PER_HOUR", 5)
FOLLOWUP_LINKS_PER_RECIPIENT_PER_HOUR = env_int("FOLLOWUP_LINKS_PER_RECIPIENT_PER_HOUR", 3)

# Towns' onboarding ------------------------------------------------------------------
# An unverified claim on a town expires after CLAIM_DAYS; its claimant is warned
# CLAIM_WARNING_DAYS before.
CLAIM_DAYS = env_int("CLAIM_DAYS", 30)
CLAIM_WARNING_DAYS = env_int("CLAIM_WARNING_DAYS", 7)

# Partners ----------------------------------------------------------------------------
# The public SIRET look-up ("Recherche d'entreprises", shared_apps/referential/entreprises):
# it pre-fills a partner's registration and an installed business, and checks each month
# that the businesses are still open. At most ENTREPRISES_API_RATE requests a second, as
# the API asks.
ENTREPRISES_API_URL = env("ENTREPRISES_API_URL", "https://recherche-entreprises.api.gouv.fr/search")
ENTREPRISES_API_TIMEOUT = env_int("ENTREPRISES_API_TIMEOUT", 3)
ENTREPRISES_API_RATE = env_int("ENTREPRISES_API_RATE", 7)
if ENTREPRISES_API_RATE < 1:
    raise ImproperlyConfigured("ENTREPRISES_API_RATE must be at least 1 (requests a second)")
# How long the one-click answers and unsubscribe links of an alert work.
ALERT_LINK_DAYS = env_int("ALERT_LINK_DAYS", 60)
# Benchmarks only (bench/load.py): mounts /banc/plancher/, a one-insert view the demand
# form's throughput is compared with. Never set in production.
BENCH_FLOOR_VIEW = env_bool("BENCH_FLOOR_VIEW", False)

# Webhooks (tenant_apps/webhooks) -----------------------------------------------------
# Seconds to wait for an integrator's endpoint to answer one delivery.
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 5)
# Endpoints on this machine (http://localhost, 127.0.0.1) are accepted in development and
# tests only; every other private or internal address is always refused (SSRF).
WEBHOOK_ALLOW_LOCALHOST = env_bool("WEBHOOK_ALLOW_LOCALHOST", DEBUG)
if WEBHOOK_ALLOW_LOCALHOST and not DEBUG:
    raise ImproperlyConfigured("WEBHOOK_ALLOW_LOCALHOST is for development only (DEBUG on)")
# The API (shared_apps/api): requests one token may make per minute (Redis).
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 600)
# How often a token's count of calls and last use are written to its row (seconds; the
# calls in between wait in Redis, and the token pages add them).
API_USAGE_WRITE_SECONDS = env_int("API_USAGE_WRITE_SECONDS", 5)

# Email -------------------------------------------------------------------------------
EMAIL_URL = env("EMAIL_URL", "console://" if DEBUG else "")


def _email_settings(url):
    if url.startswith("console://"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url.startswith("file://"):
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": url.removeprefix("file://"),
        }
    if url.startswith(("smtp://", "smtps://")):
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(url)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": parts.scheme == "smtp" and "tls=1" in parts.query,
            "EMAIL_TIMEOUT": 10,
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL must start with console://, file:// or smtp(s)://, got {url!r}"
    )


globals().update(_email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", f"BoursOloco <ne-pas-repondre@{BASE_DOMAIN}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Replies to the emails written from a demand come back to reponse+<token>@ this domain,
# which the mail server hands to `manage.py receive_mail` (or a Maildir `read_maildir`
# reads): see deploy/README.md.
INBOUND_EMAIL_DOMAIN = env("INBOUND_EMAIL_DOMAIN", f"reponse.{BASE_DOMAIN}").lower().strip(".")
if not INBOUND_EMAIL_DOMAIN or "@" in INBOUND_EMAIL_DOMAIN or "/" in INBOUND_EMAIL_DOMAIN:
    raise ImproperlyConfigured(
        f"INBOUND_EMAIL_DOMAIN must be a bare domain name, got {INBOUND_EMAIL_DOMAIN!r}"
    )

# Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Static and uploaded files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Leaflet, installed by `make install` (npm ci), served by the app itself.
    ("leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Each town's uploads go under MEDIA_ROOT/<schema>/.
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Files only the town's staff may download (exports): never under MEDIA_ROOT, which the
# web server publishes, but served by Django after a permission check.
PRIVATE_ROOT = Path(env("PRIVATE_ROOT", str(BASE_DIR / "var" / "private")))
# Days between closing a town and deleting its schema (its data can be exported meanwhile).
CLOSED_TOWN_GRACE_DAYS = env_int("CLOSED_TOWN_GRACE_DAYS", 30)
# Exports of up to this many demands are built at once; larger ones by a job.
EXPORT_INLINE_MAX_ROWS = env_int("EXPORT_INLINE_MAX_ROWS", 2000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Base Adresse Nationale geocoder, for premises addresses (empty: no geocoding, premises
# are placed by hand; tests/conftest.py empties it: no test reaches the internet).
GEOCODER_URL = env("GEOCODER_URL", "https://api-adresse.data.gouv.fr/search/")
GEOCODER_TIMEOUT = float(env("GEOCODER_TIMEOUT", "3"))
# Map background tiles (optional: the premises map works without them).
MAP_TILES_URL = env("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security ----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only our own scripts and styles (DSFR is served
# from static files); the one inline style, the town's accent colour, carries the
# request's nonce. Forms may post to the towns' hosts: the onboarding's last step
# redirects to the new town's site. Nothing may frame a page, except the forms a town
# declared embeddable (tenant_apps.townsite.embedding replaces frame-ancestors).
_TOWN_HOSTS = f"{SITE_SCHEME}://*.{BASE_DOMAIN}" + (f":{SITE_PORT}" if SITE_PORT else "")
# The premises map's background tiles come from MAP_TILES_URL's server.
_MAP_TILES_ORIGIN = "/".join(MAP_TILES_URL.split("/")[:3]) if "://" in MAP_TILES_URL else ""
# The sign-in and sign-out forms redirect to ProConnect (form-action covers redirects).
_PROCONNECT_ORIGIN = "/".join(PROCONNECT_ISSUER.split("/")[:3])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:", *filter(None, [_MAP_TILES_ORIGIN])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", _TOWN_HOSTS, *filter(None, [_PROCONNECT_ORIGIN])],
        "frame-ancestors": ["'none'"],
    }
}
# Cookies stay SameSite=Lax (Django's default) everywhere: the form a town embeds in its
# own website needs none (tenant_apps/demands/views/form.py says why).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Logging: one JSON object per line, naming the town --------------------------------
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"territory": {"()": "tenants.logging.TerritoryFilter"}},
    "formatters": {"json": {"()": "tenants.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["territory"],
            "formatter": "json",
            "stream": sys.stderr,
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "rq.worker": {"level": LOG_LEVEL},
    },
}

# Sentry: on when SENTRY_DSN is set; events carry the town as a tag -------------------
SENTRY_DSN = env("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.rq import RqIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), RqIntegration()],
        environment=env("SENTRY_ENVIRONMENT", "development" if DEBUG else "production"),
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )
