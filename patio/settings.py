"""Settings for the Patio platform, read from the environment.

Every variable is listed in the README's configuration table. Defaults give the embedded mode
(SQLite, console email, a filesystem broker) so that `make run` needs no server; production sets
DEBUG=0 and the variables below, and `manage.py check --deploy` then reports nothing.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from patio.env import (
    email_settings,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_timezone,
    redis_cache_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PATIO_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (for local development, set DEBUG=1)."
        )
    SECRET_KEY = "embedded-mode-only-not-a-secret-" + "x" * 32

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# How many proxies of ours stand in front (patio.http.client_ip). 0: X-Forwarded-For is ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SITE_NAME = "Patio"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Before the admin: it patches the admin's forms for translated fields (members/translation.py).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_countries",
    "django_celery_beat",
    "corsheaders",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # ours, lowest first: an app imports only apps above it in this list
    "patio",
    "audit",
    "accounts",
    "webhooks",
    "members",
    "notifications",
    "circles",
    "projects",
    "catalogue",
    "intake",
    "casestudies",
    "assemblies",
    "policies",
    "polls",
    "fund",
    "hub",
    "sync",
    "privacy",
    "murmurations",
    "opendata",
    "offers",
    "discussions",
    "mediation",
    "feedback",
]

MIDDLEWARE = [
    "patio.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "patio.middleware.ReadOnlyCorsMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "patio.middleware.PrivateByDefaultMiddleware",
    "patio.middleware.ApiHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "patio.middleware.ApiPathMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "patio.middleware.SecurityEventsMiddleware",
    "members.middleware.PersonPreferencesMiddleware",
    "patio.middleware.LanguageFromQueryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SignInRulesMiddleware",
    "patio.middleware.SiteNotFoundMiddleware",
    "patio.middleware.DatabaseUnavailableMiddleware",
]
# With DEBUG on, 404s still show the site's page (patio.middleware); 1 shows Django's listing.
DEBUG_TECHNICAL_404 = env_bool("DEBUG_TECHNICAL_404", False)

ROOT_URLCONF = "patio.urls"
FORM_RENDERER = "patio.forms.FormRenderer"
WSGI_APPLICATION = "patio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accounts.context_processors.two_factor_demo_notice",
                "notifications.context_processors.bell",
            ],
        },
    }
]

# Database: SQLite in the embedded mode, PostgreSQL (DATABASE_URL) everywhere else.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'patio.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server, the worker and beat read while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A database that does not accept a connection fails the request (and /healthz) in seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USES_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["members.auth.PersonAwareBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Accounts: login by email, joining by invitation only (members.adapters).
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Patio] "
# Adding or changing an address, or the password, is told to the addresses already there.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Changing the email address or password asks for the password (or a second factor) again,
# unless the person gave it in the last 10 minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 10 * 60
# A password reset link works for 24 hours (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
# Failed logins grow the wait before the next attempt (accounts.login_throttle) and never lock
# an account: allauth's own lock is off. Its other limits (signup, password reset…) stay on.
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = {"login_failed": ""}
LOGIN_THROTTLE: dict[str, Any] = {
    "window": 15 * 60,
    "rules": {
        "address": {"free": 20, "cap": 15 * 60},
        "account_address": {"free": 5, "cap": 15 * 60},
        "account": {"free": 10, "cap": 60},
    },
}
# Two-factor: an authenticator app (TOTP), passkeys (WebAuthn) and recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Patio"
MFA_PASSKEY_LOGIN_ENABLED = True
# The embedded demo runs on http://127.0.0.1, which browsers treat as a secure origin anyway.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Network admins, circle coordinators, finance approvers and co-op admins (accounts.roles) set
# up two-factor before anything else. On whenever DEBUG is off; the embedded demo turns it off
# so that every demo role can be tried with the README's password, and says so on its pages.
MFA_REQUIRED = env_bool("MFA_REQUIRED", not DEBUG)
# Idle sessions end: sooner for those roles (seconds).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 14 * 24 * 3600)
SESSION_IDLE_TIMEOUT_ELEVATED = env_int("SESSION_IDLE_TIMEOUT_ELEVATED", 2 * 3600)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
INVITATION_DAYS = env_int("INVITATION_DAYS", 14)
# Retention (days): used, revoked or expired invitations, and expired or revoked API tokens, are
# deleted this long after (members.tasks.purge_invitations, accounts.tasks.purge_api_tokens).
INVITATION_RETENTION_DAYS = env_int("INVITATION_RETENTION_DAYS", 30)
API_TOKEN_RETENTION_DAYS = env_int("API_TOKEN_RETENTION_DAYS", 30)
# The API's changes feed keeps deletions this many days (sync.tasks.purge_tombstones): a partner
# that syncs less often fetches the lists again in full.
API_TOMBSTONE_RETENTION_DAYS = env_int("API_TOMBSTONE_RETENTION_DAYS", 90)
# Privacy: closed help requests are anonymised after this many months; a download of one's own
# data stays available for this many days.
HELP_REQUEST_RETENTION_MONTHS = env_int("HELP_REQUEST_RETENTION_MONTHS", 18)
DATA_EXPORT_DAYS = env_int("DATA_EXPORT_DAYS", 7)
# Mediation cases are forgotten this many months after they ended (agreement, no agreement or
# escalation): the parties may need them a while, but not for ever.
MEDIATION_RETENTION_MONTHS = env_int("MEDIATION_RETENTION_MONTHS", 24)
# Downloads of one's data: a folder of their own, never served as media.
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT", str(VAR_DIR / "private")))
# Open data (opendata/): the nightly dumps at /open-data/ live in the "opendata" storage (see
# STORAGES; a folder by default, which web and worker must share); the last OPEN_DATA_KEEP stay.
OPEN_DATA_ROOT = Path(env_str("OPEN_DATA_ROOT", str(VAR_DIR / "open-data")))
OPEN_DATA_KEEP = env_int("OPEN_DATA_KEEP", 12)
if OPEN_DATA_KEEP < 1:
    raise ImproperlyConfigured("OPEN_DATA_KEEP must be at least 1.")

# Internationalisation: the network's eight languages; times in UTC, shown in the reader's zone.
LANGUAGE_CODE = "en"
# Only languages with a complete catalogue (tests/patio/test_translations.py enforces it); the
# switcher offers exactly these, each by its own name (CLDR, through Django's LANG_INFO).
LANGUAGES = [
    ("en", _("English")),
    ("bg", _("Bulgarian")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("ja", _("Japanese")),
    ("pt-br", _("Portuguese (Brazil)")),
    ("ru", _("Russian")),
    ("tr", _("Turkish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The controlled vocabularies (skills, skill categories, sectors) carry a name per language, one
# column each (`name_en`, `name_ja`, `name_pt_br`…, members/translation.py): every language the site
# speaks or will, so adding one to LANGUAGES needs no migration (tests/members/
# test_vocabulary_languages.py checks that each of LANGUAGES has its column). A name not given in
# the reader's language is read in English.
MODELTRANSLATION_LANGUAGES = ("en", "bg", "es", "fr", "ja", "pt-br", "ru", "tr")
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Slugs are made from the English name, whatever language the admin is read in.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"
TIME_ZONE = "UTC"
# The network's calendar: the zone whose date is "today" for memberships, terms, due dates and
# rounds (patio.dates.network_today), whoever acts and wherever the worker runs.
NETWORK_TIMEZONE = env_timezone("NETWORK_TIMEZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The open-data dumps (opendata.services): replace it with an object store's backend to
    # keep them there; the site serves them through its own view either way.
    "opendata": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": OPEN_DATA_ROOT},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# Uploads: each file at most UPLOAD_MAX_BYTES, refused while it streams, never written to a
# temporary file (patio.uploads). A logo is the largest thing anyone uploads.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 512 * 1024)
FILE_UPLOAD_HANDLERS = ["patio.uploads.LimitedUploadHandler"]
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Email: the console in the embedded mode, SMTP when EMAIL_URL says so.
globals().update(email_settings(env_str("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Patio <noreply@patio.coop>")
# Seconds an SMTP connection may block: a hung mail server fails the send (it is retried)
# instead of holding a claim until the task's time limit.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mailbox that reads "unsubscribe <token>" subjects, added to List-Unsubscribe when set.
EMAIL_UNSUBSCRIBE_MAILTO = env_str("EMAIL_UNSUBSCRIBE_MAILTO", "")

# Redis serves as broker and cache when REDIS_URL is set; the embedded mode uses a folder.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # The cache gets its own Redis database: clearing it must never drop queued tasks.
    CACHES = {
        "default": {
            "BACKEND": "patio.cache.RedisCache",  # Django's, reusing its client (patio/cache.py)
            "LOCATION": env_str("REDIS_CACHE_URL", redis_cache_url(REDIS_URL)),
            # A Redis that does not answer fails the request (and /healthz) within seconds.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": 3600,
        # A broker that does not answer fails a publish within seconds (patio.outbox keeps the
        # task), rather than hold the request that committed it.
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "filesystem://localhost//"  # the host is unused; naming it avoids a warning
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # kombu's default is a `control` folder in the working directory (the worker's pidbox)
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A task whose worker dies while running it (acks_late) comes back; after this many deliveries it
# is not run again but listed in the admin's "Failed tasks" (patio.failed_tasks).
TASK_MAX_DELIVERIES = env_int("TASK_MAX_DELIVERIES", 3)
# Seconds a matching run may go without a heartbeat before it counts as lost and is failed.
MATCH_RUN_HEARTBEAT_TIMEOUT = env_int("MATCH_RUN_HEARTBEAT_TIMEOUT", 300)
# Periodic work (beat copies these into its database schedule on start). Times are UTC.
CELERY_BEAT_SCHEDULE = {
    "beat-heartbeat": {  # the row /healthz reads (patio.health): beat and a worker are alive
        "task": "patio.tasks.beat_heartbeat",
        "schedule": crontab(),
        # A heartbeat that waited in the queue says nothing about now: dropped, not run late.
        "options": {"expire_seconds": 50},  # django-celery-beat's name for `expires`
    },
    "refresh-participation": {  # end dates that pass with no write change who is active
        "task": "circles.tasks.refresh_participation",
        "schedule": crontab(minute=15, hour=0),
    },
    "match-runs-lost": {  # runs whose worker stopped beating (MATCH_RUN_HEARTBEAT_TIMEOUT)
        "task": "projects.tasks.fail_lost_match_runs",
        "schedule": crontab(),
    },
    "notification-digests": {  # daily and weekly digests, due at 08:00 in each person's zone
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(minute=5),
    },
    "sends-unsent": {  # emails a killed worker claimed, or whose task died with it: again
        "task": "patio.tasks.requeue_unsent_sends",
        "schedule": crontab(minute="*/5"),
    },
    "webhooks-due": {  # webhook deliveries due for another attempt (webhooks.services)
        "task": "webhooks.tasks.dispatch_due",
        "schedule": 30.0,
        "options": {"expire_seconds": 25},  # the next one comes soon: dropped, not run late
    },
    "webhooks-prune": {  # events older than WEBHOOK_RETENTION_DAYS, with their delivery logs
        "task": "webhooks.tasks.prune_events",
        "schedule": crontab(minute=5, hour=3),
    },
    "outbox-sweep": {  # tasks whose relay after commit failed (the broker was down): again
        "task": "patio.tasks.outbox_sweep",
        "schedule": 30.0,
        "options": {"expire_seconds": 25},  # the next sweep comes soon: dropped, not run late
    },
    "assembly-reminders": {  # due invitations and reminders, each claimed once per person
        "task": "assemblies.tasks.dispatch_reminders",
        "schedule": crontab(minute="*/5"),
    },
    "assembly-series": {  # the next assemblies of each recurring series
        "task": "assemblies.tasks.extend_series",
        "schedule": crontab(minute=0, hour=3),
    },
    "assembly-minutes-approve": {  # draft minutes whose correction time is over
        "task": "assemblies.tasks.approve_due_minutes",
        "schedule": crontab(minute=10),
    },
    "consent-rounds-close": {  # rounds close on time
        "task": "policies.tasks.close_rounds",
        "schedule": crontab(),
    },
    "policy-reminders": {  # rounds closing in two days; policies due for review
        "task": "policies.tasks.dispatch_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "fund-pledge-reminders": {  # pledges due in three days or overdue for two weeks
        "task": "fund.tasks.queue_pledge_reminders",
        "schedule": crontab(minute=30, hour=6),
    },
    # Retention: invitations and API tokens past their use (INVITATION/API_TOKEN_RETENTION_DAYS).
    "purge-invitations": {
        "task": "members.tasks.purge_invitations",
        "schedule": crontab(minute=40, hour=2),
    },
    "purge-api-tokens": {
        "task": "accounts.tasks.purge_api_tokens",
        "schedule": crontab(minute=45, hour=2),
    },
    "purge-tombstones": {  # the API's changes feed (API_TOMBSTONE_RETENTION_DAYS)
        "task": "sync.tasks.purge_tombstones",
        "schedule": crontab(minute=55, hour=2),
    },
    # privacy: retention of closed help requests, and downloads of one's data that expired
    "intake-retention": {
        "task": "intake.tasks.anonymise_closed_help_requests",
        "schedule": crontab(minute=45, hour=2),
    },
    "mediation-retention": {  # cases that ended MEDIATION_RETENTION_MONTHS ago are forgotten
        "task": "mediation.tasks.forget_ended_cases",
        "schedule": crontab(minute=52, hour=2),
    },
    "privacy-exports-expire": {
        "task": "privacy.tasks.expire_data_exports",
        "schedule": crontab(minute=50, hour=2),
    },
    "open-data-dump": {  # the night's dump of the public network at /open-data/, then pruning
        "task": "opendata.tasks.build_nightly_dump",
        "schedule": crontab(minute=30, hour=1),
    },
    # offers and wants: posts past their end date close; saved searches' digests
    "offers-expire": {
        "task": "offers.tasks.expire_posts",
        "schedule": crontab(minute=20, hour=0),
    },
    "offers-digest-daily": {
        "task": "offers.tasks.send_digests",
        "schedule": crontab(minute=0, hour=7),
        "args": ["daily"],
    },
    "offers-digest-weekly": {
        "task": "offers.tasks.send_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
        "args": ["weekly"],
    },
    # polls: close those past their closing time; remind those who haven't voted
    "polls-close-due": {
        "task": "polls.tasks.close_due_polls",
        "schedule": 60.0,
    },
    "polls-remind": {
        "task": "polls.tasks.send_poll_reminders",
        "schedule": 300.0,
    },
    # feedback: the one reminder to those who haven't answered
    "feedback-remind": {
        "task": "feedback.tasks.send_feedback_reminders",
        "schedule": 900.0,
    },
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The transactional outbox (patio.outbox): a pending task older than the sweep delay is relayed
# by the sweeper; a relay's claim older than the claim time is taken to have died with its
# process; /healthz fails when a task waits longer than the backlog limit.
OUTBOX_SWEEP_AFTER_SECONDS = env_int("OUTBOX_SWEEP_AFTER_SECONDS", 5)
OUTBOX_CLAIM_SECONDS = env_int("OUTBOX_CLAIM_SECONDS", 60)
OUTBOX_BACKLOG_SECONDS = env_int("OUTBOX_BACKLOG_SECONDS", 120)
OUTBOX_RETENTION_DAYS = env_int("OUTBOX_RETENTION_DAYS", 7)
# An email claimed this long ago and still not marked sent was abandoned by a killed worker: it is
# claimed and sent again (patio.delivery). Far longer than a live sender holds a claim.
DELIVERY_RECLAIM_SECONDS = env_int("DELIVERY_RECLAIM_SECONDS", 900)
# Rows due and never sent are queued again for this many days; older ones are left alone (an
# outage that long needs a person, not a flood of old emails).
DELIVERY_REQUEUE_DAYS = env_int("DELIVERY_REQUEUE_DAYS", 2)
# Webhooks for partner tools (webhooks/). Where they may go: "public" (https to public addresses
# only, the production rule against request forgery) or "loopback" (this machine only: the demo
# and the tests, so nothing leaves it). webhooks.targets explains both.
WEBHOOK_TARGETS = env_str("WEBHOOK_TARGETS", "loopback" if DEBUG else "public")
if WEBHOOK_TARGETS not in {"public", "loopback"}:
    raise ImproperlyConfigured(
        f"WEBHOOK_TARGETS={WEBHOOK_TARGETS!r} is not a mode: use public or loopback."
    )
# Seconds an attempt waits to connect and for each read of the answer.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# A failed attempt is tried again after WEBHOOK_RETRY_FIRST_SECONDS, then twice as long each
# time, until WEBHOOK_RETRY_HOURS after the first attempt.
WEBHOOK_RETRY_FIRST_SECONDS = env_int("WEBHOOK_RETRY_FIRST_SECONDS", 30)
WEBHOOK_RETRY_HOURS = env_int("WEBHOOK_RETRY_HOURS", 24)
# A subscription whose every attempt has failed for this long is paused; its owner is emailed.
WEBHOOK_PAUSE_AFTER_DAYS = env_int("WEBHOOK_PAUSE_AFTER_DAYS", 3)
# Events (with their deliveries and attempts) are kept this long for the delivery logs.
WEBHOOK_RETENTION_DAYS = env_int("WEBHOOK_RETENTION_DAYS", 30)
WEBHOOK_MAX_SUBSCRIPTIONS_PER_TOKEN = env_int("WEBHOOK_MAX_SUBSCRIPTIONS_PER_TOKEN", 10)
# The Murmurations index that public co-ops' profiles are registered with (murmurations/), with
# its API version, e.g. https://index.murmurations.network/v2. Empty (the default): nothing is
# ever sent, and no registration task is queued or scheduled.
MURMURATIONS_INDEX_URL = env_str("MURMURATIONS_INDEX_URL", "").strip().rstrip("/")
if MURMURATIONS_INDEX_URL and not MURMURATIONS_INDEX_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"MURMURATIONS_INDEX_URL={MURMURATIONS_INDEX_URL!r} is not an http(s) URL."
    )
# Seconds a request to the index waits to connect and for each read of its answer.
MURMURATIONS_TIMEOUT_SECONDS = env_int("MURMURATIONS_TIMEOUT_SECONDS", 10)
# A failed registration is tried again after MURMURATIONS_RETRY_FIRST_SECONDS, then twice as
# long each time; after MURMURATIONS_MAX_ATTEMPTS failures in a row it waits for the next change,
# the daily reconciliation or an admin.
MURMURATIONS_RETRY_FIRST_SECONDS = env_int("MURMURATIONS_RETRY_FIRST_SECONDS", 60)
MURMURATIONS_MAX_ATTEMPTS = env_int("MURMURATIONS_MAX_ATTEMPTS", 8)
if MURMURATIONS_INDEX_URL:
    CELERY_BEAT_SCHEDULE |= {
        "murmurations-due": {  # registrations due for another attempt (murmurations.services)
            "task": "murmurations.tasks.dispatch_due",
            "schedule": 60.0,
            "options": {"expire_seconds": 55},  # the next one comes soon: dropped, not run late
        },
        "murmurations-statuses": {  # what the index made of the profiles it was sent
            "task": "murmurations.tasks.check_statuses",
            "schedule": crontab(minute="*/5"),
        },
        "murmurations-reconcile": {  # profiles a write outside the services left behind
            "task": "murmurations.tasks.reconcile",
            "schedule": crontab(minute=10, hour=4),
        },
    }
# The domain of every email's stable Message-ID (patio.emails.message_id); SITE_URL's by default.
EMAIL_MESSAGE_ID_DOMAIN = env_str("EMAIL_MESSAGE_ID_DOMAIN", "")

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api_auth.TokenScopePermission"],
    # Ordering first: a filter that orders by itself (`updated_since`) then has the last word,
    # and patio.pagination pages in whatever order the queryset ends with.
    "DEFAULT_FILTER_BACKENDS": [
        "patio.filters.StrictOrderingFilter",
        "django_filters.rest_framework.DjangoFilterBackend",
        # Last: with `updated_since` a list is ordered by its changes (patio.sync), and
        # `ordering` with it is refused.
        "patio.sync.UpdatedSinceFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "patio.api.KeysetPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_PARSER_CLASSES": ["patio.api.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # drf-spectacular's, plus the errors and optional auth every operation shares.
    "DEFAULT_SCHEMA_CLASS": "patio.schema.AutoSchema",
    "EXCEPTION_HANDLER": "patio.api.problem_exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.api_auth.TokenRateThrottle",
        "accounts.api_auth.AnonRateThrottle",
        "accounts.api_auth.SessionUserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("API_RATE_TOKEN", "600/minute"),
        "anon": env_str("API_RATE_ANON", "60/minute"),
        "user": env_str("API_RATE_USER", "600/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# CORS (patio.middleware.ReadOnlyCorsMiddleware): browser apps on these origins may read the
# API with a bearer token; only /api/, only reads, never with cookies. Empty: no CORS at all.
CORS_ALLOWED_ORIGINS = env_list("API_CORS_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = [
    "accept",
    "accept-language",
    "authorization",
    "if-none-match",
    "if-modified-since",
]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Link",
    "Last-Modified",
    "Location",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
]
# Requests for help (intake.throttles): accepted submissions per address, and per signed-in
# account (a partner tool forwarding what it collected).
HELP_REQUEST_RATE = env_str("HELP_REQUEST_RATE", "5/hour")
HELP_REQUEST_PARTNER_RATE = env_str("HELP_REQUEST_PARTNER_RATE", "100/hour")
# Directory downloads (members.downloads): per account, both directories together; and the most
# people one file holds (a larger filtered list is narrowed first).
DIRECTORY_DOWNLOAD_RATE = env_str("DIRECTORY_DOWNLOAD_RATE", "30/hour")
DIRECTORY_DOWNLOAD_MAX_PEOPLE = env_int("DIRECTORY_DOWNLOAD_MAX_PEOPLE", 10_000)
SPECTACULAR_SETTINGS = {
    "TITLE": "Patio API",
    # tests/api/test_schema_exact.py checks that this names every resource the API serves.
    "DESCRIPTION": """The API of the Patio network of worker co-operatives, for partner tools.
