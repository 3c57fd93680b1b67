"""Where one request's time goes, in process: the directory benchmark's time split.

    python -m benchmarks.split PATH [member:PATH ...]   # prints one JSON line

Run with `DJANGO_SETTINGS_MODULE=benchmarks.settings` against the benchmark's database (the
directory benchmark runs it after its load, so the figures come from the same data). Each path
is requested through Django's test client, cold (a new ignored parameter each time, as the
load's cold rows do), after three warm-up requests; for the median of `--repeat` requests it
gives the whole time, the time PostgreSQL took (as Django's connection measured it: the
queries' execution and transfer), the rest (Python: middleware, forms, templates, serialisers)
and the number of queries. Paths starting with "member:" are requested as the member the load
signs in as (the first person of a member co-op, given an account by the benchmark), the rest
as a visitor.

Figures from one process on a quiet machine move less than the load's requests per second, and
they say what to work on: SQL or Python.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any

import django


def split(paths: list[str], repeat: int) -> dict[str, dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    visitor, member = Client(), Client()
    if any(path.startswith("member:") for path in paths):
        from members.models import Person

        first = Person.objects.filter(organisation__status="member", user__isnull=False)
        member.force_login(first.order_by("id").first().user)
    out: dict[str, dict[str, Any]] = {}
    counter = time.time_ns()
    for path in paths:
        client, url = (
            (member, path.removeprefix("member:"))
            if path.startswith("member:")
            else (
                visitor,
                path,
            )
        )
        joiner = "&" if "?" in url else "?"
        totals, sqls, counts = [], [], []
        for run in range(3 + repeat):
            counter += 1
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(f"{url}{joiner}cold={counter}", HTTP_HOST="127.0.0.1")
                total = time.perf_counter() - started
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
            if run >= 3:
                totals.append(total * 1000)
                sqls.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
                counts.append(len(queries.captured_queries))
        total_ms, sql_ms = statistics.median(totals), statistics.median(sqls)
        out[path] = {
            "total_ms": round(total_ms, 1),
            "sql_ms": round(sql_ms, 1),
            "python_ms": round(max(total_ms - sql_ms, 0.0), 1),
            "queries": max(counts),
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    django.setup()
    print(json.dumps(split(args.paths, args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
