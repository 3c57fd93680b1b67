"""Production settings pass Django's deployment checklist, and the models match their migrations."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_environment(tmp_path) -> dict[str, str]:
    """What a deployer sets, and nothing from the test override (no DEBUG, no relaxed HTTPS)."""
    return {
        "DJANGO_SETTINGS_MODULE": "patio.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "patio.example",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
        "PATIO_VAR_DIR": str(tmp_path),
    }


def test_production_settings_pass_the_deployment_checklist_without_warnings(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_environment(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    environment = production_environment(tmp_path)
    del environment["SECRET_KEY"]
    result = manage("check", env=environment)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_every_model_change_has_its_migration(tmp_path):
    result = manage("makemigrations", "--check", "--dry-run", env=production_environment(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
