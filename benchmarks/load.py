"""Load benchmark: simulated people on the demo network, against the production settings.

    make bench-load                              # 200 people for 10 minutes
    LOAD_USERS=20 LOAD_MINUTES=1 make bench-load # a short run

Run through scripts/testenv.py (make bench-load does), which provides PostgreSQL and Redis. Steps:
1. migrate, load the demo network (seed_demo) and collect the static files, with the settings
   production runs (patio.settings, DEBUG off), which must pass `check --deploy` with no warning;
2. serve the site with gunicorn (3 sync workers, as the Docker image does) on loopback, and run a
   Celery worker (concurrency 2, as docker-compose does);
3. run locust headless on benchmarks/locustfile.py: LOAD_USERS people (default 200) for
   LOAD_MINUTES minutes (default 10), stopped early after LOAD_MAX_REQUESTS requests (default
   one per person per second of the run, several times what the journeys' pace makes), and
   killed if it outlives its time by two minutes;
4. print one table: requests/s, p50, p95, p99, 5xx and other errors per endpoint (grouped by
   route, not by id), and whether the targets hold: p95 under 500 ms, no 5xx, no error.

Exits 1 when any request got a 5xx or failed otherwise, 0 otherwise (a slow p95 is reported,
not failed: the figure depends on the machine). Stops every process it started, whatever happens.

Two settings differ from a production deployment, for the bench only, through the environment:
TRUSTED_PROXY_COUNT=1, since locust stands where the TLS proxy stands (see the locustfile), and
MFA_REQUIRED=0: the three demo accounts all hold roles that require two-factor, and a TOTP code
is accepted once per account per 30 s, so two hundred people sharing three accounts could not
sign in. Everything `check --deploy` looks at is as production has it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET_P95_MS = 500
STOP_TIMEOUT = 15  # seconds a process gets to stop before it is killed
STARTED = time.monotonic()

# What the journeys act on, read from the seeded demo network (printed as JSON).
PLAN_SCRIPT = """
import json
from accounts.models import User
from assemblies.models import Assembly
from assemblies.permissions import can_rsvp
from members.demo_data import DEMO_ACCOUNTS, DEMO_PASSWORD
from members.models import Organisation
from projects.models import Opportunity, Project
from projects.permissions import can_express_interest, can_run_matching
from projects.selectors.teams import open_roles

users = {a.role: User.objects.get(email=a.email) for a in DEMO_ACCOUNTS}
members = [users["member"], users["admin"]]
coops = Organisation.objects.filter(status="member").order_by("slug")
words = sorted({w for name in coops.values_list("name", flat=True) for w in name.split()
                if len(w) > 4 and w.isalpha()})
print(json.dumps({
    "password": DEMO_PASSWORD,
    "members": [u.email for u in members],
    "coordinator": users["coordinator"].email,
    "coops": list(coops.values_list("slug", flat=True)),
    "countries": sorted({str(c) for c in coops.values_list("country", flat=True)}),
    "words": words[:: max(1, len(words) // 60)],
    "assemblies": [a.pk for a in Assembly.objects.order_by("pk")
                   if all(can_rsvp(u, a) for u in members)],
    "opportunities": [{"id": o.pk, "roles": [r.pk for r in o.roles.all()]}
                      for o in Opportunity.objects.order_by("pk")
                      if all(can_express_interest(u, o) for u in members)],
    "projects": [p.pk for p in Project.objects.order_by("pk")
                 if can_run_matching(users["coordinator"], p) and list(open_roles(p))],
}))
"""


def say(message: str) -> None:
    elapsed = time.monotonic() - STARTED
    print(f"[load {elapsed:4.0f} s] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def env_number(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        sys.exit(f"{name}={raw!r}: give a whole number of at least 1.")
    return int(raw)


def production_env(port: int, var_dir: Path) -> dict[str, str]:
    """patio.settings as production runs it, on loopback (see the module's docstring)."""
    # testenv's allowance for the test suite's live server is no part of production.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "patio.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "TRUSTED_PROXY_COUNT": "1",
        "MFA_REQUIRED": "0",
        "EMAIL_URL": "locmem://",
        "PATIO_VAR_DIR": str(var_dir),
        "PYTHONUNBUFFERED": "1",
    }


def manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


@contextlib.contextmanager
def started(name: str, command: list[str], env: dict[str, str], log: Path) -> Iterator[None]:
    """A child in its own process group, its output in `log`; stopped (SIGTERM, then SIGKILL)
    on the way out, whatever happened."""
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, process_group=0
        )
    try:
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop within {STOP_TIMEOUT} s; killing it.")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_up(base: str, logs: Path, seconds: float = 180) -> None:
    request = urllib.request.Request(  # noqa: S310 - loopback
        base + "/healthz", headers={"X-Forwarded-Proto": "https"}
    )
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=2):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError:
            return  # answering (a 503 names a part that is not up yet, such as beat)
        except OSError:
            time.sleep(0.3)
    sys.exit(f"gunicorn did not answer at {base} within {seconds:.0f} s; see {logs}")


