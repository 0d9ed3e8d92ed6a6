"""Zhili settings: one module, configured by environment variables.

The defaults run the platform on one machine with no services (SQLite under var/, an
in-memory channel layer). Set DATABASE_URL for PostgreSQL and REDIS_URL for Redis.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZHILI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Demo accounts share a published password: refuse them outside DEBUG unless allowed.
ZHILI_ALLOW_DEMO_USERS = env_bool("ZHILI_ALLOW_DEMO_USERS", default=DEBUG)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "zhili.core",
    "zhili.orgs",
    "zhili.cases",
    "zhili.supervision",
    "zhili.integrations",
    "zhili.open311",
    "zhili.portal",
    "zhili.mobile",
    "zhili.imports",
    "zhili.mediation",
    "zhili.petitions",
    "zhili.receptions",
    "zhili.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "zhili.web.context.navigation",
                "zhili.web.context.calendar_banner",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhili.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory: tests that run a second server process, or many threads with
    # their own connections, need a database others can open, as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_POOL", default=True
):
    # Under ASGI every request runs in a thread of its own, so persistent connections do not
    # carry over: a pool saves the connection set-up on each request.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2,
        "max_size": int(os.environ.get("DB_POOL_SIZE", "10")),
        "timeout": 10,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, channels, tasks -----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "zhili.orgs.auth.StaffBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))  # hours
# Lock by account: officers of one township often share one public IP address, and an
# IP-wide lockout would shut the whole office out.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zhili.orgs.auth.lockout_response"
AXES_VERBOSE = False
# Bearer tokens for phones and integrations; they expire after this many days unused.
ZHILI_TOKEN_IDLE_DAYS = int(os.environ.get("ZHILI_TOKEN_IDLE_DAYS", "30"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end libraries come from npm (package.json); node_modules is never committed.
STATICFILES_DIRS = [
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STATICFILES_DIRS = [(prefix, path) for prefix, path in STATICFILES_DIRS if path.exists()]
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- uploads ------------------------------------------------------------------------------
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("ZHILI_MEDIA_ROOT", VAR_DIR / "media"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- petitions ------------------------------------------------------------------------------
# Where the law sends a petition whoever registers it (zhili/petitions/routing.py): {route key:
# unit code suffix under the county's code}; empty keeps "discipline" (检举控告) -> -JJJC and
# "law" (涉法涉诉) -> -SFSS; "office" is the petition office that registers the petitions
# pushed by 阳光信访 (-XFJD).
ZHILI_PETITION_ROUTES: dict[str, str] = {}

# --- cases ----------------------------------------------------------------------------------
# Case numbers: prefix + local date + sequence of the day, e.g. DH20261126-00042.
ZHILI_CASE_PREFIX = os.environ.get("ZHILI_CASE_PREFIX", "DH")
# Likely duplicates at intake (zhili/cases/duplicates.py): earlier cases of the same category
# group and township within `days`, in the same or an adjacent grid or within `distance_m`;
# score = text_weight * text similarity + (1 - text_weight) * nearness; flagged when the
# score reaches `threshold` and the text similarity `min_text`.
ZHILI_DUPLICATES = {
    "enabled": env_bool("ZHILI_DUPLICATES_ENABLED", default=True),
    "days": 7,
    "distance_m": 1000,
    "threshold": 0.6,
    "min_text": 0.5,
    "text_weight": 0.7,
    "max_candidates": 300,
    "max_flags": 3,
}

# The 12345 closed loop (国办发〔2020〕53号). Returns (退单, zhili/cases/returns.py): a unit
# gives a case back by itself only before acknowledging it (`before_acknowledge`) or within
# `working_hours_after_acknowledge` working hours of acknowledging it (0: not after); later
# it asks the center (申请退单), which approves or refuses.
ZHILI_CASE_RETURNS = {
    "before_acknowledge": env_bool("ZHILI_RETURN_BEFORE_ACKNOWLEDGE", default=True),
    "working_hours_after_acknowledge": int(os.environ.get("ZHILI_RETURN_WORKING_HOURS", "2")),
}
# Assisting units (协办, zhili/cases/services/assists.py) must reply to the lead unit once
# this share of the lead's handling time is used, leaving the rest to the lead for its own
# reply; their deadline is never later than the lead's.
ZHILI_CASE_ASSIST_SHARE = float(os.environ.get("ZHILI_CASE_ASSIST_SHARE", "0.6"))

# --- mediation ------------------------------------------------------------------------------
# The handling target of a dispute, in months from its acceptance (人民调解工作若干规定
# 第三十三条: generally settled within one month); past it, a yellow warning (no supervision
# order). Read by zhili/mediation/deadlines.py.
ZHILI_MEDIATION_TARGET_MONTHS = int(os.environ.get("ZHILI_MEDIATION_TARGET_MONTHS", "1"))

# --- rate limits (zhili/core/ratelimit.py) ----------------------------------------------------
# action -> (requests, window in seconds), per client address, counted in the cache.
ZHILI_RATE_LIMITS = {
    "portal.report": (10, 3600),  # citizen report submissions (valid or not)
    "portal.lookup": (20, 600),  # progress lookups
    "portal.lookup_case": (10, 3600),  # failed lookups of one case number, from anywhere
    "portal.rate": (10, 3600),  # citizen ratings
}
# Reverse proxies in front of the application (each appends to X-Forwarded-For); 0: none,
# the header is ignored and REMOTE_ADDR is the client.
ZHILI_TRUSTED_PROXIES = int(os.environ.get("ZHILI_TRUSTED_PROXIES", "0"))

# --- maps -----------------------------------------------------------------------------------
# A tile URL template (e.g. an internal tile server). Empty: polygons draw on a plain background.
ZHILI_MAP_TILE_URL = os.environ.get("ZHILI_MAP_TILE_URL", "")
ZHILI_MAP_TILE_ATTRIBUTION = os.environ.get("ZHILI_MAP_TILE_ATTRIBUTION", "")

# --- working time ---------------------------------------------------------------------------
# Office hours on a working day, used for time limits counted in working hours.
ZHILI_WORK_HOURS = [("08:30", "12:00"), ("13:30", "17:30")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Each task run would log two lines a minute (the card sweep): keep warnings only.
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}

# --- input and error format (issue 11; docs/api.md "Errors", docs/operations.md) -------------
# ApiErrors: under /api/, /m/api/ and /open311/ an error Django answers itself (a 500, a body
# over DATA_UPLOAD_MAX_MEMORY_SIZE, a CSRF refusal, an unknown path) is rewritten into the
# interface's format; high in the chain so that it sees the other middleware's failures too.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "zhili.core.api_errors.ApiErrors",
)
# AtomicWrites: every non-GET request, its view and the building of its answer, is one
# transaction, rolled back when the answer is a 5xx; last, so that it wraps the view only.
MIDDLEWARE.append("zhili.core.transactions.AtomicWrites")
CSRF_FAILURE_VIEW = "zhili.core.api_errors.csrf_failure"
