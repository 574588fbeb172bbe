"""Zhengtong settings: one module, configured by environment variables.

Every knob a deployment may turn is read through the typed helpers in
``zhengtong.lib.env``; see the configuration table in README.md.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from zhengtong.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ZT_VAR_DIR", str(BASE_DIR / "var")))

# --- mode and secrets ------------------------------------------------------
# "demo" (the default for `make run` and tests) or "production".
ZT_MODE = env_str("ZT_MODE", "demo")
if ZT_MODE not in {"demo", "production"}:
    raise ImproperlyConfigured("ZT_MODE must be 'demo' or 'production'")
PRODUCTION = ZT_MODE == "production"
TESTING = "pytest" in sys.modules or env_bool("ZT_TESTING")

DEMO_SECRET_KEY = "zhengtong-demo-secret-key-do-not-use-in-production-0123456789"
DEMO_MASTER_KEY = "00112233445566778899aabbccddeeff"
SECRET_KEY = env_str("SECRET_KEY", DEMO_SECRET_KEY)
# Master key (32 hex digits = 128-bit SM4 key) that encrypts departments' seal keys at rest.
ZT_MASTER_KEY = env_str("ZT_MASTER_KEY", DEMO_MASTER_KEY)
DEBUG = env_bool("DEBUG", default=not PRODUCTION and not TESTING)

if PRODUCTION:
    if SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured(
            "生产模式拒绝使用演示密钥：请设置 SECRET_KEY（至少 40 个字符）。"
            " / Production mode refuses the demo SECRET_KEY."
        )
    if ZT_MASTER_KEY == DEMO_MASTER_KEY:
        raise ImproperlyConfigured(
            "生产模式拒绝使用演示主密钥：请设置 ZT_MASTER_KEY。"
            " / Production mode refuses the demo ZT_MASTER_KEY."
        )
    if DEBUG:
        raise ImproperlyConfigured("生产模式不能开启 DEBUG。 / DEBUG must be off in production.")

# Demo-only bypass of the second factor; production refuses to start with it.
ZT_DEMO_OTP_BYPASS = env_bool("ZT_DEMO_OTP_BYPASS", False)
if PRODUCTION and ZT_DEMO_OTP_BYPASS:
    raise ImproperlyConfigured("生产模式不允许 ZT_DEMO_OTP_BYPASS。 / No OTP bypass in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
ZT_HOST = env_str("ZT_HOST", "127.0.0.1")
ZT_PORT = env_int("ZT_PORT", 8000)
ZT_PUBLIC_URL = env_str("ZT_PUBLIC_URL", f"http://{ZT_HOST}:{ZT_PORT}")
WAGTAILADMIN_BASE_URL = ZT_PUBLIC_URL

# --- applications ----------------------------------------------------------
INSTALLED_APPS = [
    "zhengtong.core",
    "zhengtong.core.org",
    "zhengtong.core.accounts",
    "zhengtong.core.permissions",
    "zhengtong.core.audit",
    "zhengtong.core.calendar",
    "zhengtong.core.timelimits",
    "zhengtong.core.seals",
    "zhengtong.core.notify",
    "zhengtong.core.files",
    "zhengtong.core.jobs",
    "zhengtong.services.catalog",
    "zhengtong.services.applications",
    "zhengtong.services.workflow",
    "zhengtong.services.billing",
    "zhengtong.supervision",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "zhengtong.core.middleware.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "zhengtong.core.middleware.RequestContextMiddleware",
    "zhengtong.core.accounts.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhengtong.urls"
WSGI_APPLICATION = "zhengtong.wsgi.application"
ASGI_APPLICATION = "zhengtong.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhengtong" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["zhengtong.core.templatetags.labels"],  # {% colon %}
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "zhengtong.core.context_processors.site",
                "zhengtong.core.notify.context_processors.unread_messages",
            ],
        },
    },
]

# --- database --------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhengtong.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
# Django's own backends plus work run just before each commit (the audit chain's writes).
_BACKENDS = {"django.db.backends.postgresql": "zhengtong.core.db.backends.postgresql",
             "django.db.backends.sqlite3": "zhengtong.core.db.backends.sqlite3"}
if DATABASES["default"]["ENGINE"] not in _BACKENDS:
    raise ImproperlyConfigured(f"DATABASE_URL: only PostgreSQL and SQLite are supported, not {DATABASE_URL.split(':')[0]}")
DATABASES["default"]["ENGINE"] = _BACKENDS[DATABASES["default"]["ENGINE"]]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
        # BEGIN, so SQLite's writers queue instead of failing on a lock upgrade.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif env_bool("DB_PREPARED_STATEMENTS", default=True):
    # Parameters bound by the server and each statement prepared once per connection (after
    # DB_PREPARE_THRESHOLD uses): PostgreSQL then parses and plans it once instead of on every
    # execution, which halves the server's CPU per application step (bench/README.md). Needs
    # persistent connections (DB_CONN_MAX_AGE) to pay off; turn it off behind a connection
    # pooler in transaction mode that cannot carry prepared statements (docs/deploy.md).
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True,
                                       "prepare_threshold": env_int("DB_PREPARE_THRESHOLD", 5)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "zt_cache"}}

# --- accounts, second factor, lockout --------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "zhengtong.core.accounts.backends.AccountBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
WAGTAILADMIN_LOGIN_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zhengtong.core.accounts.passwords.StrongPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
SESSION_COOKIE_AGE = env_int("ZT_SESSION_SECONDS", 30 * 60)  # idle timeout: 30 minutes
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
AXES_FAILURE_LIMIT = env_int("ZT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ZT_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# Retrying during the lockout must not restart the 15 minutes.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "zhengtong.core.accounts.views.locked_out"
AXES_ENABLED = True
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "政通 Zhengtong"

# --- internationalisation --------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "zhengtong" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- static and media files -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("ZT_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "zhengtong" / "static_vendor"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("ZT_MEDIA_ROOT", str(VAR_DIR / "media")))
ZT_S3_BUCKET = env_str("ZT_S3_BUCKET", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING or DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if ZT_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ZT_S3_BUCKET,
            "endpoint_url": env_str("ZT_S3_ENDPOINT_URL") or None,
            "access_key": env_str("ZT_S3_ACCESS_KEY") or None,
            "secret_key": env_str("ZT_S3_SECRET_KEY") or None,
            "region_name": env_str("ZT_S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
ZT_UPLOAD_MAX_BYTES = env_int("ZT_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = ZT_UPLOAD_MAX_BYTES + 1024 * 1024

# --- background tasks -------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "zhengtong.core.jobs.backend.DatabaseBackend",
    }
}

# --- notifications -----------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.locmem.EmailBackend"
    if TESTING
    else ("django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend"),
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "zhengtong@shifan.gov.cn")
ZT_SMS_BACKEND = env_str("ZT_SMS_BACKEND", "zhengtong.core.notify.sms.LoggingSmsBackend")

# --- seals -------------------------------------------------------------------
ZT_SIGNER_BACKEND = env_str("ZT_SIGNER_BACKEND", "zhengtong.core.seals.signers.SoftwareSigner")

# --- services and supervision ----------------------------------------------------
ZT_PAYMENT_GATEWAY = env_str("ZT_PAYMENT_GATEWAY", "zhengtong.services.billing.gateways.LoggingGateway")
ZT_BAD_RATING_DAYS = env_int("ZT_BAD_RATING_DAYS", 5)  # working days to follow up a bad rating

# --- time limits ---------------------------------------------------------------
ZT_YELLOW_DAYS = env_int("ZT_YELLOW_DAYS", 2)  # default: yellow when ≤ 2 working days remain

# --- the public site's identity (a Chinese government site shows these in its footer) ---
ZT_SITE_NAME = env_str("ZT_SITE_NAME", "示范市人民政府")
ZT_PLATFORM_NAME = env_str("ZT_PLATFORM_NAME", "示范市一体化政务服务平台")
ZT_SITE_SPONSOR = env_str("ZT_SITE_SPONSOR", "示范市人民政府办公室")
ZT_SITE_ORGANIZER = env_str("ZT_SITE_ORGANIZER", "示范市大数据中心")
ZT_ICP_NUMBER = env_str("ZT_ICP_NUMBER", "示ICP备00000000号-1")
ZT_PSB_NUMBER = env_str("ZT_PSB_NUMBER", "示公网安备 36120202000001号")
ZT_SITE_CODE = env_str("ZT_SITE_CODE", "3612000001")
ZT_SERVICE_HOTLINE = env_str("ZT_SERVICE_HOTLINE", "12345")
WAGTAIL_SITE_NAME = ZT_PLATFORM_NAME

# --- API -----------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Lockout is per account (the issue: "five failed logins lock the account"); locking by IP
# as well would let one NAT'd office lock out every colleague behind it.
# models.W040: the time-limit indexes carry INCLUDE columns for PostgreSQL's index-only
# counts; on SQLite they are plain indexes on the key columns, which is what is wanted there.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
