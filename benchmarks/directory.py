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
import base64
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
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
        "from members.models import PersonSkill;"
        "skill = Skill.objects.get(pk=PersonSkill.objects.values('skill').annotate("
        "n=Count('id')).order_by('-n', 'skill')[10]['skill']);"
        "print(json.dumps({'country': top['country'], 'word': org.name.split()[-2] if len(org.name.split()) > 1 else org.name, 'skill': skill.slug, 'words': ' '.join(org.name.split()[:3])}))",
        env=env,
    )
    picked = json.loads(out.strip().splitlines()[-1])
    page = f"/coops/?country={picked['country']}&kind=worker_coop"
    search = f"/coops/?q={picked['word']}"
    three_words = urllib.parse.quote_plus(" ".join([*picked["words"].split(), "co", "op"][:3]))
    return {
        BASELINE: "/bench/baseline",
        PAGE: page,
        SEARCH: search,
        COLD_PAGE: page,
        COLD_SEARCH: search,
        "search, cold, 2 letters": "/coops/?q=" + picked["word"][:2].lower(),
        "search, cold, 3 words": "/coops/?q=" + three_words,
        "people page, logged in, cold": f"/people/?skill={picked['skill']}",
        API_ORGS: f"/api/v1/organisations/?page_size=25&kind=worker_coop&country={picked['country']}",
        API_PEOPLE: f"/api/v1/people/?page_size=25&skill={picked['skill']}",
        API_DEEP: "/api/v1/people/?page_size=25",  # the cursor is added once the site is up
    }


BASELINE = "baseline (1 indexed query)"
PAGE = "directory page (25 rows, 2 filters)"
SEARCH = "search"
COLD_PAGE = "directory page, cold cache"
COLD_SEARCH = "search, cold cache"
API_ORGS = "API list: co-ops, a filter"
API_PEOPLE = "API list: people, a filter"
API_DEEP = "API list: people, row 100,000"
API_FIRST = "API list: people, first page"
LOGGED_IN = "people page, logged in, cold"


def deep_cursor(base: str, path: str, row: int, env: dict[str, str]) -> str:
    """The API path of the page that starts after `row` (or the last full page, on a smaller
    network): the first page's own cursor, moved to that row's key values."""
    with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310 - loopback
        following = json.load(response)["next"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(following).query)
    token = query["cursor"][0]
    payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    columns = [name.lstrip("-") for name in payload["o"]]
    out = manage(
        "shell",
        "-c",
        "import json;"
        "from members.selectors import person_directory;"
        f"qs = person_directory(None).order_by(*{payload['o']!r});"
        f"n = max(0, min({row}, qs.count() - 26));"
        f"print(json.dumps(list(qs.values_list(*{columns!r})[n])))",
        env=env,
    )
    payload["v"] = json.loads(out.strip().splitlines()[-1])
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    token = base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
    return f"{path}&cursor={token}"


def member_session(env: dict[str, str]) -> str:
    """A session cookie of a member of the seeded network (the people page shows them more)."""
    out = manage(
        "shell",
        "-c",
        "from importlib import import_module;"
        "from django.conf import settings;"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY;"
        "from accounts.models import User;"
        "from members.models import Organisation, Person;"
        "person = Person.objects.filter(organisation__status='member').order_by('id').first();"
        "user = person.user or User.objects.create_user("
        "  email='bench-member@example.org', password=None);"
        "Person.objects.filter(pk=person.pk, user__isnull=True).update(user=user);"
        "store = import_module(settings.SESSION_ENGINE).SessionStore();"
        "store[SESSION_KEY] = str(user.pk);"
        "store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0];"
        "store[HASH_SESSION_KEY] = user.get_session_auth_hash();"
        "store.save();"
        "print(settings.SESSION_COOKIE_NAME + '=' + store.session_key)",
        env=env,
    )
    return out.strip().splitlines()[-1]


def worker_rss(server_pid: int) -> list[float]:
    """Resident memory (MB) of each of gunicorn's workers (the arbiter's children)."""
    task = Path(f"/proc/{server_pid}/task/{server_pid}/children")
    sizes = []
    for pid in task.read_text().split():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


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


