"""Zhili settings: one module, configured by environment variables.

The defaults run the platform on one machine with no services (SQLite under var/, an
in-memory channel layer). Set DATABASE_URL for PostgreSQL and REDIS_URL for Redis.
"""

import hashlib
import hmac
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
    "zhili.core.thirdparty.AxesConfig",  # axes, named in Chinese
    "channels",
    "django_tasks",
    "zhili.core.thirdparty.TasksDatabaseConfig",  # django_tasks_db, named in Chinese
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
    "zhili.video",
    "zhili.rooms",
    "zhili.training",
    "zhili.forces",
    "zhili.incidents",
    "zhili.web",
    "zhili.intercom",
    "zhili.screen",
    "zhili.registers",
    "zhili.warnings",
    "zhili.inspections",
    "zhili.opinions",
    "zhili.plans",
    "zhili.reports",
    "zhili.assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhili.core.headers.SecurityHeadersMiddleware",  # CSP and Cache-Control (docs/operations.md)
    # Under /api/, /m/api/ and /open311/ an error Django answers itself (a 500, a body over
    # DATA_UPLOAD_MAX_MEMORY_SIZE, a CSRF refusal, an unknown path) is rewritten into the
    # interface's format; high in the chain so that it sees the other middleware's failures.
    "zhili.core.api_errors.ApiErrors",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Every non-GET request, its view and the building of its answer, is one transaction,
    # rolled back when the answer is a 5xx; last, so that it wraps the view only.
    "zhili.core.transactions.AtomicWrites",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Before the apps' folders, so that admin/base_site.html (the favicon) is ours; the
        # admin itself is listed before our apps in INSTALLED_APPS.
        "DIRS": [BASE_DIR / "zhili" / "web" / "admin_templates"],
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "DB_JIT", default=False
):
    # PostgreSQL's JIT compiles a query its planner costs high, which a register's scan of a
    # township is: 430 ms of compiling for an 880 ms query (the visit scheduler at 1M
    # people, docs/operations.md). The platform's queries are short; DB_JIT=true turns it on.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
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
# Redis timeouts, in seconds (docs/operations.md, "Redis versions and timeouts"). Since 8.0,
# redis-py reads with a 5 s socket timeout unless told otherwise (none before), and
# channels-redis waits for a socket's next message in a BZPOPMIN that blocks 5 s in Redis
# (RedisChannelLayer.brpop_timeout): the two raced and every idle WebSocket was dropped.
# - connect: every connection; a dead or unreachable Redis fails in 2 s, not 5.
REDIS_CONNECT_TIMEOUT = float(os.environ.get("REDIS_CONNECT_TIMEOUT", "2"))
# - cache reads and writes (rate limits, the citizen challenge: sub-millisecond commands): a
#   stalled Redis fails fast and zhili.core.sharedcache falls back to process memory.
REDIS_CACHE_READ_TIMEOUT = float(os.environ.get("REDIS_CACHE_READ_TIMEOUT", "1"))
# - channel layer: must stay above the 5 s blocking receive (tests check it), short enough to
#   notice a Redis that stopped answering.
REDIS_CHANNEL_READ_TIMEOUT = float(os.environ.get("REDIS_CHANNEL_READ_TIMEOUT", "15"))
if REDIS_CHANNEL_READ_TIMEOUT <= 5:  # channels_redis.core.RedisChannelLayer.brpop_timeout
    raise ValueError("REDIS_CHANNEL_READ_TIMEOUT must exceed the channel layer's 5 s receive")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_CACHE_READ_TIMEOUT,
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
                        "socket_timeout": REDIS_CHANNEL_READ_TIMEOUT,
                    }
                ]
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Without Redis the pages' sockets live in the web process's memory: `zhili serve
# --with-background` gives its background processes (worker, scheduler, the demo's handhelds)
# the address of its relay, through which their pushes reach those sockets (zhili/core/live.py).
LIVE_RELAY_URL = "" if REDIS_URL else os.environ.get("ZHILI_LIVE_RELAY_URL", "")

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
# --- login lockout (zhili/orgs/lockout.py; docs/operations.md "Login failures and locks") ----
# A (username, client address) pair is locked after AXES_FAILURE_LIMIT failures; a client
# address after ZHILI_LOGIN_FAILURES_PER_ADDRESS failures over all usernames; both for
# AXES_COOLOFF_HOURS. Not by account alone (anyone could lock an officer out), not by address
# alone (officers of one township often share one public address).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
ZHILI_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("ZHILI_LOGIN_FAILURES_PER_ADDRESS", "30"))
# The login page and the API's answer say "还可尝试 N 次" after this many failures of a pair.
ZHILI_LOGIN_WARN_AFTER = int(os.environ.get("ZHILI_LOGIN_WARN_AFTER", "3"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "zhili.orgs.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "zhili.orgs.lockout.client_address"
AXES_ENABLE_ADMIN = False  # our own page 登录失败与锁定 (zhili/orgs/admin.py) unlocks, audited
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zhili.orgs.auth.lockout_response"
AXES_VERBOSE = False
# Bearer tokens for phones and integrations; they expire after this many days unused.
ZHILI_TOKEN_IDLE_DAYS = int(os.environ.get("ZHILI_TOKEN_IDLE_DAYS", "30"))

SESSION_COOKIE_HTTPONLY = True
# Session and CSRF cookies over HTTPS only, as production serves; `make demo` serves plain HTTP
# with DEBUG off, so it turns them off (ZHILI_SECURE_COOKIES=false).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("ZHILI_SECURE_COOKIES", default=not DEBUG)

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Chinese names for what third-party apps (and the admin's scripts) leave in English; also read
# by the admin's JavaScript catalog, which looks only here besides the admin's own folder.
LOCALE_PATHS = [BASE_DIR / "zhili" / "core" / "locale"]
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
    ("vendor/markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
    ("vendor/hls", BASE_DIR / "node_modules" / "hls.js" / "dist"),
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
# What the printed 受理回执 tells the caller: the address of the citizen page as the public
# reaches it (empty: the address the printing officer uses) and the hotline to call.
ZHILI_PUBLIC_URL = os.environ.get("ZHILI_PUBLIC_URL", "").rstrip("/")
ZHILI_HOTLINE = os.environ.get("ZHILI_HOTLINE", "12345")
# Likely duplicates at intake (zhili/cases/duplicates.py): earlier cases of the same category
# group and township within `days`, in the same or an adjacent grid or within `distance_m`;
# score = text_weight * text similarity + (1 - text_weight) * nearness; flagged when the
# score reaches `threshold` and the text similarity `min_text`. The defaults of these
# (and of `max_candidates`, `max_flags`) are `DEFAULTS` there; set here what differs.
ZHILI_DUPLICATES = {
    "enabled": env_bool("ZHILI_DUPLICATES_ENABLED", default=True),
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
# 回头看 (zhili/inspections/lookback.py): the share of closed cases drawn 30 and 90 days after
# their closure and checked for recurrence.
ZHILI_LOOKBACK_SHARE = float(os.environ.get("ZHILI_LOOKBACK_SHARE", "0.1"))

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
# Reverse proxies in front of the application (each appends to X-Forwarded-For), read by
# zhili/core/ratelimit.py `client_ip` for the rate limits and the login lockout: a
# comma-separated list of addresses or networks ("10.0.0.5,10.1.0.0/16"), whose header is
# believed only when the request comes from one of them; or a number (the older form: that
# many proxies, whoever sends the header). Empty or 0: the header is ignored.
_proxies = os.environ.get("ZHILI_TRUSTED_PROXIES", "").strip()
ZHILI_TRUSTED_PROXIES: int | list[str] = (
    int(_proxies) if _proxies.isdigit() else [p.strip() for p in _proxies.split(",") if p.strip()]
)

# --- response headers (zhili/core/headers.py) --------------------------------------------------
# Sources added to the Content-Security-Policy, per directive, for services the pages really
# reach elsewhere (e.g. a Janus gateway): ZHILI_CSP_EXTRA="connect-src=https://janus.example
# wss://janus.example;img-src=https://cdn.example". The map tile server's origin is added by
# itself from ZHILI_MAP_TILE_URL.
ZHILI_CSP_EXTRA: dict[str, list[str]] = {
    part.split("=", 1)[0].strip(): part.split("=", 1)[1].split()
    for part in os.environ.get("ZHILI_CSP_EXTRA", "").split(";")
    if "=" in part
}

# --- health of the background processes (zhili/core/health.py, /healthz) --------------------
# /healthz answers 503 when the oldest due, not failing outbox event has waited longer than
# this many seconds, or when the last scheduler tick / worker heartbeat is older than its
# limit. A heartbeat never written counts as "starting" for the first limit's worth of seconds
# after the web process started.
ZHILI_HEALTH_OUTBOX_MAX_AGE = int(os.environ.get("ZHILI_HEALTH_OUTBOX_MAX_AGE", "300"))
ZHILI_HEALTH_SCHEDULER_MAX_AGE = int(os.environ.get("ZHILI_HEALTH_SCHEDULER_MAX_AGE", "180"))
ZHILI_HEALTH_WORKER_MAX_AGE = int(os.environ.get("ZHILI_HEALTH_WORKER_MAX_AGE", "180"))

# --- maps -----------------------------------------------------------------------------------
# A tile URL template (e.g. an internal tile server). Empty: polygons draw on a plain background.
ZHILI_MAP_TILE_URL = os.environ.get("ZHILI_MAP_TILE_URL", "")
ZHILI_MAP_TILE_ATTRIBUTION = os.environ.get("ZHILI_MAP_TILE_ATTRIBUTION", "")
# The tiles' coordinate system: "wgs84", or "gcj02" for the national basemaps (高德, 天地图's
# offset layers). Points are stored in WGS84 everywhere; a gcj02 map moves them for display.
ZHILI_MAP_TILE_CRS = os.environ.get("ZHILI_MAP_TILE_CRS", "wgs84")

# --- video (issue 14; docs/operations.md "Video") --------------------------------------------
# The Janus instances: where the platform calls each (its HTTP API) and where browsers reach it
# (its WebSocket, usually through the county's reverse proxy), in the same order. A new live
# stream is placed on the instance with the fewest open streams.
JANUS_API_URLS = os.environ.get("JANUS_API_URLS", "http://127.0.0.1:8088/janus").split(",")
JANUS_WS_URLS = os.environ.get("JANUS_WS_URLS", "ws://127.0.0.1:8188/").split(",")


def _derived_secret(purpose: str) -> str:
    """A secret of this installation's own, shared by the web process and `zhili janus`
    without a file: derived from SECRET_KEY unless the operator sets it."""
    return hmac.new(
        SECRET_KEY.encode(), f"zhili.janus.{purpose}".encode(), hashlib.sha256
    ).hexdigest()


JANUS_TOKEN_SECRET = os.environ.get("JANUS_TOKEN_SECRET") or _derived_secret("token")
JANUS_ADMIN_KEY = os.environ.get("JANUS_ADMIN_KEY") or _derived_secret("admin_key")
JANUS_ADMIN_SECRET = os.environ.get("JANUS_ADMIN_SECRET") or _derived_secret("admin_secret")
# The password of Janus's HTTP event handler posting to /api/v1/rooms/janus-events (rooms'
# attendance); the same value goes into its jcfg (zhili/video/gateway/config.py `events_secret`).
JANUS_EVENTS_SECRET = os.environ.get("JANUS_EVENTS_SECRET") or _derived_secret("events")
# Where `zhili janus` tells that handler to post: the web server beside it by default.
JANUS_EVENTS_URL = os.environ.get(
    "JANUS_EVENTS_URL",
    f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/api/v1/rooms/janus-events",
)
# Where Janus writes the rooms' recordings (.mjr, one folder per recording) and the worker
# reads them to convert them to MP4 (zhili/rooms/recording.py): Janus and the worker share it.
JANUS_RECORDINGS_DIR = Path(os.environ.get("JANUS_RECORDINGS_DIR", VAR_DIR / "janus-recordings"))
# A recording's conversion that reported no progress for this long (a worker killed mid-way,
# a task lost) is taken up again by the rooms' sweep, at most ROOMS_CONVERT_ATTEMPTS times in
# all; then it is marked failed and kept for an administrator (its .mjr files stay).
ROOMS_CONVERT_SILENT_SECONDS = int(os.environ.get("ROOMS_CONVERT_SILENT_SECONDS", "600"))
ROOMS_CONVERT_ATTEMPTS = int(os.environ.get("ROOMS_CONVERT_ATTEMPTS", "3"))
# A meeting's broadcast (直播, zhili/rooms/broadcast.py): Janus forwards the host's RTP to
# BROADCAST_HOST (the machine running `zhili broadcasts`, reachable from Janus), where ffmpeg
# writes HLS under BROADCAST_DIR (read by the web processes: shared with them). A broadcast
# with no segment after BROADCAST_START_SECONDS is failed.
BROADCAST_DIR = Path(os.environ.get("BROADCAST_DIR", VAR_DIR / "broadcasts"))
BROADCAST_HOST = os.environ.get("BROADCAST_HOST", "127.0.0.1")
BROADCAST_START_SECONDS = int(os.environ.get("BROADCAST_START_SECONDS", "30"))
# Online training (zhili/training): the largest lesson video an organizer may upload, and how
# many times a learner may send a lesson's quiz (the best score counts).
TRAINING_VIDEO_MAX_BYTES = int(os.environ.get("TRAINING_VIDEO_MAX_BYTES", str(2 * 1024**3)))
TRAINING_QUIZ_ATTEMPTS = int(os.environ.get("TRAINING_QUIZ_ATTEMPTS", "3"))

# Forces (zhili/forces): how long the handhelds' positions are kept, and how old a last
# position may be before the force shows as stale and is no longer offered as available.
FORCES_POSITION_DAYS = int(os.environ.get("FORCES_POSITION_DAYS", "90"))
FORCES_STALE_SECONDS = int(os.environ.get("FORCES_STALE_SECONDS", "120"))
# How often a handheld on duty reports its position (through its offline queue), and how often
# the desk page 处置力量 asks for the forces again.
FORCES_REPORT_SECONDS = int(os.environ.get("FORCES_REPORT_SECONDS", "15"))
FORCES_DESK_REFRESH_SECONDS = int(os.environ.get("FORCES_DESK_REFRESH_SECONDS", "5"))
# The big screen (/screen/) asks for its figures again every SCREEN_REFRESH_SECONDS (and, at
# most that often, after a case update); the scheduler rebuilds the daily figures each minute.
SCREEN_REFRESH_SECONDS = int(os.environ.get("SCREEN_REFRESH_SECONDS", "30"))
# The demo's simulated handhelds (zhili/forces/sim.py) run beside `zhili serve --with-background`:
# forces on duty walk and report, so the demo's desk and screen are alive. Never on for a county.
FORCES_SIMULATED_HANDHELDS = os.environ.get("ZHILI_SIMULATED_HANDHELDS", "") == "1"
# Intercom (zhili/intercom): a push-to-talk hold lapses this long after its last take or renewal
# (a page that closed while talking frees the floor); the panel renews it while the button is
# held.
INTERCOM_FLOOR_SECONDS = int(os.environ.get("INTERCOM_FLOOR_SECONDS", "30"))
# Incidents (zhili/incidents): the rings drawn round an incident on the desk's map, in minutes
# of travel at the plan's team types' speeds, and how far around it cameras are listed.
INCIDENT_RING_MINUTES = [
    int(m) for m in os.environ.get("INCIDENT_RING_MINUTES", "1,3,5").split(",") if m.strip()
]
INCIDENT_CAMERA_RADIUS_M = int(os.environ.get("INCIDENT_CAMERA_RADIUS_M", "500"))
# `zhili serve --with-background` also runs Janus and the demo's simulated cameras ("local"),
# or none ("external": the county runs its gateways as services).
ZHILI_VIDEO_ENGINES = os.environ.get("ZHILI_VIDEO_ENGINES", "local")
# How long a browser's Janus token lives: enough to open the stream, not to share the link.
VIDEO_TOKEN_SECONDS = int(os.environ.get("VIDEO_TOKEN_SECONDS", "120"))
# A live stream is torn down this long after its last viewer left (one upstream pull is shared
# by every viewer meanwhile); a view not heard from for VIDEO_VIEW_TIMEOUT seconds has ended.
VIDEO_TEARDOWN_SECONDS = int(os.environ.get("VIDEO_TEARDOWN_SECONDS", "60"))
VIDEO_VIEW_TIMEOUT = int(os.environ.get("VIDEO_VIEW_TIMEOUT", "45"))
# The pages that play (camera, wall, rooms) say when the gateway is down; its answer to a ping
# is kept this long in the shared cache, for every page and process.
VIDEO_GATEWAY_HEALTH_SECONDS = int(os.environ.get("VIDEO_GATEWAY_HEALTH_SECONDS", "5"))

# --- working time ---------------------------------------------------------------------------
# Office hours on a working day, used for time limits counted in working hours.
ZHILI_WORK_HOURS = [("08:30", "12:00"), ("13:30", "17:30")]

# --- GB/T 28181 (`zhili gb28181`: the SIP server of the platform; docs/operations.md) --------
# The platform's SIP id and domain as devices are configured with them, and the one password
# every device registers with (digest, RFC 2617). Keepalives are expected every INTERVAL
# seconds; a device that misses MISSED of them in a row is offline, with its channels.
GB28181_SERVER_ID = os.environ.get("GB28181_SERVER_ID", "32072200002000000001")
GB28181_DOMAIN = os.environ.get("GB28181_DOMAIN", "3207220000")
GB28181_PASSWORD = os.environ.get("GB28181_PASSWORD", "zhili-gb28181" if DEBUG else "")
GB28181_HOST = os.environ.get("GB28181_HOST", "127.0.0.1")
GB28181_PORT = int(os.environ.get("GB28181_PORT", "5060"))
GB28181_KEEPALIVE_INTERVAL = float(os.environ.get("GB28181_KEEPALIVE_INTERVAL", "60"))
GB28181_KEEPALIVE_MISSED = int(os.environ.get("GB28181_KEEPALIVE_MISSED", "3"))
# The address devices send live media to (PS over RTP); the SIP host when empty. The control
# port takes invite/bye/ptz from the web process (JSON lines, bound to 127.0.0.1 only).
GB28181_MEDIA_HOST = os.environ.get("GB28181_MEDIA_HOST", "")
GB28181_CONTROL_PORT = int(os.environ.get("GB28181_CONTROL_PORT", "15060"))
# Seconds a device has to answer a RecordInfo query in full (below the control port's 10 s).
GB28181_RECORD_TIMEOUT = float(os.environ.get("GB28181_RECORD_TIMEOUT", "8"))
# A dotted path to a callable given each alarm (zhili.video.gb28181.alarms.Alarm).
GB28181_ALARM_HOOK = os.environ.get(
    "GB28181_ALARM_HOOK", "zhili.video.alarms.gb28181_alarm_to_case"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO").upper()},
    # Each task run would log two lines a minute (the card sweep): keep warnings only.
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},  # a line per call to Janus
    },
}

# --- input and error format (issue 11; docs/api.md "Errors", docs/operations.md) -------------
# The interfaces answer in their format (zhili.core.api_errors), pages with the platform's 403.
CSRF_FAILURE_VIEW = "zhili.web.errors.csrf_failure"

# The people register (zhili/registers): days between two visits to a person, by the care level
# (关注程度) of their role: high weekly, normal monthly, low quarterly.
# ZHILI_VISIT_DAYS="7,30,90" overrides (high, normal, low).
_VISIT_DAYS = [int(d) for d in os.environ.get("ZHILI_VISIT_DAYS", "7,30,90").split(",")]
ZHILI_VISIT_DAYS = {"high": _VISIT_DAYS[0], "normal": _VISIT_DAYS[1], "low": _VISIT_DAYS[2]}
