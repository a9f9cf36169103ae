"""Every setting of Công Sở, read from environment variables in this one place.

Development needs no variable at all: SQLite under ``var/``, a generated secret key, a broker-less
Celery (kombu's filesystem transport) and mail written to ``var/mail``. Production sets
``CONGSO_ENV=production`` and at least ``CONGSO_SECRET_KEY``, ``CONGSO_AUDIT_KEY``, ``DATABASE_URL``,
``CONGSO_ALLOWED_HOSTS``, ``CONGSO_PUBLIC_URL``, ``CELERY_BROKER_URL`` and the mail settings;
``congso.core.checks`` refuses to start without them. Code reads settings only as
``settings.NAME`` of a name declared here (``core/tests/test_declared_settings.py``).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int_map(name: str, default: str = "") -> dict[str, int]:
    """``key=number,key=number`` → ``{"key": number}``."""
    pairs = (item.partition("=") for item in env_list(name, default))
    return {key.strip(): int(value) for key, _sep, value in pairs}


PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env("CONGSO_VAR_DIR", str(BASE_DIR / "var")))
# Each pytest-xdist worker keeps its own files (test database, mail, SMS sink, media, broker
# folders), so tests running in parallel never read each other's output. A process given its
# own CONGSO_VAR_DIR (a worker a test starts) uses exactly that folder.
if env("PYTEST_XDIST_WORKER") and not env("CONGSO_VAR_DIR"):
    VAR_DIR = VAR_DIR / "xdist" / env("PYTEST_XDIST_WORKER")
VAR_DIR.mkdir(parents=True, exist_ok=True)

# production, development or test. Empty is development, except that a PostgreSQL DATABASE_URL
# without it is refused (congso.E001): a real deployment that forgot the switch would otherwise
# run with demo accounts, development secrets and insecure cookies.
ENVIRONMENT = env("CONGSO_ENV")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("CONGSO_DEBUG", False)
DEMO_MODE = env_bool("CONGSO_DEMO", not PRODUCTION)
DEMO_PASSWORD = env("CONGSO_DEMO_PASSWORD", "congso-demo")


def _secret(name: str, filename: str) -> str:
    """A real secret in production; in development one generated once and kept under var/."""
    key = env(name)
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError(f"{name} must be set when CONGSO_ENV=production")
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret("CONGSO_SECRET_KEY", "secret_key")
ALLOWED_HOSTS = env_list("CONGSO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CONGSO_CSRF_TRUSTED_ORIGINS")
PUBLIC_URL = env("CONGSO_PUBLIC_URL", "" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "congso.core",
    "congso.org",
    "congso.accounts",
    "congso.worktime",
    "congso.catalog",
    "congso.notify",
    "congso.onestop",
    "congso.signing",
    "congso.meetings",
    "congso.documents",
    "congso.payments",
    "congso.portal",
    "congso.feedback",
    "congso.skills",
    "congso.ict",
    "congso.dashboard",
    "congso.inbox",
    "congso.api",
    "congso.demo",
    "congso.ops",
]

MIDDLEWARE = [
    "congso.ops.middleware.OperationsMiddleware",  # request id, latency, /healthz, /readyz
    "django.middleware.security.SecurityMiddleware",
    "congso.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congso.core.middleware.LanguageMiddleware",
    "congso.core.middleware.NullCharacterMiddleware",  # after it: the refusal in the user's language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "congso.core.middleware.MessageMiddleware",  # Django's, its storage made only when used
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "congso.core.middleware.RequestContextMiddleware",
    "congso.core.middleware.RefusalAuditMiddleware",
    "congso.accounts.middleware.SecondFactorMiddleware",
]

ROOT_URLCONF = "congso.urls"
WSGI_APPLICATION = "congso.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "congso.core.context_processors.platform",
                "congso.inbox.context_processors.inbox",
                "congso.notify.context_processors.bell",
            ],
            "builtins": ["congso.core.templatetags.vn"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'congso.sqlite3'}"),
        conn_max_age=int(env("CONGSO_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short queries whose cost the planner overestimates (an OR with a sub-select) would pay
    # ~200 ms of JIT compilation to save microseconds; this workload never gains from JIT.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env(
        "CONGSO_PG_OPTIONS", "-c jit=off"
    )
    # Prepared statements for the reads by a key (``core.prepared``, ``by_key``): the values sent
    # apart from the SQL (server-side binding), so such a read is parsed and planned once per
    # connection. Off for a pooler that cannot carry them (PgBouncer in transaction mode before
    # 1.21).
    if env_bool("CONGSO_DB_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {
            # Django's Redis cache that survives a Redis restart (congso/ops/cache.py).
            "BACKEND": "congso.ops.cache.RedisCache",
            "LOCATION": env("CONGSO_CACHE_URL"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
        if env("CONGSO_CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "congso_cache"}
    ),
    # This process's memory, for answers that may be a minute old on one node and need no
    # invalidation (the public lookup, ``onestop.services.public_status``): no round trip at all.
    # Tests share one process for many databases, so they keep nothing there.
    "local": (
        {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        if ENVIRONMENT == "test"
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "congso-local",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    ),
}

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["congso.accounts.backends.IdentifierBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:workspace"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "congso.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "congso.accounts.validators.CharacterClassValidator"},
]
LOGIN_MAX_FAILURES = int(env("CONGSO_LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_MINUTES = int(env("CONGSO_LOGIN_LOCKOUT_MINUTES", "15"))
TOTP_ISSUER = env("CONGSO_TOTP_ISSUER", "Công Sở")
#: Hours an API token works after it is issued (a password change ends it sooner).
API_TOKEN_HOURS = int(env("CONGSO_API_TOKEN_HOURS", "12"))
#: How long the "Việc của tôi" count in the page header may lag behind (seconds).
INBOX_COUNT_SECONDS = int(env("CONGSO_INBOX_COUNT_SECONDS", "60"))

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("CONGSO_SESSION_AGE", str(8 * 3600)))
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("CONGSO_SSL_REDIRECT", PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = int(env("CONGSO_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
# Reverse proxies (comma-separated addresses or CIDRs) whose X-Forwarded-For is believed; empty:
# none, the client address is the peer's (congso.core.middleware.client_ip).
CONGSO_TRUSTED_PROXIES = env_list("CONGSO_TRUSTED_PROXIES")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# National eID (OpenID Connect). Empty issuer → the button is hidden.
OIDC_ISSUER = env("CONGSO_OIDC_ISSUER").rstrip("/")
OIDC_CLIENT_ID = env("CONGSO_OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env("CONGSO_OIDC_CLIENT_SECRET")
OIDC_SCOPES = env("CONGSO_OIDC_SCOPES", "openid profile")
OIDC_ID_NUMBER_CLAIM = env("CONGSO_OIDC_ID_NUMBER_CLAIM", "citizen_id")
OIDC_TOKEN_AUTH_METHOD = env("CONGSO_OIDC_TOKEN_AUTH_METHOD")  # empty: what the provider offers
OIDC_TIMEOUT = float(env("CONGSO_OIDC_TIMEOUT", "10"))
OIDC_CLOCK_SKEW = int(env("CONGSO_OIDC_CLOCK_SKEW", "60"))
# integ (issue 20): the portal's SSO — claim dialect (oidc | portal) and per-field overrides
# (field=claim,...), acr_values sent and the minimum level of assurance, endpoints set by hand
# when the provider publishes no discovery document.
# The identity provider plugin (accounts/identity_providers): ``oidc`` (standard OpenID Connect)
# or ``vneid_portal`` (the national portal's single sign-on: its claim dialect).
CONGSO_IDENTITY_PROVIDER = env("CONGSO_IDENTITY_PROVIDER", "oidc")
# Empty: the identity provider's own dialect.
OIDC_CLAIM_DIALECT = env("CONGSO_OIDC_CLAIM_DIALECT")
OIDC_CLAIM_MAP = env("CONGSO_OIDC_CLAIM_MAP")
OIDC_ACR_VALUES = env("CONGSO_OIDC_ACR_VALUES")
OIDC_MIN_LEVEL = int(env("CONGSO_OIDC_MIN_LEVEL", "0"))
OIDC_AUTHORIZATION_ENDPOINT = env("CONGSO_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_TOKEN_ENDPOINT = env("CONGSO_OIDC_TOKEN_ENDPOINT")
OIDC_JWKS_URI = env("CONGSO_OIDC_JWKS_URI")
OIDC_USERINFO_ENDPOINT = env("CONGSO_OIDC_USERINFO_ENDPOINT")
# RP-initiated logout when the provider publishes no discovery document (empty: discovery's).
OIDC_END_SESSION_ENDPOINT = env("CONGSO_OIDC_END_SESSION_ENDPOINT")
# The lowest eID level of assurance with which a citizen logged in through the eID may file a
# dossier online (Decree 69/2024/ND-CP: level 2).
CONGSO_FILING_MIN_LEVEL = int(env("CONGSO_FILING_MIN_LEVEL", "2"))

# --- Language and formats -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env("CONGSO_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["congso.formats"]

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("CONGSO_MEDIA_ROOT", str(VAR_DIR / "media")))
# Files (uploads, generated PDFs, signed copies) go through Django's storage API only: a local
# or shared folder (MEDIA_ROOT), or an S3-compatible object store through django-storages
# (CONGSO_FILE_STORAGE=storages.backends.s3.S3Storage and the CONGSO_S3_* settings below).
S3_STORAGE = "storages.backends.s3.S3Storage"
CONGSO_FILE_STORAGE = env("CONGSO_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
CONGSO_S3_OPTIONS = {
    "bucket_name": env("CONGSO_S3_BUCKET"),
    "endpoint_url": env("CONGSO_S3_ENDPOINT_URL") or None,  # MinIO, Ceph, a province's cloud
    "region_name": env("CONGSO_S3_REGION") or None,
    "access_key": env("CONGSO_S3_ACCESS_KEY"),
    "secret_key": env("CONGSO_S3_SECRET_KEY"),
    "location": env("CONGSO_S3_PREFIX"),
    "default_acl": None,  # private objects: the platform hands them out after its own checks
    "querystring_auth": True,
    "querystring_expire": int(env("CONGSO_S3_URL_SECONDS", "300")),
    "file_overwrite": False,  # two nodes saving the same name keep both files
}
STORAGES = {
    "default": {
        "BACKEND": CONGSO_FILE_STORAGE,
        **({"OPTIONS": CONGSO_S3_OPTIONS} if CONGSO_FILE_STORAGE == S3_STORAGE else {}),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
UPLOAD_MAX_BYTES = int(env("CONGSO_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
UPLOAD_MAX_FILES = int(env("CONGSO_UPLOAD_MAX_FILES", "20"))
# Bounds checked before a file is parsed or decoded (core/uploads.py): pages of a PDF, pixels of
# an image (a 600 dpi A4 scan is 35 million), bytes once unpacked (PDF streams, DOCX/XLSX parts)
# and the unpacked-to-packed ratio of an archive.
UPLOAD_MAX_PAGES = int(env("CONGSO_UPLOAD_MAX_PAGES", "500"))
UPLOAD_MAX_PIXELS = int(env("CONGSO_UPLOAD_MAX_PIXELS", "50000000"))
UPLOAD_MAX_UNPACKED_BYTES = int(env("CONGSO_UPLOAD_MAX_UNPACKED_BYTES", str(100 * 1024 * 1024)))
UPLOAD_MAX_EXPANSION = int(env("CONGSO_UPLOAD_MAX_EXPANSION", "100"))
# Stored files no model refers to any more (replaced draft uploads, abandoned drafts) are deleted
# by core.tasks.delete_orphan_files once they are older than this.
ORPHAN_FILE_GRACE_HOURS = int(env("CONGSO_ORPHAN_FILE_GRACE_HOURS", "24"))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Audit log ------------------------------------------------------------------------------
# The chain is an HMAC with this key, kept outside the database: someone who can write the
# database cannot recompute it. Production must set it; development generates one under var/.
CONGSO_AUDIT_KEY = _secret("CONGSO_AUDIT_KEY", "audit_key")
# Where the daily task appends the chain's head (id, digest, time); a file outside the database,
# ideally on another machine or append-only storage. Empty: no anchor is written.
CONGSO_AUDIT_ANCHOR_FILE = env("CONGSO_AUDIT_ANCHOR_FILE")

# --- Digital signatures --------------------------------------------------------------------
CONGSO_SIGNING_PASSPHRASE = env(
    "CONGSO_SIGNING_PASSPHRASE", "" if PRODUCTION else "congso-dev-signing-passphrase"
)
# The key-encryption key of the private keys the server holds (seal, own CAs), kept in the
# database as AES-256-GCM blobs (signing.keystore); production refuses to sign without it,
# development and tests derive one from the secret key. Rotation: the previous ones here.
CONGSO_KEY_ENCRYPTION_KEY = env("CONGSO_KEY_ENCRYPTION_KEY")
CONGSO_KEY_ENCRYPTION_OLD_KEYS = env_list("CONGSO_KEY_ENCRYPTION_OLD_KEYS")
CONGSO_TSA_URL = env("CONGSO_TSA_URL")
CONGSO_HSM_PIN = env("CONGSO_HSM_PIN")
CONGSO_SIGNING_FETCH_REVOCATION = env_bool("CONGSO_SIGNING_FETCH_REVOCATION", False)
# The public signature check, per client address and per account (page and API together), and
# what one check may cost: refused before any signature is validated.
CONGSO_VERIFY_RATE = env("CONGSO_VERIFY_RATE", "30/min")
CONGSO_STAMP_FONT = env("CONGSO_STAMP_FONT")  # empty: TeX Gyre Termes
CONGSO_PKCS11_MODULES = env_list("CONGSO_PKCS11_MODULES")  # empty: SoftHSM2 only
# Signers (issue 18): where the official's local signing agent listens (the browser calls it),
# and the CA's remote-signing service (empty URL: not offered).
CONGSO_SIGNING_AGENT_URL = env("CONGSO_SIGNING_AGENT_URL", "http://127.0.0.1:8011")
CONGSO_REMOTE_SIGNING_URL = env("CONGSO_REMOTE_SIGNING_URL")
CONGSO_REMOTE_SIGNING_SP_ID = env("CONGSO_REMOTE_SIGNING_SP_ID")
CONGSO_REMOTE_SIGNING_SP_PASSWORD = env("CONGSO_REMOTE_SIGNING_SP_PASSWORD")
# B-LTA files get a new document time-stamp this many days before the last one's TSA
# certificate expires (signing.tasks.renew_archive_timestamps, daily).
CONGSO_RETIMESTAMP_MARGIN_DAYS = int(env("CONGSO_RETIMESTAMP_MARGIN_DAYS", "90"))
# Other public pages that cost CPU or send messages, per client address (and account): the
# dossier lookup (page and API together), registration with its one-time code, and catalogue
# searches with a query (page and API together).
CONGSO_LOOKUP_RATE = env("CONGSO_LOOKUP_RATE", "20/min")
CONGSO_LOGIN_RATE = env("CONGSO_LOGIN_RATE", "10/min")  # API token requests
CONGSO_REGISTER_RATE = env("CONGSO_REGISTER_RATE", "30/hour")
CONGSO_SEARCH_RATE = env("CONGSO_SEARCH_RATE", "120/min")
CONGSO_VERIFY_MAX_SIGNATURES = int(env("CONGSO_VERIFY_MAX_SIGNATURES", "10"))
CONGSO_VERIFY_MAX_PAGES = int(env("CONGSO_VERIFY_MAX_PAGES", "500"))
CONGSO_VERIFY_MAX_BYTES = int(env("CONGSO_VERIFY_MAX_BYTES", str(UPLOAD_MAX_BYTES)))
# The roots signatures are trusted under (the National Root CA, the Government CA roots): PEM
# files (or PEM bundles) separated by the path separator. Verification trusts them and the roots
# an administrator marks trusted; personal certificates are enrolled only under them. The demo
# root is trusted only in demo mode. Checked at deploy (congso.signing.E002, W001).
# CONGSO_SIGNING_TRUSTED_CAS is the older name, still read.
# Where the demo CA's certificates name its OCSP responder (AIA): the platform's own
# (/signatures/ocsp/). Empty in tests, where nothing listens at PUBLIC_URL and pdfsig would then
# refuse the chain; the tests' corpus names the sandbox CA responder (sandbox.ocsp) instead.
CONGSO_DEMO_OCSP_URL = env(
    "CONGSO_DEMO_OCSP_URL",
    "" if ENVIRONMENT == "test" or not PUBLIC_URL else f"{PUBLIC_URL}/signatures/ocsp/",
)
CONGSO_TRUST_ANCHORS = [
    p
    for p in env("CONGSO_TRUST_ANCHORS", env("CONGSO_SIGNING_TRUSTED_CAS", "")).split(os.pathsep)
    if p
]

# --- Online payment (VNPay 2.1.0 protocol; development talks to `python -m sandbox.payment`) ---
# The gateway in use, by plugin identifier (congso.payments.providers.registry).
CONGSO_PAYMENT_PROVIDER = env("CONGSO_PAYMENT_PROVIDER", "vnpay")
CONGSO_PAYMENT_URL = env(
    "CONGSO_PAYMENT_URL", "" if PRODUCTION else "http://127.0.0.1:8002/paymentv2/vpcpay.html"
)
CONGSO_PAYMENT_TMN_CODE = env("CONGSO_PAYMENT_TMN_CODE", "" if PRODUCTION else "CONGSO01")
CONGSO_PAYMENT_HASH_SECRET = env(
    "CONGSO_PAYMENT_HASH_SECRET", "" if PRODUCTION else "congso-sandbox-payment-secret"
)
# integ (issue 20): VNPay's merchant API (querydr, refund); the national payment platform.
CONGSO_PAYMENT_API_URL = env(
    "CONGSO_PAYMENT_API_URL",
    "" if PRODUCTION else "http://127.0.0.1:8002/merchant_webapi/api/transaction",
)
# VNPay's daily settlement file (payments.settlement; docs/integrations.md §1).
CONGSO_PAYMENT_SETTLEMENT_URL = env(
    "CONGSO_PAYMENT_SETTLEMENT_URL",
    "" if PRODUCTION else "http://127.0.0.1:8002/merchant_webapi/settlement",
)
CONGSO_PAYGOV_URL = env("CONGSO_PAYGOV_URL", "" if PRODUCTION else "http://127.0.0.1:8003")
CONGSO_PAYGOV_PARTNER_CODE = env("CONGSO_PAYGOV_PARTNER_CODE", "" if PRODUCTION else "CONGSO")
CONGSO_PAYGOV_ACCESS_KEY = env("CONGSO_PAYGOV_ACCESS_KEY", "" if PRODUCTION else "congso-access")
CONGSO_PAYGOV_SECRET_KEY = env(
    "CONGSO_PAYGOV_SECRET_KEY", "" if PRODUCTION else "congso-sandbox-paygov-secret"
)

# integ (issue 20): the national document-exchange axis (VDXP/LGSP). Empty transport: no
# axis, packages and status messages are kept for the clerk to carry (documents.exchange).
CONGSO_EXCHANGE_TRANSPORT = env("CONGSO_EXCHANGE_TRANSPORT")
CONGSO_EXCHANGE_URL = env("CONGSO_EXCHANGE_URL")
CONGSO_EXCHANGE_TOKEN = env("CONGSO_EXCHANGE_TOKEN")
CONGSO_EXCHANGE_MAX_ATTEMPTS = int(env("CONGSO_EXCHANGE_MAX_ATTEMPTS", "10"))
# Official mailboxes (documents.mailbox, docs/integrations.md §5): each organ's IMAP account is
# set on its admin page; these are the connection's timeout and the CA bundle that verifies the
# province's mail server (empty: the system's CAs).
CONGSO_MAILBOX_TIMEOUT = float(env("CONGSO_MAILBOX_TIMEOUT", "20"))
CONGSO_MAILBOX_CA_FILE = env("CONGSO_MAILBOX_CA_FILE")
# The national public-service portal's dossier sync through the provincial LGSP
# (onestop/portalsync): the plugin (``lgsp``; empty: no sync), the LGSP's address, the client
# credentials it issued, and how many attempts before a record is marked failed.
CONGSO_PORTAL_SYNC = env("CONGSO_PORTAL_SYNC")
CONGSO_PORTAL_SYNC_URL = env("CONGSO_PORTAL_SYNC_URL")
CONGSO_PORTAL_SYNC_CLIENT_ID = env("CONGSO_PORTAL_SYNC_CLIENT_ID")
CONGSO_PORTAL_SYNC_CLIENT_SECRET = env("CONGSO_PORTAL_SYNC_CLIENT_SECRET")
CONGSO_PORTAL_SYNC_MAX_ATTEMPTS = int(env("CONGSO_PORTAL_SYNC_MAX_ATTEMPTS", "10"))

# --- Mail and SMS ---------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("CONGSO_MAIL_FROM", "Công Sở <no-reply@congso.local>")
EMAIL_HOST = env("CONGSO_EMAIL_HOST")
EMAIL_PORT = int(env("CONGSO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("CONGSO_EMAIL_USER")
EMAIL_HOST_PASSWORD = env("CONGSO_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("CONGSO_EMAIL_TLS", False)
EMAIL_TIMEOUT = 20
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# The SMS provider, by plugin identifier (congso.notify.sms.registry): local_sink, http_gateway.
SMS_PROVIDER = env("CONGSO_SMS_PROVIDER", "local_sink")
SMS_GATEWAY_URL = env("CONGSO_SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env("CONGSO_SMS_GATEWAY_TOKEN")
NOTIFY_MAX_ATTEMPTS = int(env("CONGSO_NOTIFY_MAX_ATTEMPTS", "8"))
NOTIFY_RETRY_BASE_SECONDS = int(env("CONGSO_NOTIFY_RETRY_BASE_SECONDS", "60"))
NOTIFY_RETRY_MAX_SECONDS = int(env("CONGSO_NOTIFY_RETRY_MAX_SECONDS", "3600"))
NOTIFY_LEASE_SECONDS = int(env("CONGSO_NOTIFY_LEASE_SECONDS", "300"))
NOTIFY_BATCH_SIZE = int(env("CONGSO_NOTIFY_BATCH_SIZE", "50"))
NOTIFY_MAX_ATTACHMENT_BYTES = int(env("CONGSO_NOTIFY_MAX_ATTACHMENT_BYTES", str(5 * 1024 * 1024)))
SMS_GATEWAY_TIMEOUT = float(env("CONGSO_SMS_GATEWAY_TIMEOUT", "15"))

# --- Video meetings (docs/meetings.md) ------------------------------------------------------
# Without a Jitsi secret every briefing goes to an open server without a token: production
# refuses to start (congso.E004).
CONGSO_JITSI_DOMAIN = env("CONGSO_JITSI_DOMAIN", "meet.jit.si")
CONGSO_JITSI_APP_ID = env("CONGSO_JITSI_APP_ID", "congso")
CONGSO_JITSI_SECRET = env("CONGSO_JITSI_SECRET")
CONGSO_JITSI_AUDIENCE = env("CONGSO_JITSI_AUDIENCE", "jitsi")
CONGSO_BBB_URL = env("CONGSO_BBB_URL")
CONGSO_BBB_SECRET = env("CONGSO_BBB_SECRET")
CONGSO_BBB_CHECKSUM = env("CONGSO_BBB_CHECKSUM", "sha1")
CONGSO_MEETINGS_LATE_MINUTES = int(env("CONGSO_MEETINGS_LATE_MINUTES", "10"))

# --- Other app settings ---------------------------------------------------------------------
CONGSO_POPULAR_PROCEDURES = env_list("CONGSO_POPULAR_PROCEDURES")  # empty: the shipped list
CONGSO_FEEDBACK_ANSWER_DAYS = env_int_map("CONGSO_FEEDBACK_ANSWER_DAYS")  # feedback=10,...
CONGSO_WORKTIME_CACHE_SECONDS = int(env("CONGSO_WORKTIME_CACHE_SECONDS", str(24 * 3600)))
DASHBOARD_CACHE_SECONDS = int(env("CONGSO_DASHBOARD_CACHE_SECONDS", "300"))

# --- Background jobs ------------------------------------------------------------------------
# The embedded default is kombu's filesystem transport: no broker server, web and worker share
# a folder under var/. Production points CELERY_BROKER_URL at redis:// or amqp://.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {}
)
for _folder in CELERY_BROKER_TRANSPORT_OPTIONS.values():
    if isinstance(_folder, str):
        Path(_folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-job leaves the message to be redelivered
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Point bands of the Decision 766 index (JSON; the shipped bands are unverified placeholders,
# see congso/dashboard/index766.json). Empty: the shipped file.
DASHBOARD_INDEX_766_BANDS = env("CONGSO_INDEX_766_BANDS")
# The officials' work reminders (due within one working day, late) run every this many minutes;
# the morning digest for leaders at this local hour.
NOTIFY_WORK_REMINDER_MINUTES = int(env("CONGSO_NOTIFY_WORK_REMINDER_MINUTES", "15"))
NOTIFY_DIGEST_HOUR = int(env("CONGSO_NOTIFY_DIGEST_HOUR", "7"))
CELERY_BEAT_SCHEDULE = {
    "notify-remind-work": {
        "task": "congso.notify.tasks.remind_work",
        "schedule": NOTIFY_WORK_REMINDER_MINUTES * 60.0,
    },
    "notify-send-digests": {
        "task": "congso.notify.tasks.send_digests",
        "schedule": crontab(hour=NOTIFY_DIGEST_HOUR, minute=0),
    },
    "core-delete-orphan-files": {
        "task": "congso.core.tasks.delete_orphan_files",
        "schedule": crontab(hour=2, minute=15),
    },
    "notify-drain-outbox": {"task": "congso.notify.tasks.drain_outbox", "schedule": 30.0},
    "meetings-send-reminders": {"task": "congso.meetings.tasks.send_reminders", "schedule": 300.0},
    "meetings-follow-up-tasks": {
        "task": "congso.meetings.tasks.follow_up_tasks",
        "schedule": 3600.0,
    },
    "onestop-due-alerts": {
        "task": "congso.onestop.tasks.send_due_alerts",
        "schedule": crontab(hour=7, minute=0),
    },
    "onestop-queue-counts": {
        "task": "congso.onestop.tasks.reconcile_queue_counts",
        "schedule": crontab(hour=1, minute=15),
    },
    "documents-due-alerts": {
        "task": "congso.documents.tasks.send_due_alerts",
        "schedule": crontab(hour=7, minute=5),
    },
    "dashboard-refresh-facts": {
        "task": "congso.dashboard.tasks.refresh_stale_facts",
        "schedule": 600.0,
    },
    "dashboard-nightly-facts": {
        "task": "congso.dashboard.tasks.refresh_recent_facts",
        "schedule": crontab(hour=0, minute=30),
    },
    "dashboard-monthly-report": {
        "task": "congso.dashboard.tasks.send_monthly_report",
        "schedule": crontab(day_of_month=1, hour=7, minute=30),
    },
    "feedback-overdue-alerts": {
        "task": "congso.feedback.tasks.alert_overdue_complaints",
        "schedule": crontab(minute=5),
    },
    "payments-query-pending": {"task": "congso.payments.tasks.query_pending", "schedule": 300.0},
    "payments-settlement": {
        "task": "congso.payments.tasks.reconcile_settlement",
        "schedule": crontab(hour=7, minute=15),
    },
    "documents-exchange-drain": {"task": "congso.documents.tasks.exchange_drain", "schedule": 60.0},
    "documents-exchange-pull": {"task": "congso.documents.tasks.exchange_pull", "schedule": 60.0},
    "documents-mailbox-fetch": {"task": "congso.documents.tasks.mailbox_fetch", "schedule": 120.0},
    "onestop-portal-sync": {"task": "congso.onestop.tasks.portal_sync", "schedule": 60.0},
    "api-webhooks": {"task": "congso.api.tasks.webhooks", "schedule": 30.0},
    "signing-renew-archive-timestamps": {
        "task": "congso.signing.tasks.renew_archive_timestamps",
        "schedule": crontab(hour=3, minute=10),
    },
    "core-audit-anchor": {
        "task": "congso.core.tasks.anchor_audit_chain",
        "schedule": crontab(hour=23, minute=55),
    },
}

# --- Deployment and operations (docs/deploy.md) ---------------------------------------------
# How many web nodes serve this platform: more than one needs files every node sees (an
# S3-compatible CONGSO_FILE_STORAGE, or a shared mount declared with CONGSO_MEDIA_SHARED=1).
CONGSO_WEB_NODES = int(env("CONGSO_WEB_NODES", "1"))
CONGSO_MEDIA_SHARED = env_bool("CONGSO_MEDIA_SHARED", False)
# Beat is a singleton by lock (congso.ops.beat): a second beat started by mistake waits. The lock
# is auto (PostgreSQL advisory lock, else Redis, else a file lock on this machine), postgresql,
# redis or file; CONGSO_BEAT_LOCK_URL is the Redis of the redis lock (empty: the broker's).
CELERY_BEAT_SCHEDULER = "congso.ops.beat:SingletonScheduler"
CONGSO_BEAT_LOCK = env("CONGSO_BEAT_LOCK", "auto")
CONGSO_BEAT_LOCK_URL = env("CONGSO_BEAT_LOCK_URL")
# A stopped worker lets running tasks finish this long, then requeues them (acks_late).
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = float(env("CONGSO_WORKER_SOFT_SHUTDOWN_SECONDS", "4"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log like the web (LOGGING below)
# /metrics answers a bearer token or these client addresses (CIDRs); neither: 404.
CONGSO_METRICS_TOKEN = env("CONGSO_METRICS_TOKEN")
CONGSO_METRICS_ALLOWED_IPS = env_list(
    "CONGSO_METRICS_ALLOWED_IPS", "" if PRODUCTION else "127.0.0.1,::1"
)
CONGSO_LOG_FORMAT = env("CONGSO_LOG_FORMAT", "json" if PRODUCTION else "text")  # json or text
CONGSO_SENTRY_DSN = env("CONGSO_SENTRY_DSN")  # empty: no error reporting (needs sentry-sdk)
# Backups (python -m congso backup) are encrypted with this operator key (a long passphrase).
CONGSO_BACKUP_KEY = env("CONGSO_BACKUP_KEY")
# A streaming replica: reports and the dashboard read from it while its lag is under the limit.
CONGSO_REPLICA_URL = env("CONGSO_REPLICA_URL")
CONGSO_REPLICA_MAX_LAG_SECONDS = float(env("CONGSO_REPLICA_MAX_LAG_SECONDS", "30"))
CONGSO_REPLICA_PATHS = env_list("CONGSO_REPLICA_PATHS", "/dashboard/,/onestop/reports/")
if CONGSO_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(CONGSO_REPLICA_URL, conn_max_age=60),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["congso.ops.router.ReplicaRouter"]

# --- API ------------------------------------------------------------------------------------
# integ (issue 20): the partner event feed (congso.api.webhooks).
CONGSO_WEBHOOK_MAX_ATTEMPTS = int(env("CONGSO_WEBHOOK_MAX_ATTEMPTS", "12"))
CONGSO_WEBHOOK_TIMEOUT = float(env("CONGSO_WEBHOOK_TIMEOUT", "10"))
#: Lifetime of a partner system's bearer token from ``POST /api/v1/oauth/token``, in seconds.
CONGSO_PARTNER_TOKEN_SECONDS = int(env("CONGSO_PARTNER_TOKEN_SECONDS", "3600"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "congso.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "congso.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "congso.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "congso.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Công Sở API",
    "DESCRIPTION": "API v1 của nền tảng chính quyền số Công Sở",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every choice set gets one stable name in the schema (fields called "state", "kind" or
    # "channel" exist in several apps with different meanings).
    "ENUM_NAME_OVERRIDES": {
        "TimeUnitEnum": "congso.worktime.deadlines.TimeUnit",
        "StepTimeUnitEnum": "congso.catalog.models.StepUnit",
        "UnitKindEnum": "congso.org.models.UnitKind",
        "UserKindEnum": "congso.accounts.models.UserKind",
        "RoleEnum": "congso.accounts.models.Role",
        "LevelEnum": "congso.catalog.models.Level",
        "OnlineModeEnum": "congso.catalog.choices.OnlineMode",
        "FilingChannelEnum": "congso.catalog.choices.Channel",
        "CopyKindEnum": "congso.catalog.choices.CopyKind",
        "NotificationChannelEnum": "congso.notify.models.Channel",
        "NotificationStatusEnum": "congso.notify.models.Status",
        "DossierStateEnum": "congso.onestop.lifecycle.State",
        "ResultDeliveryEnum": "congso.onestop.models.ResultDelivery",
        "ApplicantKindEnum": "congso.onestop.models.ApplicantKind",
        "StepKindEnum": "congso.onestop.models.StepKind",
        "StepStateEnum": "congso.onestop.models.StepState",
        "MeetingStateEnum": "congso.meetings.lifecycle.MeetingState",
        "TaskStateEnum": "congso.meetings.lifecycle.TaskState",
        "DocumentDirectionEnum": "congso.documents.models.Direction",
        "DocumentTypeEnum": "congso.documents.models.DocumentType",
        "DocumentSecrecyEnum": "congso.documents.models.Secrecy",
        "DocumentUrgencyEnum": "congso.documents.models.Urgency",
        "DocumentVersionKindEnum": "congso.documents.models.VersionKind",
        "SkillsTopicEnum": "congso.skills.models.Topic",
        "Ipv6DualStackEnum": "congso.ict.models.DualStack",
        "Ipv6CheckResultEnum": "congso.ict.models.CheckResult",
        "FundSourceEnum": "congso.ict.models.FundSource",
        "RatingOverallEnum": "congso.feedback.models.Overall",
        "RatingChannelEnum": "congso.feedback.models.RatingChannel",
        "ComplaintKindEnum": "congso.feedback.models.ComplaintKind",
        "ComplaintStateEnum": "congso.feedback.lifecycle.ComplaintState",
        "PaymentStateEnum": "congso.payments.lifecycle.PaymentState",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line carries the request id (congso.ops.logs), in a job too; JSON in production.
    "filters": {"request_id": {"()": "congso.ops.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "congso.ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": CONGSO_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env("CONGSO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Our stamp font is a plain TrueType font: pyHanko's "no ROS metadata" is expected.
        "pyhanko.pdf_utils.font.opentype": {"level": "ERROR"},
        # The embedded filesystem broker has no host by design.
        "kombu.connection": {"level": "ERROR"},
    },
}