def load(
    wrk: str, url: str, seconds: int, connections: int, script: Path, cookie: str | None = None
) -> dict[str, Any]:
    out = subprocess.run(
        [
            wrk,
            *(["-H", f"Cookie: {cookie}"] if cookie else []),
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
    cookie = member_session(env)
    with gunicorn(env) as (base, server_pid):
        targets[API_DEEP] = deep_cursor(base, targets[API_DEEP], 100_000, env)
        targets = {**targets, API_FIRST: "/api/v1/people/?page_size=25"}
        results = load_all(wrk, base, targets, args.seconds, args.connections, cookie)
        served = sum(r["requests"] for r in results.values())
        rss = worker_rss(server_pid)
    report(results, organisations, people, args.seconds, args.connections)
    print_split(targets, env)
    print(
        f"\nMemory: gunicorn workers' RSS after {served:,} requests: "
        + ", ".join(f"{mb:.0f} MB" for mb in rss)
        + f" (target: at most 150 MB after 10,000 requests; "
        f"{'met' if rss and max(rss) <= 150 else 'NOT met'}"
        + ("" if served >= 10_000 else ", fewer requests than 10,000: use more --seconds")
        + ")"
    )
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
def gunicorn(env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """The site served by gunicorn, 2 sync workers, on a free loopback port: yields its URL
    and the arbiter's pid."""
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
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(10)


def load_all(
    wrk: str, base: str, targets: dict[str, str], seconds: int, connections: int, cookie: str
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
            who = cookie if name == LOGGED_IN else None
            headers = {"Cookie": who} if who else {}
            request = urllib.request.Request(base + path, headers=headers)  # noqa: S310
            for _ in range(20):  # warm caches and connections
                urllib.request.urlopen(request, timeout=30).read()  # noqa: S310 - loopback
            script = scripts["cold" if "cold" in name else "warm"]
            results[name] = load(wrk, base + path, seconds, connections, script, who)
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
    baseline = results[BASELINE]["rps"] or 1.0
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
    print(
        "\nTargets (issue 18), as ratios of req/s to this run's baseline; p95 in ms:"
        "\n(a 'cold' row puts a new parameter on every request, so no cached fragment matches;"
        "\nthe count cached per filter set still does)"
    )
    for line in targets_met(results, baseline):
        print("  " + line)


def print_split(targets: dict[str, str], env: dict[str, str]) -> None:
    """Each URL once more, in process (benchmarks/split.py): where a request's time goes."""
    paths = {
        name: ("member:" + path if name == LOGGED_IN else path)
        for name, path in targets.items()
        if name != BASELINE
    }
    out = subprocess.run(
        [PYTHON, "-m", "benchmarks.split", *dict.fromkeys(paths.values())],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    split = json.loads(out.strip().splitlines()[-1])
    print(
        "\nTime split, in process (one request at a time, cold, median of 9): "
        "SQL as Django's connection timed it, Python the rest"
    )
    print(f"{'what':38} {'total ms':>9} {'SQL ms':>7} {'Python':>7} {'queries':>8}")
    for name, path in paths.items():
        if "cold" not in name and name not in (API_ORGS, API_PEOPLE, API_DEEP, API_FIRST):
            continue  # the repeated rows are the cold ones' URLs, served from the cache
        row = split[path]
        print(
            f"{name:38} {row['total_ms']:9.1f} {row['sql_ms']:7.1f} {row['python_ms']:7.1f} "
            f"{row['queries']:8d}"
        )


def targets_met(results: dict[str, dict[str, Any]], baseline: float) -> list[str]:
    """One line per target of issue 18: the figures and whether they meet it."""

    def ratio(name: str) -> float:
        return float(results[name]["rps"]) / baseline

    def line(what: str, ok: bool, figures: str) -> str:
        return f"{'met    ' if ok else 'NOT met'}  {what}: {figures}"

    lines = []
    cold = COLD_PAGE
    lines.append(
        line(
            "directory page, cold: >= 0.30x, p95 <= 40 ms",
            ratio(cold) >= 0.30 and results[cold]["p95"] <= 40,
            f"{ratio(cold):.2f}x, p95 {results[cold]['p95']:.1f} ms",
        )
    )
    lines.append(
        line("directory page, repeated: >= 0.6x", ratio(PAGE) >= 0.6, f"{ratio(PAGE):.2f}x")
    )
    searches = [COLD_SEARCH, "search, cold, 2 letters", "search, cold, 3 words"]
    lines.append(
        line(
            "search, cold (one word, 2 letters, 3 words): >= 0.25x, p95 <= 50 ms",
            all(ratio(n) >= 0.25 and results[n]["p95"] <= 50 for n in searches),
            ", ".join(f"{ratio(n):.2f}x p95 {results[n]['p95']:.1f} ms" for n in searches),
        )
    )
    for name in (API_ORGS, API_PEOPLE):
        lines.append(
            line(
                f"{name}: >= 0.30x, p95 <= 40 ms",
                ratio(name) >= 0.30 and results[name]["p95"] <= 40,
                f"{ratio(name):.2f}x, p95 {results[name]['p95']:.1f} ms",
            )
        )
    deep, first = results[API_DEEP], results[API_FIRST]
    lines.append(
        line(
            "API page at row 100,000 within 1.5x of the first page (p50)",
            deep["p50"] <= 1.5 * first["p50"],
            f"p50 {deep['p50']:.1f} ms against {first['p50']:.1f} ms",
        )
    )
    lines.append(
        line(
            "people page, logged in, cold: >= 0.25x",
            ratio(LOGGED_IN) >= 0.25,
            f"{ratio(LOGGED_IN):.2f}x, p95 {results[LOGGED_IN]['p95']:.1f} ms",
        )
    )
    return lines


if __name__ == "__main__":
    sys.exit(main())
