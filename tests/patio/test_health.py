"""`/healthz`: every part the site needs, checked against the real services, open to anyone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from patio.models import Heartbeat
from tests.worker_fixtures import celery_processes, wait_for_beat, wait_for_worker, wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
]

CHECKS = ["database", "broker", "cache", "worker", "beat", "outbox"]


def failing(response) -> set[str]:
    return {name for name, check in response.json()["checks"].items() if check["status"] != "ok"}


@pytest.fixture
def broker_on_a_closed_port():
    from patio.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://:s3cret@127.0.0.1:1/0"
    yield
    app.conf.broker_url = previous


@pytest.mark.django_db(transaction=True)
def test_all_parts_are_ok_with_a_real_worker_and_beat_writing_its_heartbeat(client):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    # Beat's own entry fires at each minute; this one every second, so the test need not wait.
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.create(
        name="heartbeat (test)", task="patio.tasks.beat_heartbeat", interval=every_second
    )
    with celery_processes() as start:
        beat, worker = start("beat"), start("worker", "health")
        # Slow to start on a busy machine (the suite runs one test per core).
        wait_for_worker(worker, "health", timeout=120)
        wait_for_beat(beat, "heartbeat (test)")
        wait_until(lambda: Heartbeat.objects.filter(name="beat").exists(), timeout=60)

        response = client.get("/healthz")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert list(body["checks"]) == CHECKS
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert body["checks"]["worker"]["detail"] == "1 worker answered"
    # Beat installed its own every-minute entry, whose heartbeat expires rather than run late.
    entry = PeriodicTask.objects.get(name="beat-heartbeat")
    assert (entry.task, entry.crontab.minute, entry.expire_seconds) == (
        "patio.tasks.beat_heartbeat",
        "*",
        50,
    )


def test_a_stale_beat_heartbeat_is_503_naming_beat(celery_worker, client):
    Heartbeat.objects.create(name="beat", beat_at=timezone.now() - timedelta(minutes=4))

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert failing(response) == {"beat"}
    assert response.json()["checks"]["beat"]["detail"].startswith("last heartbeat 24")


def test_a_fresh_heartbeat_is_ok_and_none_at_all_is_not(celery_worker, client):
    assert client.get("/healthz").json()["checks"]["beat"] == {
        "status": "fail",
        "detail": "no heartbeat recorded yet",
        "ms": pytest.approx(0, abs=1000),
    }
    Heartbeat.objects.create(name="beat", beat_at=timezone.now() - timedelta(seconds=70))

    response = client.get("/healthz")

    assert response.status_code == 200, response.json()


@pytest.mark.django_db
def test_an_unreachable_broker_is_503_naming_it_and_the_worker_is_not_asked(
    client, broker_on_a_closed_port
):
    Heartbeat.objects.create(name="beat", beat_at=timezone.now())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert failing(response) == {"broker", "worker"}
    checks = response.json()["checks"]
    assert checks["broker"]["detail"].startswith("unreachable (")
    assert checks["worker"]["detail"] == "not asked: the broker is unreachable"
    assert checks["broker"]["ms"] < 3000


@pytest.mark.django_db
def test_an_unreachable_cache_is_503_naming_it(celery_worker, client):
    Heartbeat.objects.create(name="beat", beat_at=timezone.now())
    closed = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/1",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    with override_settings(CACHES=closed):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert failing(response) == {"cache"}


@pytest.mark.django_db
def test_the_answer_tells_no_address_password_or_error_message(client, broker_on_a_closed_port):
    response = client.get("/healthz")

    text = response.content.decode()
    for secret in ("s3cret", "127.0.0.1", "redis://", "refused", "postgres"):
        assert secret not in text.lower()
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_unknown_api_path_answers_problem_json(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404
