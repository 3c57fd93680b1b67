"""`/metrics`: Prometheus text for the token or loopback only, with request latency, task counts
counted by a real worker process, and the queue's depth read from the real Redis."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from patio.celery import app, ping
from tests.worker_fixtures import WORKER_TIMEOUT, celery_processes, wait_for_worker, wait_until

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
]

TOKEN = "metrics-test-token-" + "t" * 20
ELSEWHERE = "203.0.113.7"


def samples(client, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
        if sample.name == name
    }


@pytest.mark.parametrize(
    ("token_setting", "remote", "headers", "status"),
    [
        pytest.param("", "127.0.0.1", {}, 200, id="loopback"),
        pytest.param("", "::1", {}, 200, id="loopback-ipv6"),
        pytest.param("", "127.0.0.1", {"HTTP_X_FORWARDED_FOR": ELSEWHERE}, 404, id="via-proxy"),
        pytest.param("", "127.0.0.1", {"HTTP_X_REAL_IP": ELSEWHERE}, 404, id="via-proxy-real-ip"),
        pytest.param("", ELSEWHERE, {}, 404, id="elsewhere"),
        pytest.param("", ELSEWHERE, {"HTTP_AUTHORIZATION": "Bearer "}, 404, id="empty-token"),
        pytest.param(TOKEN, ELSEWHERE, {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}, 200, id="token"),
        pytest.param(
            TOKEN,
            "127.0.0.1",
            {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}", "HTTP_X_FORWARDED_FOR": ELSEWHERE},
            200,
            id="token-via-proxy",
        ),
        pytest.param(TOKEN, ELSEWHERE, {"HTTP_AUTHORIZATION": "Bearer wrong"}, 404, id="wrong"),
        pytest.param(TOKEN, ELSEWHERE, {"HTTP_AUTHORIZATION": TOKEN}, 404, id="not-bearer"),
    ],
)
def test_only_the_token_or_loopback_may_read_the_metrics(
    client, settings, token_setting, remote, headers, status
):
    settings.METRICS_TOKEN = token_setting

    response = client.get("/metrics", REMOTE_ADDR=remote, **headers)

    assert response.status_code == status
    assert (b"patio_http_request_duration_seconds" in response.content) is (status == 200)


def test_a_signed_in_admin_from_elsewhere_may_not_read_them(admin_client):
    assert admin_client.get("/metrics", REMOTE_ADDR=ELSEWHERE).status_code == 404


def test_request_latency_is_counted_by_view_method_and_status(client):
    unmatched = (("method", "GET"), ("status", "404"), ("view", "unmatched"))
    name = "patio_http_request_duration_seconds_count"
    before = samples(client, name)

    status = client.get("/healthz").status_code  # 503 here: no worker, no beat
    client.get("/healthz")
    client.get("/no-such-page-7f3a/")

    key = (("method", "GET"), ("status", str(status)), ("view", "healthz"))

    after = samples(client, name)
    assert after[key] - before.get(key, 0) == 2
    assert after[unmatched] - before.get(unmatched, 0) == 1
    # A label is a view's name, never the path asked for.
    assert not any("7f3a" in value for labels in after for _, value in labels)


def test_the_queue_depth_is_read_from_redis(client):
    app.control.purge()
    try:
        for _ in range(3):
            ping.delay()

        depth = samples(client, "patio_celery_queue_length")
    finally:
        app.control.purge()

    assert depth[(("queue", "celery"),)] == 3
    assert samples(client, "patio_celery_queue_length")[(("queue", "celery"),)] == 0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_tasks_run_by_a_worker_process_are_counted_by_name_and_state(client):
    name = "patio_celery_tasks_total"
    succeeded = (("state", "SUCCESS"), ("task", "patio.ping"))
    failed = (("state", "FAILURE"), ("task", "patio.ping"))
    before = samples(client, name)

    with celery_processes() as start:
        worker = start("worker", "metrics")
        wait_for_worker(worker, "metrics", timeout=120)  # slow to start on a busy machine
        # The worker is another process: only what it wrote to Redis can reach this count.
        ping.delay()
        app.send_task("patio.ping", args=["unexpected"])  # a TypeError in the worker
        ping.delay()

        def counted() -> bool:
            now = samples(client, name)
            return (
                now.get(succeeded, 0) - before.get(succeeded, 0) == 2
                and now.get(failed, 0) - before.get(failed, 0) == 1
            )

        wait_until(counted, timeout=WORKER_TIMEOUT * 3)
