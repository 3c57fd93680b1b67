"""What `/metrics` tells Prometheus: request latency, Celery task counts and queue depth.

Request latency is a histogram kept by `RequestMetricsMiddleware` in each web process. Gunicorn
runs several: with `PROMETHEUS_MULTIPROC_DIR` set (an empty folder, per start) every process
writes its samples there and a scrape adds them up (prometheus-client's multiprocess mode).

Tasks run in the worker, another process (often another container), so their counts cannot live
in the web process's memory. Each finished task adds one to a Redis hash on the broker (the
`task_postrun` signal, `task_count`), and a scrape reads that hash and the queues' lengths
(`LLEN`) there. Without Redis (the embedded mode) these two families are left out.

Apps above patio add figures of their own (the outbox backlog) with `register(collector)`.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import logging
import os
from collections.abc import Iterable
from typing import Any

import redis
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from prometheus_client import REGISTRY, CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from patio.celery import app as celery_app

logger = logging.getLogger(__name__)

TASKS_KEY = "patio:metrics:tasks"
# The separator and priority steps kombu's Redis transport names its priority queues with.
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (0, 3, 6, 9)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_SECONDS = Histogram(
    "patio_http_request_duration_seconds",
    "Time from the request reaching Django to its answer, by view, method and status.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def observe_request(request: HttpRequest, response: HttpResponseBase, seconds: float) -> None:
    match = getattr(request, "resolver_match", None)
    # Labels come from a fixed set (URL names, methods, statuses), never from the raw path.
    view = match.view_name if match is not None and match.view_name else "unmatched"
    method = request.method if request.method in _METHODS else "other"
    REQUEST_SECONDS.labels(view=view, method=method, status=str(response.status_code)).observe(
        seconds
    )


@functools.cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def _broker_redis() -> redis.Redis | None:
    url = str(celery_app.conf.broker_url or "")
    return _redis(url) if url.startswith(("redis://", "rediss://")) else None


def task_count(
    sender: Any = None, task: Any = None, state: str | None = None, **kwargs: Any
) -> None:
    """`task_postrun`: one more task of this name ended in this state (SUCCESS, FAILURE, RETRY…)."""
    client = _broker_redis()
    if client is None or task is None:
        return
    try:
        client.hincrby(TASKS_KEY, f"{task.name}|{state or 'UNKNOWN'}", 1)
    except redis.RedisError:
        # A count lost is better than a task failed for it.
        logger.warning("could not count a finished task in Redis", exc_info=True)


class BrokerCollector:
    """Task counts and queue lengths, read from the broker's Redis at scrape time."""

    def collect(self) -> Iterable[Metric]:
        client = _broker_redis()
        if client is None:
            return
        try:
            counts = client.hgetall(TASKS_KEY)
            queues = {
                queue: sum(client.llen(name) for name in _priority_queues(queue))
                for queue in _queue_names()
            }
            unacked = client.hlen("unacked")
        except redis.RedisError:
            logger.warning("could not read the task figures from Redis", exc_info=True)
            return
        tasks = CounterMetricFamily(
            "patio_celery_tasks",
            "Celery tasks finished, by task name and final state, counted by every worker.",
            labels=["task", "state"],
        )
        for field, value in sorted(counts.items()):
            text = field.decode() if isinstance(field, bytes) else str(field)
            name, _, state = text.rpartition("|")
            tasks.add_metric([name, state], int(value))
        yield tasks
        depth = GaugeMetricFamily(
            "patio_celery_queue_length", "Tasks waiting in the queue.", labels=["queue"]
        )
        for queue, length in sorted(queues.items()):
            depth.add_metric([queue], length)
        yield depth
        yield GaugeMetricFamily(
            "patio_celery_tasks_unacknowledged",
            "Tasks a worker has taken and not yet finished (or lost with its worker).",
            value=unacked,
        )


def _queue_names() -> list[str]:
    return sorted({str(celery_app.conf.task_default_queue), *celery_app.amqp.queues.keys()})


def _priority_queues(queue: str) -> list[str]:
    return [
        queue if step == 0 else f"{queue}{_PRIORITY_SEPARATOR}{step}" for step in _PRIORITY_STEPS
    ]


_COLLECTORS: list[Collector] = [BrokerCollector()]


def register(collector: Collector) -> Collector:
    """Add a collector read at every scrape (again: nothing changes)."""
    if collector not in _COLLECTORS:
        _COLLECTORS.append(collector)
    return collector


def exposition() -> bytes:
    """The text Prometheus reads: this process's (or every web process's) metrics, then the
    figures read at scrape time."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)  # type: ignore[no-untyped-call]
        text = generate_latest(processes)
    else:
        text = generate_latest(REGISTRY)
    scraped = CollectorRegistry(auto_describe=False)
    for collector in _COLLECTORS:
        scraped.register(collector)
    return text + generate_latest(scraped)


def allowed(request: HttpRequest) -> bool:
    """A scraper with the bearer token `METRICS_TOKEN`, or one on this machine (loopback) that
    came through no proxy: behind a proxy on the same host every visitor arrives from
    127.0.0.1, so a request carrying a forwarding header is never taken as local."""
    token = str(settings.METRICS_TOKEN)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if token and scheme == "Bearer" and hmac.compare_digest(given.encode(), token.encode()):
        return True
    if any(request.headers.get(name) for name in ("x-forwarded-for", "forwarded", "x-real-ip")):
        return False
    try:
        address = ipaddress.ip_address(str(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)
