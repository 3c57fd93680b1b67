"""A web worker carries only what it uses: numpy (11 MB of every process that loads it) waits
for the first team match, which a web worker seldom runs (the Celery worker does)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.pure

ROOT = Path(__file__).resolve().parents[2]

SERVE = (
    "import sys, django; django.setup();"
    "from django.core.wsgi import get_wsgi_application; get_wsgi_application();"
    "from django.urls import resolve; resolve('/coops/'); resolve('/projects/1/matching/');"
)
NUMPY_RAN = "print('numpy._core.multiarray' in sys.modules)"


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "patio.settings_test"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.strip().splitlines()[-1]


def test_serving_pages_does_not_load_numpy():
    assert _run(SERVE + NUMPY_RAN) == "False"


def test_the_matcher_loads_numpy_when_it_builds_a_pool():
    built = "from projects import matching; print(len(matching.Pool.of([])));"
    assert _run(SERVE + built + NUMPY_RAN) == "True"
