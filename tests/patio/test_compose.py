"""docker-compose.yml and the Dockerfile describe the production shape. No Docker engine runs
here, so these tests read both files and check that everything they name exists in the repo and
that the environment they give the containers is one the settings accept."""

from __future__ import annotations

import importlib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from celery import Celery
from celery.utils.imports import symbol_by_name
from django.conf import settings
from django.core.management import get_commands
from django.urls import resolve

pytestmark = pytest.mark.pure

ROOT = Path(__file__).resolve().parents[2]
PATIO_SERVICES = ("web", "worker", "beat")
SETTINGS_READ = re.compile(r"""env_(?:str|bool|int|list)\(\s*["']([A-Z0-9_]+)["']""")
INTERPOLATION = re.compile(r"\$\{(\w+)(?::([?-])([^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    with open(ROOT / "docker-compose.yml") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_of(service: dict) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


# Variables a library reads from the environment itself, with the module of ours that relies on it.
READ_ELSEWHERE = {"PROMETHEUS_MULTIPROC_DIR": "patio/metrics.py"}


def variables_the_settings_read() -> set[str]:
    settings_read = set(SETTINGS_READ.findall((ROOT / "patio" / "settings.py").read_text()))
    elsewhere = {
        name for name, module in READ_ELSEWHERE.items() if name in (ROOT / module).read_text()
    }
    return settings_read | elsewhere


def interpolate(value: str, given: dict[str, str]) -> str:
    """What Compose does with ${VAR}, ${VAR:-default} and ${VAR:?error}."""

    def replace(match: re.Match) -> str:
        name, operator, argument = match.groups()
        if given.get(name):
            return given[name]
        if operator == "?":
            raise LookupError(f"{name}: {argument}")
        return argument if operator == "-" else ""

    return INTERPOLATION.sub(replace, value)


def test_compose_defines_the_production_services(services):
    assert {"postgres", "redis", "web", "worker", "beat", "mailpit"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["mailpit"]["image"].startswith("axllent/mailpit")


def test_web_runs_gunicorn_on_the_wsgi_application_of_the_project(services):
    command = command_of(services["web"])
    assert command[0] == "gunicorn"
    module_name, _, attribute = command[1].partition(":")
    module = importlib.import_module(module_name)
    assert callable(getattr(module, attribute or "application"))
    assert f"{module_name}.application" == settings.WSGI_APPLICATION


@pytest.mark.parametrize("service, subcommand", [("worker", "worker"), ("beat", "beat")])
def test_worker_and_beat_run_the_celery_app_of_the_project(services, service, subcommand):
    command = command_of(services[service])
    assert command[:4] == ["celery", "-A", "patio", subcommand]
    # `celery -A patio` finds the app in patio/celery.py, which loads the Django settings.
    from patio.celery import app

    assert isinstance(app, Celery)
    assert app.main == "patio"


def test_beat_keeps_its_schedule_in_the_database(services):
    command = command_of(services["beat"])
    scheduler = command[command.index("--scheduler") + 1]
    assert scheduler == settings.CELERY_BEAT_SCHEDULER
    assert symbol_by_name(scheduler).__name__ == "DatabaseScheduler"


def test_every_manage_py_command_in_compose_exists(services):
    used = [
        command_of(service)
        for service in services.values()
        if "command" in service and "manage.py" in command_of(service)
    ]
    assert used, "migrations must be applied by some service"
    for command in used:
        subcommand = command[command.index("manage.py") + 1]
        assert subcommand in get_commands(), subcommand
    assert (ROOT / "manage.py").exists()


def test_migrations_are_applied_before_web_worker_and_beat_start(services):
    assert command_of(services["migrate"])[-3:] == ["manage.py", "migrate", "--no-input"]
    for name in PATIO_SERVICES:
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


@pytest.mark.parametrize("name", PATIO_SERVICES)
def test_web_worker_and_beat_wait_for_healthy_postgres_and_redis(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["postgres"] == {"condition": "service_healthy"}
    assert depends_on["redis"] == {"condition": "service_healthy"}
    assert "healthcheck" in services["postgres"]
    assert "healthcheck" in services["redis"]


@pytest.mark.parametrize("name", [*PATIO_SERVICES, "migrate"])
def test_containers_get_only_variables_the_settings_read(services, name):
    environment = services[name]["environment"]
    assert set(environment) <= variables_the_settings_read()


def test_compose_has_no_default_secret_key(services):
    for name in PATIO_SERVICES:
        assert services[name]["environment"]["SECRET_KEY"] == "${SECRET_KEY:?set SECRET_KEY}"
    with pytest.raises(LookupError, match="SECRET_KEY"):
        interpolate(services["web"]["environment"]["SECRET_KEY"], {})


def test_containers_reach_postgres_redis_and_mailpit_by_service_name(services):
    environment = {
        key: interpolate(str(value), {"SECRET_KEY": "s", "POSTGRES_PASSWORD": "p"})
        for key, value in services["web"]["environment"].items()
    }
    database = urlsplit(environment["DATABASE_URL"])
    assert (database.scheme, database.hostname, database.path) == ("postgres", "postgres", "/patio")
    postgres = services["postgres"]["environment"]
    assert database.username == postgres["POSTGRES_USER"]
    assert database.path.lstrip("/") == postgres["POSTGRES_DB"]
    assert urlsplit(environment["REDIS_URL"]).hostname == "redis"
    assert environment["EMAIL_URL"] == "smtp://mailpit:1025"
    assert environment["DEBUG"] == "0"


def test_the_settings_load_in_production_mode_with_the_compose_environment(services, tmp_path):
    given = {"SECRET_KEY": "k" * 50, "POSTGRES_PASSWORD": "p", "ALLOWED_HOSTS": "patio.example"}
    environment = {
        key: interpolate(str(value), given) for key, value in services["web"]["environment"].items()
    }
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.CELERY_BROKER_URL, s.EMAIL_HOST, s.EMAIL_PORT, "
        "s.DATABASES['default']['HOST'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "patio.settings",
            "PATIO_VAR_DIR": str(tmp_path),
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "['patio.example',",
        "'127.0.0.1']",
        "redis://redis:6379/0",
        "mailpit",
        "1025",
        "postgres",
    ]


def test_web_healthcheck_asks_the_health_endpoint(services):
    probe = " ".join(services["web"]["healthcheck"]["test"])
    url = re.search(r"http://127\.0\.0\.1:8000(/\S*?)['\"]", probe)
    assert url is not None, probe
    assert resolve(url.group(1)).url_name == "healthz"
    assert "8000:8000" in services["web"]["ports"][0]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def test_dockerfile_builds_on_the_python_the_project_requires(dockerfile):
    assert re.search(r"^FROM python:3\.11-slim-bookworm$", dockerfile, re.MULTILINE)


def test_dockerfile_copies_files_that_exist(dockerfile):
    for line in re.findall(r"^COPY (.+)$", dockerfile, re.MULTILINE):
        *sources, _destination = line.split()
        for source in sources:
            assert (ROOT / source).exists(), source
    assert "COPY pyproject.toml uv.lock ./" in dockerfile


def test_dockerfile_installs_exactly_the_locked_runtime_dependencies(dockerfile):
    assert "uv sync --frozen --no-dev" in dockerfile
    assert "collectstatic --no-input" in dockerfile


def test_image_runs_as_an_unprivileged_user_and_serves_with_gunicorn(dockerfile, services):
    users = re.findall(r"^USER (\S+)$", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    cmd = re.search(r"^CMD (.+)$", dockerfile, re.MULTILINE).group(1)
    assert yaml.safe_load(cmd) == command_of(services["web"])


def test_local_databases_and_environments_stay_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "var", ".env", "*.sqlite3", "staticfiles"} <= set(ignored)


def test_the_web_servers_workers_add_up_their_metrics_in_an_empty_folder(services):
    """With several gunicorn workers, /metrics would show one worker's requests at random."""
    web = services["web"]
    workers = int(web["command"][web["command"].index("--workers") + 1])
    assert workers > 1
    folder = web["environment"]["PROMETHEUS_MULTIPROC_DIR"]
    assert folder in web["tmpfs"], "emptied at each start, as the multiprocess mode needs"
    assert web["environment"]["SECRET_KEY"], "the shared environment is still merged in"
