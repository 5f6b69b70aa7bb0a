"""Settings shared by every environment. Environment-specific modules import ``*`` from here."""

from pathlib import Path

import dj_database_url

from config.settings.environment import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Public base URL, used for absolute links in emails, feeds, sitemaps and the Wagtail admin.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
SITE_NAME = "PCC Knowledge Hub"
WAGTAIL_SITE_NAME = SITE_NAME

INSTALLED_APPS = [
    # Project apps, listed first so their templates override third-party ones.
    # Layers (imports point down only): operations -> config -> search -> forum -> kb ->
    # members -> taxonomy (tests/config/test_layers.py enforces it). ``operations`` holds the
    # backup and restore commands. The development-only ``demo`` app (seed_demo, seed_bulk)
    # sits on top of them all; only dev.py and test.py install it, so production has neither
    # its commands nor demo passwords.
    "operations",
    "config",
    "search",
    "forum",
    "kb",
    "members",
    "taxonomy",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
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
    "django_filters",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # Background work
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.content_security_policy.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chooses the interface language per request (session, cookie, Accept-Language); it needs
    # the session, and must run before CommonMiddleware.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "members.mfa_enforcement.PrivilegedMfaMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "config.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL (any dj-database-url form), defaulting to SQLite in WAL mode under var/.
DEFAULT_SQLITE_PATH = VAR_DIR / "db.sqlite3"
if not env_str("DATABASE_URL"):
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a writer commits; IMMEDIATE transactions avoid
    # "database is locked" upgrades from read to write locks under concurrency.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=5000;"
                "PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# ---- Accounts: django-allauth, MFA and OpenID Connect (members app) ----
# The reasons for each choice are in members/README.md. allauth is customised only through
# members/adapters.py, forms, these settings and template overrides.
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "members.adapters.SocialAccountAdapter"
MFA_ADAPTER = "members.adapters.MFAAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # mail scanners that follow links must not confirm
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True  # straight on to the welcome step
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None  # the member chooses "Remember me"
ACCOUNT_EMAIL_NOTIFICATIONS = True  # security notices: password, email, 2FA changes
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # re-enter the password to change email addresses
ACCOUNT_MAX_EMAIL_ADDRESSES = 3
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so they are reviewed here; "key" is the email address.
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",  # throttles password guessing per IP and per email
    "signup": "20/m/ip",
    "confirm_email": "1/180s/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[PCC Hub] "
# Wagtail's and Django's own login and password-reset pages would bypass allauth's 2FA step.
WAGTAILADMIN_LOGIN_URL = "account_login"
# Restricted pages and documents send visitors to allauth's sign-in too, not Wagtail's form.
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_TOTP_TOLERANCE = 1  # accept the neighbouring 30 s window: phone clocks drift
MFA_RECOVERY_CODE_COUNT = 10
MFA_TRUST_ENABLED = False  # ask for the code at every sign-in
# Path prefixes where moderators, editors and admins need 2FA (members.mfa_enforcement).
MEMBERS_MFA_PROTECTED_PATH_PREFIXES = ("/admin/", "/django-admin/")
MEMBERS_AVATAR_MAX_BYTES = env_int("MEMBERS_AVATAR_MAX_BYTES", 2 * 1024 * 1024)
# Auto-hide (forum.services.flags): a post flagged by this many members of trust level
# FORUM_FLAG_AUTO_HIDE_MIN_TRUST or more is hidden until a moderator reviews it.
FORUM_FLAG_AUTO_HIDE_THRESHOLD = env_int("FORUM_FLAG_AUTO_HIDE_THRESHOLD", 3)
FORUM_FLAG_AUTO_HIDE_MIN_TRUST = env_int("FORUM_FLAG_AUTO_HIDE_MIN_TRUST", 2)

# Sign-in through a generic OpenID Connect provider: off unless OIDC_SERVER_URL is set.
SOCIALACCOUNT_LOGIN_ON_GET = False  # the provider redirect starts from a POST (CSRF-safe)
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never join an existing account by email claim
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_STORE_TOKENS = False
OIDC_SERVER_URL = env_str("OIDC_SERVER_URL").rstrip("/")
OIDC_ALLOW_SIGNUP = env_bool("OIDC_ALLOW_SIGNUP", True)
SOCIALACCOUNT_PROVIDERS: dict = {}
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env_str("OIDC_PROVIDER_ID", "sso"),
                "name": env_str("OIDC_PROVIDER_NAME", "Single sign-on"),
                "client_id": env_str("OIDC_CLIENT_ID"),
                "secret": env_str("OIDC_CLIENT_SECRET"),
                "settings": {
                    "server_url": OIDC_SERVER_URL,
                    "token_auth_method": env_str("OIDC_TOKEN_AUTH_METHOD", "client_secret_basic"),
                },
            }
        ],
    }

# Every interface string is marked for translation (gettext in Python, {% translate %} in
# templates); tests/config/test_translations.py renders the main pages under a pseudo-locale
# to prove it. English is the only language until the French and Spanish catalogues exist.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Email: backend and sender come from the environment; SMTP details when the backend is SMTP.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PCC Knowledge Hub <hub@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 15

