"""Directory benchmark: requests per second and latency, each against a bare-Django baseline.

    make bench                      # 100k organisations, 1M people (seeded once, then reused)
    make bench BENCH_ARGS="--organisations 10000 --people 100000 --seconds 5"

Run through scripts/testenv.py (make bench does), which provides PostgreSQL and Redis. Steps:
1. migrate, and seed with `seed_demo --organisations N --people M` unless the database already
   holds that many rows (the cluster is kept in var/bench between runs);
2. serve the site with gunicorn, 2 sync workers, on loopback, with production-like settings;
3. load each URL with wrk (from Debian; installed when missing) for a fixed time and print one
   table: requests/s, p50, p95, and the ratio of requests/s to the baseline's. The page and
   the search run twice: repeated (served from the cached fragments, as a popular query is)
   and cold (each request a cache miss that renders from the database).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout))
end
"""
# Cold: every request carries a new, ignored parameter, so no cached fragment ever matches and
# each one renders from the database: the figure for a query nobody asked for recently.
COLD_SCRIPT = (
    WRK_SCRIPT
    + """
counter = os.time() * 1000
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "&cold=" .. counter)
end
"""
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def manage(*args: str, env: dict[str, str]) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def ensure_wrk() -> str:
    if shutil.which("wrk") is None:
        print("installing wrk (Debian package) for the load…", file=sys.stderr)
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        subprocess.run(
            [*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL
        )
    return shutil.which("wrk") or sys.exit("wrk is needed: apt-get install wrk")


def seeded_counts(env: dict[str, str]) -> tuple[int, int]:
    out = manage(
        "shell",
        "-c",
        "from members.models import Organisation, Person;"
        "print(Organisation.objects.count(), Person.objects.count())",
        env=env,
    )
    organisations, people = out.strip().splitlines()[-1].split()
    return int(organisations), int(people)


def pick_targets(env: dict[str, str]) -> dict[str, str]:
    """Real values from the seeded data, so each URL does real work."""
    out = manage(
        "shell",
        "-c",
        "import json;"
        "from members.models import Organisation, Skill;"
        "from django.db.models import Count;"
        "top = Organisation.objects.values('country').annotate(n=Count('id')).order_by('-n')[0];"
        "org = Organisation.objects.filter(status='member').order_by('id')[500];"
        "skill = Skill.objects.order_by('-id')[0];"
        "print(json.dumps({'country': top['country'], 'word': org.name.split()[-2] if len(org.name.split()) > 1 else org.name, 'skill': skill.slug}))",
        env=env,
    )
    picked = json.loads(out.strip().splitlines()[-1])
    page = f"/coops/?country={picked['country']}&kind=worker_coop"
    search = f"/coops/?q={picked['word']}"
    return {
        "baseline (1 indexed query)": "/bench/baseline",
        "directory page (25 rows, 2 filters)": page,
        "search": search,
        "directory page, cold cache": page,
        "search, cold cache": search,
        "API list": "/api/v1/organisations/?page_size=25",
    }


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer at {url}")


def load(wrk: str, url: str, seconds: int, connections: int, script: Path) -> dict[str, Any]:
    out = subprocess.run(
        [
            wrk,
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=15, help="load time per URL")
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()

    if "DATABASE_URL" not in os.environ:
        sys.exit("Run through scripts/testenv.py (make bench), which provides PostgreSQL.")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
    wrk = ensure_wrk()
    manage("migrate", "-v0", env=env)
    organisations, people = ensure_seeded(args.organisations, args.people, env)
    targets = pick_targets(env)
    with gunicorn(env) as base:
        results = load_all(wrk, base, targets, args.seconds, args.connections)
    report(results, organisations, people, args.seconds, args.connections)
    return 0


def ensure_seeded(organisations: int, people: int, env: dict[str, str]) -> tuple[int, int]:
    """Seed the generated network unless the database holds that many rows already; returns
    the counts there are."""
    have_organisations, have_people = seeded_counts(env)
    if have_organisations >= organisations and have_people >= people:
        return have_organisations, have_people
    print(f"seeding {organisations:,} organisations and {people:,} people…", file=sys.stderr)
    started = time.monotonic()
    subprocess.run(
        [
            PYTHON,
            "manage.py",
            "seed_demo",
            "--organisations",
            str(organisations),
            "--people",
            str(people),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    print(f"seeded in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return seeded_counts(env)


@contextlib.contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[str]:
    """The site served by gunicorn, 2 sync workers, on a free loopback port: yields its URL."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "patio.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/bench/baseline")
        yield base
    finally:
        server.terminate()
        server.wait(10)


def load_all(
    wrk: str, base: str, targets: dict[str, str], seconds: int, connections: int
) -> dict[str, dict[str, Any]]:
    """Load each target URL in turn, after a few requests to warm caches and connections."""
    results: dict[str, dict[str, Any]] = {}
    scripts = {}
    for kind, text in (("warm", WRK_SCRIPT), ("cold", COLD_SCRIPT)):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(text)
        scripts[kind] = Path(lua.name)
    try:
        for name, path in tqdm(targets.items(), desc="loading", unit="url", file=sys.stderr):
            for _ in range(20):  # warm caches and connections
                urllib.request.urlopen(base + path, timeout=10).read()  # noqa: S310 - loopback
            script = scripts["cold" if "cold" in name else "warm"]
            results[name] = load(wrk, base + path, seconds, connections, script)
            results[name]["path"] = path
    finally:
        for script in scripts.values():
            script.unlink()
    return results


def report(
    results: dict[str, dict[str, Any]],
    organisations: int,
    people: int,
    seconds: int,
    connections: int,
) -> None:
    baseline = results["baseline (1 indexed query)"]["rps"] or 1.0
    print(
        f"\nDirectory benchmark: {organisations:,} organisations, {people:,} people, "
        f"gunicorn 2 workers, wrk {connections} connections x {seconds} s per URL\n"
    )
    print(f"{'what':38} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'vs base':>8} {'errors':>7}  url")
    for name, r in results.items():
        print(
            f"{name:38} {r['rps']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} "
            f"{r['rps'] / baseline:8.2f} {r['errors']:7d}  {r['path']}"
        )
    page = results["directory page (25 rows, 2 filters)"]
    search = results["search"]
    cold_page = results["directory page, cold cache"]
    cold_search = results["search, cold cache"]
    print("\nTargets: directory page ≥ 0.40 of baseline req/s; p95 ≤ 50 ms for page and search.")
    print(
        f"  page ratio {page['rps'] / baseline:.2f}, page p95 {page['p95']:.1f} ms, "
        f"search p95 {search['p95']:.1f} ms"
    )
    print(
        f"  cold cache: page ratio {cold_page['rps'] / baseline:.2f}, page p95 "
        f"{cold_page['p95']:.1f} ms, search p95 {cold_search['p95']:.1f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
