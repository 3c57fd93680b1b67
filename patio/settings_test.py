"""The test override: real PostgreSQL and Redis from scripts/testenv.py, fast hashing, mail in memory.

Under pytest-xdist every worker process (gw0, gw1, …) is a separate test run: pytest-django gives
it its own test database (`test_patio_gw0`), and this module gives it its own Redis databases, so
one worker's queued tasks, results and cache never reach another's. Worker N moves the broker
from database d of REDIS_URL to d + 2(N + 1) and the cache (the broker's number plus one) with it:
gw0 uses 2 and 3, gw1 4 and 5, a serial run 0 and 1. The rewritten REDIS_URL is put back in the
environment, so the Celery processes a test starts use the same databases.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
for _name in ("REDIS_URL", "REDIS_CACHE_URL") if _worker else ():
    # The URL as testenv gave it, kept aside: a child process that loads these settings again
    # inherits the rewritten one and must not move it a second time.
    _given = os.environ.setdefault(f"PATIO_TEST_GIVEN_{_name}", os.environ.get(_name, ""))
    if _given:
        _parts = urlsplit(_given)
        _database = int(_parts.path.strip("/") or 0) + 2 * (int(_worker.removeprefix("gw")) + 1)
        os.environ[_name] = _parts._replace(path=f"/{_database}").geturl()

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-" + "k" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("EMAIL_URL", "locmem://")
# Tests of two-factor turn it on themselves (tests/accounts/test_two_factor.py); the others sign
# in coordinators and admins without one, as the demo does.
os.environ.setdefault("MFA_REQUIRED", "0")
# The open-data dumps tests build (the journeys' demo seeding too) go to a folder of this test
# process's own, never the demo's var/open-data; tests of the dumps use a temporary one.
os.environ.setdefault(
    "OPEN_DATA_ROOT",
    str(
        Path(os.environ.get("PATIO_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
        / "test-open-data"
        / (_worker or "main")
    ),
)
# Webhooks go only to this machine (the tests' receivers listen on loopback); the production
# rule is tested by overriding the setting.
os.environ.setdefault("WEBHOOK_TARGETS", "loopback")

from patio.settings import *  # noqa: E402, F403 - reads the environment set above

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {  # noqa: F405
    "token": "1000/minute",
    "anon": "1000/minute",
    "user": "1000/minute",
}
ACCOUNT_RATE_LIMITS = False
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405 - WhiteNoise warns when the folder is missing