# Background jobs (django-tasks). The database backend makes queued work durable:
# a row survives a crash and the worker (`manage.py db_worker`) retries it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Immediate notification emails: at most one per member per this many minutes (the rest of
# the interval's notifications go out together); unsubscribe links stay valid this long.
NOTIFICATION_EMAIL_BATCH_MINUTES = env_int("NOTIFICATION_EMAIL_BATCH_MINUTES", 10)
UNSUBSCRIBE_LINK_MAX_AGE_DAYS = env_int("UNSUBSCRIBE_LINK_MAX_AGE_DAYS", 90)

# Search: the embedded SQLite FTS5 backend unless ELASTICSEARCH_URL is set.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
ELASTICSEARCH_API_KEY = env_str("ELASTICSEARCH_API_KEY")
ELASTICSEARCH_CA_CERTS = env_str("ELASTICSEARCH_CA_CERTS")
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "pcc")
# "embedded" or "elasticsearch" (search.backends.BACKENDS); SEARCH_BACKEND overrides the choice.
SEARCH_BACKEND = env_str("SEARCH_BACKEND", "elasticsearch" if ELASTICSEARCH_URL else "embedded")
# The embedded FTS5 index is its own SQLite file, beside SQLite or PostgreSQL alike.
SEARCH_EMBEDDED_PATH = env_str("SEARCH_EMBEDDED_PATH", str(VAR_DIR / "search-index.sqlite3"))
# With Elasticsearch on, also keep the embedded index up to date so an outage falls back to it.
SEARCH_KEEP_EMBEDDED_FALLBACK = env_bool("SEARCH_KEEP_EMBEDDED_FALLBACK", True)
# The search API lets an anonymous caller (per IP address) make this many requests per window.
SEARCH_API_ANONYMOUS_LIMIT = env_int("SEARCH_API_ANONYMOUS_LIMIT", 120)
SEARCH_API_WINDOW_SECONDS = env_int("SEARCH_API_WINDOW_SECONDS", 60)
# Wagtail's own admin search stays on the database; the hub's search lives in search/.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pcc-hub",
    },
    # Rendered fragments keyed by the revision of what they show (forum.views.
    # thread_page_cache): correct per process, so a local memory cache in each worker is
    # enough. About 100 KB an entry for a page of 100 posts: at most ~10 MB a worker.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pcc-pages",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 100},
    },
}

WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_COMMENTS_ENABLED = True
# No third-party requests, not even in the admin: avatars are not fetched from Gravatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Largest file a member may attach to a KB submission (kb.uploads checks type and content too).
KB_SUBMISSION_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# Trust levels and rate limits (members.services.trust, forum.services.limits). Threads and
# replies a member may write per hour and per day, by trust level (0 probation .. 4 leader);
# a level missing here has no limit, and moderators are never limited.
FORUM_RATE_LIMITS_ENABLED = env_bool("FORUM_RATE_LIMITS_ENABLED", True)
FORUM_RATE_LIMITS = {
    0: {
        "thread": {
            "hour": env_int("FORUM_PROBATION_THREADS_PER_HOUR", 3),
            "day": env_int("FORUM_PROBATION_THREADS_PER_DAY", 10),
        },
        "reply": {
            "hour": env_int("FORUM_PROBATION_REPLIES_PER_HOUR", 10),
            "day": env_int("FORUM_PROBATION_REPLIES_PER_DAY", 30),
        },
    },
    1: {
        "thread": {
            "hour": env_int("FORUM_BASIC_THREADS_PER_HOUR", 10),
            "day": env_int("FORUM_BASIC_THREADS_PER_DAY", 30),
        },
        "reply": {
            "hour": env_int("FORUM_BASIC_REPLIES_PER_HOUR", 30),
            "day": env_int("FORUM_BASIC_REPLIES_PER_DAY", 150),
        },
    },
}
# A member in probation writes this many posts before their posts may hold links or images.
FORUM_PROBATION_PLAIN_POSTS = env_int("FORUM_PROBATION_PLAIN_POSTS", 3)
# What raises a member's trust level automatically (every minimum must be met); level 4
# (leader) is only ever set by hand. Keys: days since joining, and the participation counts
# of members.services.trust.Participation.
MEMBERS_TRUST_REQUIREMENTS = {
    1: {"days_joined": env_int("MEMBERS_TRUST_BASIC_DAYS", 1), "posts_written": 1},
    2: {
        "days_joined": env_int("MEMBERS_TRUST_MEMBER_DAYS", 7),
        "posts_written": 10,
        "upvotes_received": 5,
    },
    3: {
        "days_joined": env_int("MEMBERS_TRUST_REGULAR_DAYS", 60),
        "posts_written": 50,
        "upvotes_received": 30,
        "accepted_answers": 3,
    },
}

# Security headers that hold in every environment. production.py adds the HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Wagtail's admin still needs inline scripts and styles; the public site does not.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
CONTENT_SECURITY_POLICY_ADMIN = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
CONTENT_SECURITY_POLICY_ADMIN_PREFIXES = ("/admin/", "/django-admin/")

# manage.py backup_create/backup_restore (operations app) find pg_dump and pg_restore on PATH or
# in the newest /usr/lib/postgresql/<version>/bin; this folder, when set, is used instead.
BACKUP_POSTGRES_BIN = env_str("BACKUP_POSTGRES_BIN")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
