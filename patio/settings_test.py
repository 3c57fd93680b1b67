"""The test override: real PostgreSQL and Redis from scripts/testenv.py, fast hashing, mail in memory."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-" + "k" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("EMAIL_URL", "locmem://")
# Tests of two-factor turn it on themselves (tests/accounts/test_two_factor.py); the others sign
# in coordinators and admins without one, as the demo does.
os.environ.setdefault("MFA_REQUIRED", "0")

from patio.settings import *  # noqa: F403

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
