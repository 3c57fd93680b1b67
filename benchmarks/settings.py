"""Production-like settings for benchmarks: DEBUG off, plus one bare view as the baseline."""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "b" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DEBUG", "0")

from patio.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
# No collectstatic step in a benchmark run: plain storage, no manifest.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = []  # noqa: F405 - measure the work, not the limiter
