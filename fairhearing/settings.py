"""Settings, read from the environment.

Every value has a safe development default so that clone, install, run just works on SQLite;
production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL. Bad values fail loudly.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("FAIRHEARING_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves its API docs' assets locally, never from a CDN
    # Before django_tasks_db: its `db_worker` command (leases, retries, schedules) wins.
    "fairhearing.worker",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    # Only for accounts' migration 0005, which moved its devices (clear-text keys) into
    # accounts.AuthenticatorApp (keys encrypted); its table stays empty.
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "fairhearing.core",
    "fairhearing.ledger",
    "fairhearing.accounts",
    "fairhearing.organisations",
    "fairhearing.people",
    "fairhearing.deadlines",
    "fairhearing.cases",
    "fairhearing.notes",
    "fairhearing.intake",
    "fairhearing.oversight",
    "fairhearing.interests",
    "fairhearing.panels",
    "fairhearing.portal",
    "fairhearing.api",
    "fairhearing.notifications",
    "fairhearing.webhooks",
    "fairhearing.witnesses",
    "fairhearing.reporting",
    "fairhearing.audits",
    "fairhearing.compliance",
    "fairhearing.surveys",
    "fairhearing.caselist",
    "fairhearing.evidence",
    "fairhearing.linking",
    "fairhearing.dossiers",
    "fairhearing.dataprotection",
    "fairhearing.workflow",
    "fairhearing.operations",
    # The top edge: demo data and the benchmark generator (`load_demo`, `bench`).
    "fairhearing.demo",
]

MIDDLEWARE = [
    # First: every other middleware's log lines carry the request's id, and the time and
    # answer of every request are counted (docs/operations.md).
    "fairhearing.core.middleware.RequestIdMiddleware",
    "fairhearing.operations.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "fairhearing.core.middleware.ContentSecurityPolicyMiddleware",
    "fairhearing.core.middleware.NulMiddleware",
    "fairhearing.core.errors.NotFoundMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "fairhearing.accounts.middleware.SessionExpiryMiddleware",
    "fairhearing.accounts.middleware.SecondFactorMiddleware",
    "fairhearing.oversight.middleware.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "fairhearing.urls"
WSGI_APPLICATION = "fairhearing.wsgi.application"

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
            ],
        },
    },
]

# Database: SQLite in ./var by default (WAL, IMMEDIATE transactions so that writers, and so
# ledger appends, are serialised); PostgreSQL when DATABASE_URL says so.
VAR_DIR.mkdir(parents=True, exist_ok=True)
_default_db = f"sqlite:///{VAR_DIR / 'fairhearing.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    # No JIT compilation: our heaviest statements (a history's statistics) run for about a
    # second, and compiling them took two thirds of that (docs/performance.md); the rest are
    # short look-ups by index, which JIT never helps.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL")

# Read replica (optional): a PostgreSQL streaming standby of DATABASE_URL. Only the statistics
# and meeting-pack figures read from it, inside `core.routers.replica_reads()`; every write and
# every other read goes to default (replicas lag; see docs/architecture.md, "Read replica").
# For tests it is a mirror of default: no test database is made for it, and on a real standby
# it connects to the test database that replication brings from the primary.
READ_REPLICA: str | None = None
if os.environ.get("READ_REPLICA_URL"):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("READ_REPLICA_URL needs DATABASE_URL to be PostgreSQL too")
    DATABASES["replica"] = dj_database_url.parse(os.environ["READ_REPLICA_URL"])
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("READ_REPLICA_URL must point at PostgreSQL, like DATABASE_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    READ_REPLICA = "replica"
DATABASE_ROUTERS = ["fairhearing.core.routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"  # each role lands where its work is
LOGOUT_REDIRECT_URL = "intake:start"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# The public pages speak English and Welsh (issue 25, item 4): chosen with the switch in the
# header (a cookie), or from the browser's Accept-Language; staff pages are translatable but
# not yet translated. Catalogues in fairhearing/locale/, compiled by `make messages`.
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS: list[Path] = []
_dist = BASE_DIR / "static" / "dist"
if _dist.exists():
    STATICFILES_DIRS.append(_dist.parent)
WHITENOISE_USE_FINDERS = True

# Sessions end when the browser closes, after 8 hours in all and after 30 minutes idle (the
# last two enforced by accounts.middleware.SessionExpiryMiddleware, see docs/security.md).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_IDLE_TIMEOUT = 60 * 30
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Two factors for every user account (TOTP, with one-time recovery codes). Wrong codes are
# counted with wrong passwords (accounts.services), so django-otp's own per-device delay is off.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Fairhearing")
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
RECENT_AUTH_MAX_AGE = 60 * 15
# Single sign-on for staff through the organisation's OpenID Connect provider (docs/sso.md):
# off unless an issuer and a client id are set. mozilla-django-oidc does the protocol
# (authorisation code with PKCE, state, nonce); accounts.sso checks the ID token's signature
# (RS256 against the provider's JWKS), issuer, audience and expiry, and maps the provider's
# user onto an existing account: it never creates users or roles.
OIDC_ISSUER = os.environ.get("FAIRHEARING_OIDC_ISSUER", "").strip()
OIDC_RP_CLIENT_ID = os.environ.get("FAIRHEARING_OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("FAIRHEARING_OIDC_CLIENT_SECRET", "")
SSO_ENABLED = bool(OIDC_ISSUER and OIDC_RP_CLIENT_ID)
# The name on the sign-in page's button: "Sign in with <name>".
SSO_PROVIDER_NAME = os.environ.get("FAIRHEARING_OIDC_PROVIDER_NAME", "").strip() or "single sign-on"
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("FAIRHEARING_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("FAIRHEARING_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("FAIRHEARING_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("FAIRHEARING_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("FAIRHEARING_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("FAIRHEARING_OIDC_SCOPES", "openid email")
# A provider's `acr` values that mean it asked for a second factor (e.g. Keycloak's level
# of assurance "2"): comma-separated, none by default. `amr` is read as RFC 8176 says.
SSO_TRUSTED_ACR = env_list("FAIRHEARING_OIDC_TRUSTED_ACR", "")
# The claim that says the provider has checked the email address (the boolean true): only
# then is an account matched by it at a first sign-in. Entra ID: "xms_edov" (docs/sso.md).
SSO_EMAIL_VERIFIED_CLAIM = (
    os.environ.get("FAIRHEARING_OIDC_EMAIL_VERIFIED_CLAIM", "").strip() or "email_verified"
)
# Seconds of clock difference allowed when checking the ID token's exp, iat and nbf.
SSO_LEEWAY = 60
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
OIDC_STORE_ID_TOKEN = False
OIDC_STORE_ACCESS_TOKEN = False
if SSO_ENABLED:
    _missing = [
        name
        for name, value in {
            "FAIRHEARING_OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
            "FAIRHEARING_OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
            "FAIRHEARING_OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
            "FAIRHEARING_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
        }.items()
        if not value
    ]
    if _missing:
        raise ImproperlyConfigured(f"Single sign-on needs {', '.join(_missing)} as well")
    if OIDC_RP_SIGN_ALGO not in {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}:
        raise ImproperlyConfigured("FAIRHEARING_OIDC_SIGN_ALGO must be an RS or ES algorithm")
    if "openid" not in OIDC_RP_SCOPES.split():
        raise ImproperlyConfigured("FAIRHEARING_OIDC_SCOPES must include openid")
# The password backend, and the provider's, which answers only its own callback and nothing
# while single sign-on is off (accounts.sso).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "fairhearing.accounts.sso.ProviderBackend",
]
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # Production (DEBUG=0): HTTPS only. `fairhearing check --deploy` is clean under these
    # (accounts/tests/test_deploy_check.py).
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Allows (does not itself make) submission to the browsers' HSTS preload list.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer's or orchestrator's probes often come in plain HTTP, straight to the
    # process: they read no secret and carry none (the metrics' token does: not exempt).
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/|$)", r"^readyz$"]

# Mail: the demo writes messages to files in var/mail; production sets EMAIL_BACKEND=smtp.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "complaints@fairhearing.invalid")

# Independent witnesses of the ledger's signed heads (docs/security.md): each new head goes to
# every one, by email (an address, through EMAIL_BACKEND) or POSTed as JSON (an http(s) URL,
# signed like a webhook with LEDGER_WITNESS_SECRET when it is set). Comma-separated.
LEDGER_WITNESSES = env_list("LEDGER_WITNESSES", "")
LEDGER_WITNESS_SECRET = os.environ.get("LEDGER_WITNESS_SECRET", "")
for _witness in LEDGER_WITNESSES:
    _url = _witness.startswith(("https://", "http://"))
    if not _url and (_witness.count("@") != 1 or " " in _witness or "." not in _witness):
        raise ImproperlyConfigured(
            f"LEDGER_WITNESSES: {_witness!r} is neither an email address nor an http(s) URL"
        )

# Background work: db_worker processes (one or more), same database, no broker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from None
    if not value > 0:
        raise ImproperlyConfigured(f"{name} must be more than 0, not {raw!r}")
    return value


# A running task is leased to its worker for this long, renewed six times a lease; a task
# whose worker stopped renewing is taken up again, up to WORKER_MAX_ATTEMPTS claims in all.
WORKER_LEASE_SECONDS = env_number("FAIRHEARING_WORKER_LEASE_SECONDS", 60)
WORKER_MAX_ATTEMPTS = int(env_number("FAIRHEARING_WORKER_MAX_ATTEMPTS", 3))
# Recurring jobs: name -> (task, seconds between runs). Enqueued by the workers themselves.
WORKER_SCHEDULES = {
    "deadline-sweep": (
        "fairhearing.deadlines.tasks.deadline_sweep_task",
        env_number("FAIRHEARING_SWEEP_SECONDS", 300),
    ),
}

# Logs (docs/operations.md): plain text by default, one JSON object a line with
# FAIRHEARING_LOG_FORMAT=json. Every line carries its request's id (`request_id`, "-" outside
# a request), and none a path (core/logs.py). Django's own loggers go to the same handler.
# LOG_LEVEL=INFO adds a line per request ("fairhearing.requests": method, route, status, time).
LOG_FORMAT = os.environ.get("FAIRHEARING_LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"FAIRHEARING_LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL must be a logging level name, not {LOG_LEVEL!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "fairhearing.core.logs.RequestContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message", "request_id"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    # Django's default configuration gives "django" a console handler of its own (under DEBUG),
    # which would print its lines a second time, path and all: here it only propagates.
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# Metrics for Prometheus at /metrics (docs/operations.md). Only a configured scraper reads
# them: with neither setting the page does not exist (404). FAIRHEARING_METRICS_TOKEN: the
# bearer token the scraper sends (at least 32 characters). FAIRHEARING_METRICS_ALLOWED_IPS:
# comma-separated addresses or networks (CIDR) the scrape may come from. With both, both hold.
METRICS_TOKEN = os.environ.get("FAIRHEARING_METRICS_TOKEN", "").strip()
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("FAIRHEARING_METRICS_TOKEN must be at least 32 characters")
try:
    METRICS_ALLOWED_NETWORKS = [
        ipaddress.ip_network(item, strict=False)
        for item in env_list("FAIRHEARING_METRICS_ALLOWED_IPS", "")
    ]
except ValueError as bad:
    raise ImproperlyConfigured(f"FAIRHEARING_METRICS_ALLOWED_IPS: {bad}") from None
# The counts read from the database at each scrape stop at this many (a gauge at the cap
# means "at least"): a scrape costs the same at a thousand cases and at a million.
METRICS_COUNT_CAP = 10_000

# Field encryption (core/crypto.py, docs/security.md "Encryption at rest"). FIELD_ENCRYPTION_KEYS
# is a list of Fernet keys, the first current: from the environment (comma-separated) or from
# the key file, one key a line. FIELD_HASH_KEY (hex) keys the lookup hashes. Development, the
# demo and tests make the files in var/ when absent; production (DEBUG=0) must provide them.
FIELD_ENCRYPTION_KEYS_FILE = Path(
    os.environ.get("FIELD_ENCRYPTION_KEYS_FILE", VAR_DIR / "field-encryption.keys")
)
FIELD_HASH_KEY_FILE = Path(os.environ.get("FIELD_HASH_KEY_FILE", VAR_DIR / "field-hash.key"))
# The Ed25519 key that signs the ledger's tree heads: every web and worker process must read
# the same one (made in var/ when absent), and `ledger verify` refuses heads signed by another.
LEDGER_SIGNING_KEY_FILE = Path(
    os.environ.get("LEDGER_SIGNING_KEY_FILE", VAR_DIR / "ledger-signing.key")
)


def _read_keys() -> tuple[list[str], str]:
    import secrets

    from cryptography.fernet import Fernet

    keys = env_list("FIELD_ENCRYPTION_KEYS", "")
    hash_key = os.environ.get("FIELD_HASH_KEY", "").strip()
    if not keys and not FIELD_ENCRYPTION_KEYS_FILE.exists() and DEBUG:
        FIELD_ENCRYPTION_KEYS_FILE.write_text(Fernet.generate_key().decode() + "\n")
        FIELD_ENCRYPTION_KEYS_FILE.chmod(0o600)
    if not hash_key and not FIELD_HASH_KEY_FILE.exists() and DEBUG:
        FIELD_HASH_KEY_FILE.write_text(secrets.token_hex(32) + "\n")
        FIELD_HASH_KEY_FILE.chmod(0o600)
    if not keys and FIELD_ENCRYPTION_KEYS_FILE.exists():
        keys = [k.strip() for k in FIELD_ENCRYPTION_KEYS_FILE.read_text().split() if k.strip()]
    if not hash_key and FIELD_HASH_KEY_FILE.exists():
        hash_key = FIELD_HASH_KEY_FILE.read_text().strip()
    if not keys or not hash_key:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEY (or their key files) must be set when "
            "DEBUG is off"
        )
    for key in keys:
        Fernet(key)  # a malformed key fails here, at start-up
    if len(bytes.fromhex(hash_key)) < 32:
        raise ImproperlyConfigured("FIELD_HASH_KEY must be at least 32 bytes of hex")
    return keys, hash_key


FIELD_ENCRYPTION_KEYS, FIELD_HASH_KEY = _read_keys()

# Evidence files: outside the web root, each stored once under its SHA-256 (evidence/storage.py).
EVIDENCE_ROOT = Path(os.environ.get("FAIRHEARING_EVIDENCE_ROOT", VAR_DIR / "evidence"))
# Files attached to a complaint not yet sent (the person is checking their answers): kept
# here, outside the web root, until it is sent or for a day (intake/staging.py).
UPLOAD_STAGING_ROOT = Path(os.environ.get("FAIRHEARING_STAGING_ROOT", VAR_DIR / "staged"))
EVIDENCE_MAX_BYTES = int(os.environ.get("FAIRHEARING_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
# Evidence captured from a link (evidence/capture.py): headless Chromium in the worker, bounded
# in time and bytes. Private, loopback and link-local addresses are refused; the test and demo
# fixture servers are let through only by naming them here as host:port (comma-separated),
# e.g. FAIRHEARING_CAPTURE_ALLOW_PRIVATE=127.0.0.1:8000. Never in production.
CAPTURE_CHROMIUM = os.environ.get("FAIRHEARING_CHROMIUM", "/usr/bin/chromium")
CAPTURE_TIMEOUT_SECONDS = float(os.environ.get("FAIRHEARING_CAPTURE_TIMEOUT_SECONDS", 30))
CAPTURE_MAX_BYTES = int(os.environ.get("FAIRHEARING_CAPTURE_MAX_BYTES", 25 * 1024 * 1024))
CAPTURE_ALLOW_PRIVATE = env_list("FAIRHEARING_CAPTURE_ALLOW_PRIVATE", "")
if CAPTURE_ALLOW_PRIVATE and not DEBUG:
    raise ImproperlyConfigured(
        "FAIRHEARING_CAPTURE_ALLOW_PRIVATE lets captures reach private addresses: for tests and "
        "the demo (DEBUG) only"
    )