def main() -> int:
    if "DATABASE_URL" not in os.environ or "REDIS_URL" not in os.environ:
        sys.exit("Run through scripts/testenv.py (make bench-load), which provides the services.")
    users = env_number("LOAD_USERS", 200)
    minutes = env_number("LOAD_MINUTES", 10)
    max_requests = env_number("LOAD_MAX_REQUESTS", users * minutes * 60)
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="patio-load-"))
    env = production_env(port, work / "var")
    say("checking the production settings (check --deploy), migrating, seeding…")
    manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    # The manifest storage needs collected files; that takes a while, and no database.
    collect = subprocess.Popen(
        [str(BIN / "python"), "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    manage("migrate", "--no-input", "-v0", env=env)
    manage("seed_demo", "-v0", env=env)
    if collect.wait():
        sys.exit("manage.py collectstatic failed.")
    say("seeded; starting gunicorn and the worker…")
    plan = json.loads(manage("shell", "-c", PLAN_SCRIPT, env=env).strip().splitlines()[-1])
    for part in ("assemblies", "opportunities", "projects", "coops"):
        if not plan[part]:
            sys.exit(f"The demo network has no {part} the journeys can use.")
    (work / "plan.json").write_text(json.dumps(plan))
    report_path = work / "report.json"
    base = f"http://127.0.0.1:{port}"
    gunicorn = [str(BIN / "gunicorn"), "patio.wsgi", "--bind", f"127.0.0.1:{port}"]
    gunicorn += ["--workers", "3", "--access-logfile", "-"]
    worker = [str(BIN / "celery"), "-A", "patio", "worker", "--loglevel=WARNING"]
    worker += ["--concurrency=2", "--without-mingle", "--without-gossip"]
    locust = [str(BIN / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py")]
    locust += ["--headless", "--host", base, "--users", str(users)]
    locust += ["--spawn-rate", str(max(1, users // 60)), "--run-time", f"{minutes}m"]
    locust += ["--stop-timeout", "10", "--only-summary", "--loglevel", "WARNING"]
    locust_env = {**env, "LOAD_PLAN": str(work / "plan.json"), "LOAD_REPORT": str(report_path)}
    locust_env["LOAD_MAX_REQUESTS"] = str(max_requests)
    with (
        started("gunicorn", gunicorn, env, work / "gunicorn.log"),
        started("worker", worker, env, work / "worker.log"),
    ):
        wait_until_up(base, work)
        say(f"{users} people for {minutes} min (at most {max_requests:,} requests) on {base}")
        try:
            with (work / "locust.log").open("w") as out:
                subprocess.run(
                    locust,
                    cwd=ROOT,
                    env=locust_env,
                    check=False,
                    timeout=minutes * 60 + 120,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
        except subprocess.TimeoutExpired:
            say("locust outlived its time by two minutes and was killed.")
    say("stopped gunicorn and the worker.")
    if not report_path.exists():
        sys.exit(f"locust wrote no report; see {work / 'locust.log'}")
    report = json.loads(report_path.read_text())
    print_report(report, users=users, minutes=minutes)
    sys.stdout.flush()
    say(f"logs (gunicorn, worker, locust) are in {work}")
    return 1 if report["total"]["5xx"] or report["total"]["errors"] else 0


def print_report(report: dict[str, Any], *, users: int, minutes: int) -> None:
    seconds = report["seconds"] or 1.0
    print(
        f"\nLoad benchmark: {users} people, {minutes} min asked, {seconds:.0f} s run, "
        "gunicorn 3 workers + Celery worker, production settings\n"
    )
    header = f"{'endpoint':48} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    print(f"{header} {'5xx':>5} {'errors':>6}")
    for row in [*report["endpoints"], {"name": "all", "method": "", **report["total"]}]:
        print(
            f"{row['name']:48} {row['requests'] / seconds:7.1f} {row['p50']:7.0f} {row['p95']:7.0f} "
            f"{row['p99']:7.0f} {row['5xx']:5d} {row['errors']:6d}"
        )
    slow = [row["name"] for row in report["endpoints"] if row["p95"] >= TARGET_P95_MS]
    total = report["total"]
    if report.get("capped"):
        print("\nStopped early: the request cap (LOAD_MAX_REQUESTS) was reached.")
    print(f"\nTargets: p95 < {TARGET_P95_MS} ms on every endpoint, 0 5xx, 0 errors.")
    print(f"  p95 {'held' if not slow else 'missed on ' + ', '.join(slow)}")
    print(f"  5xx {total['5xx']}, errors {total['errors']}")
    for failure in report["failures"]:
        print(
            f"  {failure['count']:6d} x {failure['method']} {failure['name']}: {failure['error']}"
        )


if __name__ == "__main__":
    sys.exit(main())