`GET /api/v1/` lists every resource.

**Resources**
- The directory: `organisations` (co-ops, federations and partners), `people`, `skills`.
- Circles: `circles` and `circle-memberships` (who serves in which circle, in which role).
- Work: `opportunities` (jobs a circle posts, with their roles, interest and alerts),
  `projects` (with their teams, invitations and matching), `team-roles`, `team-memberships`,
  `match-runs` (a matching run's progress and proposal) and `help-requests` (requests for help
  from outside the network, which triage turns into opportunities).
- The technology catalogue: `software` (entries with their licence, makers, providers and
  users; import from a publiccode.yml).
- Case studies: `case-studies` (a finished project's story, drafted from the project by its
  lead, published once the client's permission is recorded).
- Monthly assemblies: `assemblies` (and RSVPs), `agenda-items`, `circle-updates`, `decisions`
  (the decisions log), `action-items` and `corrections` to a closed assembly's record.
- Policies: `policies` (with their versions) and `amendments` (proposals, consent rounds and
  the answers to them).
- The knowledge hub: `guides` (written by members, reviewed by a circle, published, with their
  translations) and `learning-paths` (guides in reading order, put together by coordinators,
  with the caller's own progress, marked guide by guide).
- The common fund: `fund/contributions`, `fund/pledges`, `fund/budgets`, `fund/claims` (payout
  claims, their approval and payment) and `fund/ledger` (every money movement, read-only).
- Offers and wants: `offers` (spare capacity, tools, rooms, mentoring and subcontracting that
  co-ops offer or look for, with their replies) and `offers/searches` (the caller's own saved
  searches, each sending a daily or weekly digest of new matching posts).
- Polls: `polls` (proposals, choices, scores, ranked choice, dot votes and time polls of a
  circle or the network: vote, close early, record the outcome; results hidden until the close
  when the poll says so, and never who voted what in an anonymous poll).
- Discussions: `discussions` (threads in the network, a circle, or about a policy, an
  opportunity or an agenda item, with their replies, one level deep).
- Feedback: `feedback` (the caller's own requests for feedback from those they work with, with
  every answer; read-only).
- Access: `tokens`, the API tokens that act as a person.
- Webhooks: `webhooks/subscriptions`, a write token's endpoints for the events it wants, each
  with its recent deliveries (`webhooks/deliveries`, every attempt and the receiver's answer)
  and redelivery by hand. Every event type and its body is documented under `x-webhooks`.
- Sync: `changes`, the feed of deletions (tombstones) since a time; every list also takes
  `updated_since`, for the rows changed at or after it.

**Identifiers.** `organisations`, `circles`, `policies` and `skills` are looked up by their
`slug`, languages by their `code`; every other resource by its integer `id`. A related object is
written the way it is read. Where a response gives the key (`"circle": "finance"`), a request
sends that key. Where a response embeds the object (`"facilitator": {"id": 12, "display_name":
"Ana"}`), a request sends an object with just its key: `{"id": 12}` for a person (`facilitator`,
`note_taker`, `owner`, `person`, `coordinators`), `{"slug": "camplight"}` for a co-op.

**Authentication.** `Authorization: Bearer <token>`; a read token only reads, a write token
acts as its person. An operation whose `security` includes `{}` may also be called without a
credential, and then shows what a visitor may see; the others answer 401 without one.

**Requests and responses.** Bodies are JSON; a field the operation does not take, or a value
of another JSON type than documented, is refused. Amounts and hours are decimal strings
(`"12.50"`); times of day are `hh:mm:ss` in UTC, without an offset. Lists are cursor pages
(`next`, `previous`; `page_size` up to 100).

**Errors** are RFC 9457 problem details (`application/problem+json`): `type`, `title`,
`status`, `detail`, and for invalid input `errors`, keyed by field. Each operation documents
the ones it may answer.

**HTTP.** Every path is served with or without its trailing slash (`POST /api/v1/skills` is
`POST /api/v1/skills/`; no redirect); an unknown path under `/api/` is a 404 problem. Every
answer a throttle counted carries `RateLimit-Limit`, `RateLimit-Remaining` and
`RateLimit-Reset` (seconds), for the tightest budget that applies. Reads carry a weak `ETag`
(and `Last-Modified` where the record keeps the time); `If-None-Match` / `If-Modified-Since`
get a 304. A 201 carries the `Location` of what it created. Every POST takes an
`Idempotency-Key`: the same key and body give the first answer again
(`Idempotent-Replayed: true`), another body a 422. Browser apps on the origins the operator
allows (`API_CORS_ORIGINS`) may read with a bearer token (GET only, no cookies).""",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "ENUM_NAME_OVERRIDES": {
        "PollKindEnum": "polls.models.Poll.Kind",
        "PollElectorateEnum": "polls.models.Poll.Electorate",
        "FieldVisibilityEnum": "members.models.Visibility",
        "OrganisationStatusEnum": "members.models.Organisation.Status",
        "CircleStatusEnum": "circles.models.Circle.Status",
        "OpportunityStatusEnum": "projects.models.Opportunity.Status",
        "HelpRequestStatusEnum": "intake.models.HelpRequest.Status",
        "SoftwareStatusEnum": "catalogue.models.Software.Status",
        "OrganisationKindEnum": "members.models.Organisation.Kind",
        "AssemblyStatusEnum": "assemblies.models.Assembly.Status",
        "AgendaItemKindEnum": "assemblies.models.AgendaItem.Kind",
        "RsvpAnswerEnum": "assemblies.models.Rsvp.Answer",
        "ActionItemStatusEnum": "assemblies.models.ActionItem.Status",
        "OpportunityVisibilityEnum": "projects.models.Opportunity.Visibility",
        "DecisionMethodEnum": "assemblies.models.Decision.Method",
        "AmendmentStatusEnum": "policies.models.Amendment.Status",
        "PolicyCategoryEnum": "policies.models.Policy.Category",
        "PolicyVisibilityEnum": "policies.models.Policy.Visibility",
        "ThreadVisibilityEnum": "discussions.models.Thread.Visibility",
        "ConsentAnswerEnum": "policies.models.ConsentResponse.Answer",
        "ConsentRoundOutcomeEnum": "policies.models.ConsentRound.Outcome",
        "DecisionOutcomeEnum": "assemblies.models.Decision.Outcome",
        "WebhookSubscriptionStatusEnum": "webhooks.models.Subscription.Status",
        "WebhookDeliveryStatusEnum": "webhooks.models.Delivery.Status",
        "GuideCategoryEnum": "hub.models.Guide.Category",
        "GuideStatusEnum": "hub.models.Guide.Status",
        "ApiTokenScopeEnum": "accounts.models.ApiToken.Scope",
        "OfferKindEnum": "offers.models.Post.Kind",
        "OfferScopeEnum": "offers.models.Post.Scope",
        "OfferVisibilityEnum": "offers.models.Post.Visibility",
        "OfferStateEnum": "offers.models.Post.State",
        "OfferExchangeEnum": "offers.models.Post.Exchange",
        "SavedSearchFrequencyEnum": "offers.models.SavedSearch.Frequency",
        "PledgeFrequencyEnum": "fund.models.Pledge.Frequency",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "patio.schema.add_http_contract",
        "patio.schema.add_problem_component",
        "webhooks.schema.add_webhooks",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Security. Production (DEBUG=0) gets HTTPS-only cookies and HSTS; `check --deploy` is clean.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Nothing on the site uses these browser features, so no page (nor anything injected) may.
# Passkeys (publickey-credentials-*) stay allowed: two-factor sign-in uses them.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Security events (patio.security_log) are JSON lines on standard error, apart from the rest.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "security": {
            "()": "patio.security_log.SecurityFormatter",
            "fmt": "%(levelname)s %(message)s",
            "rename_fields": {"levelname": "level"},
            "timestamp": True,  # ISO 8601, in UTC
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": {"class": "logging.StreamHandler", "formatter": "security"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "patio.security": {
            "handlers": ["security"],
            "level": env_str("SECURITY_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}

# Fund: the largest single contribution (or pledge) per currency, and the day the fund opened
# (no contribution is dated before it). FUND_CONTRIBUTION_CEILING is JSON such as
# {"EUR": "1000000.00", "JPY": "150000000"}; "default" covers the currencies it does not name.
# A bad value stops the start, as every other setting does.
FUND_CONTRIBUTION_CEILING: dict[str, Decimal] = {
    code: Decimal(str(value))
    for code, value in {
        "default": "1000000.00",
        **json.loads(env_str("FUND_CONTRIBUTION_CEILING", "{}")),
    }.items()
}
FUND_STARTED_ON = datetime.date.fromisoformat(env_str("FUND_STARTED_ON", "2020-01-01"))

# /metrics (patio.metrics): readable with `Authorization: Bearer <METRICS_TOKEN>`, or from
# loopback without one. Empty: loopback only.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

# Error reporting: off unless SENTRY_DSN is set; never sends personal data (patio.sentry).
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    from patio.sentry import init_sentry

    init_sentry(SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"))
