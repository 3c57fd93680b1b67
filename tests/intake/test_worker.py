"""The emails to a requester go through the real Celery worker, once each, even when the task is
delivered twice."""

from __future__ import annotations

import pytest
from django.core import mail

from intake import services
from intake.models import HelpRequest
from intake.tasks import send_help_request_ack, send_help_request_reply
from tests.intake.test_form import URL, _fields
from tests.worker_fixtures import WORKER_TIMEOUT, wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
]


def test_a_submitted_request_is_acknowledged_once_even_if_the_task_runs_twice(
    celery_worker, client
):
    assert client.post(URL, _fields()).status_code == 302
    help_request = HelpRequest.objects.get()

    wait_until(lambda: len(mail.outbox) == 1)
    again = send_help_request_ack.delay(help_request.pk).get(timeout=WORKER_TIMEOUT)

    assert again is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rosa@olla.example"]
    assert "Olla Popular Cerro" in mail.outbox[0].body


def test_an_answer_is_emailed_once_even_if_the_task_runs_twice(
    celery_worker, help_request, triager
):
    HelpRequest.objects.filter(pk=help_request.pk).update(acknowledged_at="2026-01-01T00:00Z")
    services.help_request_answer(
        actor=triager.user, help_request=help_request, message="Two co-ops can help: write to…"
    )

    wait_until(lambda: len(mail.outbox) == 1)
    again = send_help_request_reply.delay(help_request.pk).get(timeout=WORKER_TIMEOUT)

    assert again is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rosa@olla.example"]
    assert "Two co-ops can help" in mail.outbox[0].body
