"""Django settings. Every knob is read from the environment through `config()` (see env.py);
docs/operations.md lists them all and is generated from the same declarations."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from gongkai.conf.env import config

PACKAGE_DIR = Path(__file__).resolve().parent.parent

DATA_DIR = Path(
    config(
        "GONGKAI_DATA_DIR",
        "data",
        "Folder for the SQLite database, task queue, uploaded files and generated secrets. "
        "Relative paths are taken from the working directory.",
    )
).resolve()

DEBUG = config(
    "GONGKAI_DEBUG", False, "Development mode: detailed error pages. Never in production."
)


def _secret_key() -> str:
    """A key from the environment, or one generated once and kept in the data folder."""
    key = config(
        "GONGKAI_SECRET_KEY",
        "",
        "Secret for signing sessions and tokens. If empty, a random key is generated once "
        "and stored in DATA_DIR/secret_key (mode 600); several web nodes must share one key.",
        "Security",
    )
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

FIELD_KEY = config(
    "GONGKAI_FIELD_KEY",
    "",
    "Master key (32 bytes, base64; `gongkai fieldkey` prints a new one) that encrypts applicants' "
    "ID numbers and phone numbers at rest (AES-GCM, 等保 8.1.4.8 b) and keys their lookup "
    "digests. Keep it in a key store, not in the data folder or a backup. Required in "
    "production: without it the deployment check fails and the server refuses to start; in "
    "development a key is derived from the secret key. To change it, move the old value to "
    "GONGKAI_FIELD_KEY_PREVIOUS, set the new one and run `gongkai fieldkey rotate`.",
    "Security",
)
FIELD_KEY_PREVIOUS = config(
    "GONGKAI_FIELD_KEY_PREVIOUS",
    "",
    "Earlier master keys (comma-separated) during a key change: values encrypted under them "
    "still read and still match lookups until `gongkai fieldkey rotate` has re-encrypted them "
    "under GONGKAI_FIELD_KEY; remove them afterwards.",
    "Security",
)

ALLOWED_HOSTS = config(
    "GONGKAI_ALLOWED_HOSTS",
    ["127.0.0.1", "localhost"],
    "Comma-separated host names this site answers to.",
)
HTTPS = config(
    "GONGKAI_HTTPS",
    False,
    "Served over HTTPS (behind a TLS proxy): redirect to HTTPS, secure cookies, HSTS. "
    "Required in production (等保 8.1.4.1 c).",
    "Security",
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "treebeard",
    "huey.contrib.djhuey",
    "gongkai.core",
    "gongkai.audit",
    "gongkai.orgs",
    "gongkai.inforequests",
    "gongkai.appeals",
    "gongkai.publications",
    "gongkai.catalogs",
    "gongkai.reports",
    "gongkai.search",
    "gongkai.portal",
    "gongkai.console",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongkai.audit.middleware.AuditContextMiddleware",
    "gongkai.orgs.middleware.SessionLimitsMiddleware",
    "gongkai.orgs.middleware.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.portal.middleware.ReadingPreferencesMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.portal.context_processors.reading_preferences",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = config(
    "DATABASE_URL",
    "",
    "Database, e.g. postgres://user:pass@host:5432/gongkai. Empty: SQLite (WAL) in "
    "DATA_DIR/gongkai.sqlite3.",
    "Database",
)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "gongkai.sqlite3"),
            "OPTIONS": {
                # WAL lets the web process read while the task worker writes; IMMEDIATE takes
                # the write lock at BEGIN so concurrent writers queue instead of failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = config(
    "GONGKAI_REDIS_URL",
    "",
    "Redis for the cache and the task queue when several nodes run. Empty: local memory cache "
    "and a SQLite task queue in DATA_DIR.",
    "Scale",
)
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

HUEY = {
    "name": "gongkai",
    "immediate": config(
        "GONGKAI_TASKS_IMMEDIATE",
        False,
        "Run background tasks inline instead of in the worker (tests, debugging).",
        "Scale",
    ),
    "utc": False,
    "consumer": {"workers": 2, "worker_type": "thread"},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "tasks.sqlite3")})

# --- people and passwords (等保2.0 8.1.4.1, SECURITY.md §1.2) --------------------------------
AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_MIN_LENGTH = config(
    "GONGKAI_PASSWORD_MIN_LENGTH", 12, "Minimum password length for staff.", "Security"
)
PASSWORD_CHAR_CLASSES = config(
    "GONGKAI_PASSWORD_CHAR_CLASSES",
    4,
    "How many of the four character classes (upper, lower, digit, symbol) a staff password "
    "must contain (等保 complexity; 0 turns the rule off).",
    "Security",
)
PASSWORD_MAX_AGE_DAYS = config(
    "GONGKAI_PASSWORD_MAX_AGE_DAYS",
    90,
    "Days after which staff must change their password (等保 periodic change; 0 = never).",
    "Security",
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "gongkai.orgs.passwords.CharacterClassValidator",
        "OPTIONS": {"required": PASSWORD_CHAR_CLASSES},
    },
]
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:home"
LOGOUT_REDIRECT_URL = "console:login"

AXES_FAILURE_LIMIT = config(
    "GONGKAI_LOGIN_FAILURE_LIMIT", 5, "Failed logins before an account is locked.", "Security"
)
AXES_COOLOFF_TIME = timedelta(
    minutes=config(
        "GONGKAI_LOGIN_LOCKOUT_MINUTES",
        30,
        "Minutes an account stays locked after too many failures (a security administrator "
        "can unlock it earlier).",
        "Security",
    )
)
# Lock the account, not the address: a whole bureau often shares one NAT address, and
# 等保 8.1.4.1 b) asks for account lockout. Address-based throttling belongs to the proxy.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "console/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = config(
    "GONGKAI_PROXY_COUNT",
    0,
    "Number of trusted reverse proxies in front of the site; their X-Forwarded-For entries "
    "are used to find the client address for the audit log and lockouts.",
    "Security",
)
# X-Forwarded-For is believed only when a trusted proxy sets it; otherwise a client could
# spoof its address past the lockout, the rate limits and the audit log.
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

SESSION_IDLE_MINUTES = config(
    "GONGKAI_SESSION_IDLE_MINUTES",
    30,
    "Staff are logged out after this many minutes without a request (等保 8.1.4.1 b).",
    "Security",
)
SESSION_ABSOLUTE_HOURS = config(
    "GONGKAI_SESSION_ABSOLUTE_HOURS",
    12,
    "Staff must log in again after this many hours even when active (ASVS 3.3.2).",
    "Security",
)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- HTTP security --------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS: list[str] = config(
    "GONGKAI_CSRF_TRUSTED_ORIGINS",
    [],
    "Comma-separated origins (https://example.gov.cn) allowed to post forms when behind a proxy.",
    "Security",
)
CONTENT_SECURITY_POLICY = config(
    "GONGKAI_CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    "Content-Security-Policy header sent with every page. The pages need no inline script.",
    "Security",
)

# --- language, time -------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it even when empty
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SITE_NAME = config(
    "GONGKAI_SITE_NAME",
    "政府信息公开",
    "Name of the site shown in page titles and the header.",
)
SEARCH_BACKEND = config(
    "GONGKAI_SEARCH_BACKEND",
    "auto",
    "Full-text search engine: auto (PostgreSQL full text on PostgreSQL, SQLite FTS5 on SQLite), "
    "sqlite, postgresql, or tantivy (an index directory on this node, for large single-node "
    "installs; needs `pip install 'gongkai[tantivy]'`). After changing it run "
    "`gongkai search reindex`.",
    "Search",
)
SEARCH_INDEX_DIR = Path(
    config(
        "GONGKAI_SEARCH_INDEX_DIR",
        "",
        "Directory of the tantivy index (GONGKAI_SEARCH_BACKEND=tantivy); empty means "
        "DATA_DIR/search-index. Rebuild it with `gongkai search reindex` after restoring a "
        "database backup.",
        "Search",
    )
    or DATA_DIR / "search-index"
)
SEARCH_REBUILD_WORKERS = config(
    "GONGKAI_SEARCH_REBUILD_WORKERS",
    "auto",
    "Processes that normalise and cut text into tokens while `gongkai search reindex` writes: "
    "auto (one fewer than the CPUs, at least 1, at most 4) or a number; 0 does it in the "
    "rebuilding process. A rebuild of one batch (500 documents) or less never starts them.",
    "Search",
)
SEARCH_BROAD_QUERY_HITS = config(
    "GONGKAI_SEARCH_BROAD_QUERY_HITS",
    0,
    "A query matching more rows than this is served newest first with an approximate count "
    "instead of scoring every hit. 0 takes the engine's measured default: 20000 for SQLite "
    "FTS5 (bm25), 3000 for PostgreSQL (ts_rank reads each hit's tsvector).",
    "Search",
)
FEE_PERIOD_EXCLUDED = config(
    "GONGKAI_FEE_PERIOD_EXCLUDED",
    True,
    "Whether the time from a fee notice to payment is left out of the 20-workday reply limit "
    "(国办函〔2020〕109号 as read by the Sichuan implementing notice; the national text could "
    "not be confirmed, so this is a setting).",
    "Applications",
)
REPORT_DEADLINE_DEPARTMENTS = config(
    "GONGKAI_REPORT_DEADLINE_DEPARTMENTS",
    "01-31",
    "Month-day (MM-DD) of the year after the report year by which departments, streets and "
    "towns publish their annual report (条例第四十九条: 31 January; local rules may be earlier).",
    "Reports",
)
REPORT_DEADLINE_GOVERNMENTS = config(
    "GONGKAI_REPORT_DEADLINE_GOVERNMENTS",
    "03-31",
    "Month-day (MM-DD) by which people's governments publish their annual report "
    "(条例第四十九条: 31 March).",
    "Reports",
)
REPORT_REMIND_DAYS = config(
    "GONGKAI_REPORT_REMIND_DAYS",
    30,
    "Days before (and after, while still unpublished) the annual-report deadline in which the "
    "daily reminders and the console warning appear.",
    "Reports",
)

UPLOAD_MAX_MB = config(
    "GONGKAI_UPLOAD_MAX_MB",
    20,
    "Largest file (MB) an officer may attach to an application (scans, files to release).",
    "Applications",
)
REDACTION_DPI = config(
    "GONGKAI_REDACTION_DPI",
    150,
    "Resolution at which redacted PDFs are rasterised; every page becomes an image, so no text "
    "survives under (or outside) a redaction box.",
    "Applications",
)
LEDGER_IMPORT_MAX_BYTES = config(
    "GONGKAI_LEDGER_IMPORT_MAX_BYTES",
    5 * 1024 * 1024,
    "Largest ledger (台账) Excel file accepted for import, in bytes.",
    "Applications",
)
LEDGER_IMPORT_MAX_ROWS = config(
    "GONGKAI_LEDGER_IMPORT_MAX_ROWS",
    500,
    "Most data rows in one ledger import; split larger ledgers into several files. Every row "
    "goes through the application services in one request (about 0.1 s a row on a small "
    "server), so keep the import within the web server's timeout.",
    "Applications",
)
MISUSE_VOLUME_MIN_COUNT = config(
    "GONGKAI_MISUSE_VOLUME_MIN_COUNT",
    10,
    "条例第三十五条 flag: an applicant is flagged only with at least this many applications to "
    "one organisation in 30 days (10 is where 按件计收 fees begin, 国办函〔2020〕109号).",
    "Applications",
)
MISUSE_VOLUME_FACTOR = config(
    "GONGKAI_MISUSE_VOLUME_FACTOR",
    5,
    "条例第三十五条 flag: and at least this many times the organisation's norm (mean "
    "applications per applicant per 30 days over the past year).",
    "Applications",
)
SUGGESTION_MIN_APPLICANTS = config(
    "GONGKAI_SUGGESTION_MIN_APPLICANTS",
    3,
    "条例第四十四条: suggest proactive disclosure when at least this many different applicants "
    "were given the same information in the past year.",
    "Applications",
)
# --- 主动公开 (publications) ------------------------------------------------------------------
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
INDEX_NUMBER_PATTERN = config(
    "GONGKAI_INDEX_NUMBER_PATTERN",
    "{credit_code}/{yyyy}-{seq:05d}",
    "Pattern of the 索引号 allocated when an item is published. Placeholders: {credit_code}, "
    "{division_code}, {org_id}, {yyyy}, {seq} (with a format such as {seq:05d}). It must contain "
    "{seq}, {yyyy} and {credit_code} or {org_id}, since numbers run per organisation and year; "
    "start-up stops on a bad pattern (RULES.md §5.2).",
    "Publications",
)
INTERPRETATION_WORKDAYS = config(
    "GONGKAI_INTERPRETATION_WORKDAYS",
    3,
    "A normative document whose policy interpretation is not published within this many "
    "working days of the document is flagged (三同步).",
    "Publications",
)
REASSESS_MONTHS = config(
    "GONGKAI_REASSESS_MONTHS",
    12,
    "Interval in months of the periodic re-assessment of 依申请公开 and 不予公开 items "
    "(条例第十八条).",
    "Publications",
)
ATTACHMENT_MAX_MB = config(
    "GONGKAI_ATTACHMENT_MAX_MB",
    50,
    "Largest attachment accepted, in megabytes.",
    "Publications",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "gongkai.core.logging.MaskPersonalDataFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_personal_data"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": config("GONGKAI_LOG_LEVEL", "INFO", "Log level (DEBUG, INFO, WARNING, ERROR)."),
    },
}
