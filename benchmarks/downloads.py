"""Directory downloads at scale: how long the whole directory takes as CSV, and what it costs the
web worker's memory (the file is streamed, so the memory should not grow with the rows).

    make bench-downloads                      # 100k organisations, 1M people
    make bench-downloads BENCH_ARGS="--organisations 10000 --people 100000"

Run through scripts/testenv.py (the make target does), which provides PostgreSQL and Redis. It
seeds the generated network as `make bench` does (and reuses it), serves the site with gunicorn,
then, as a member, downloads every co-op and every person (the people cap and the throttle are
lifted for the run) and prints rows, megabytes, time to the first byte, total time, and the
workers' resident memory before and after.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.request

from benchmarks.directory import ensure_seeded, gunicorn, manage, member_session, worker_rss


def download(url: str, cookie: str) -> dict[str, float]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - loopback
    started = time.monotonic()
    first = None
    size = lines = 0
    with urllib.request.urlopen(request, timeout=3600) as response:  # noqa: S310 - loopback
        # Not the login page after a redirect: the file itself.
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8", response.url
        while chunk := response.read(1 << 16):
            if first is None:
                first = time.monotonic() - started
            size += len(chunk)
            lines += chunk.count(b"\n")
    return {
        "rows": lines - 1,
        "mb": size / 1e6,
        "first": first or 0.0,
        "seconds": time.monotonic() - started,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=1_000_000)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit(
            "Run through scripts/testenv.py (make bench-downloads), which provides PostgreSQL."
        )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DIRECTORY_DOWNLOAD_MAX_PEOPLE": str(10 * args.people),
        "DIRECTORY_DOWNLOAD_RATE": "1000/hour",
    }
    manage("migrate", "-v0", env=env)
    organisations, people = ensure_seeded(args.organisations, args.people, env)
    cookie = member_session(env)
    results = {}
    with gunicorn(env) as (base, server_pid):
        before = worker_rss(server_pid)
        for name, path in (("co-ops", "/coops.csv"), ("people", "/people.csv")):
            results[name] = download(base + path, cookie)
        after = worker_rss(server_pid)
    print(f"\n{organisations:,} organisations, {people:,} people; one download at a time\n")
    print(f"{'download':<10} {'rows':>10} {'MB':>8} {'first byte':>11} {'total':>9} {'rows/s':>9}")
    for name, r in results.items():
        print(
            f"{name:<10} {r['rows']:>10,} {r['mb']:>8.1f} {r['first']:>10.2f}s "
            f"{r['seconds']:>8.1f}s {r['rows'] / r['seconds']:>9,.0f}"
        )
    print(
        "\nWorkers' RSS before: "
        + ", ".join(f"{mb:.0f} MB" for mb in before)
        + "; after: "
        + ", ".join(f"{mb:.0f} MB" for mb in after)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
