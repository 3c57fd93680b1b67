"""Background work really runs: a Celery worker consumes the real Redis and sends real (locmem) mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from members import services
from members.models import Invitation
from members.tasks import send_invitation
from patio.celery import ping
from tests.worker_fixtures import WORKER_TIMEOUT, wait_until

pytestmark = [
    pytest.mark.worker,
    # Celery's Redis result backend calls a redis-py method that redis-py deprecates.
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
]


def test_worker_answers_a_ping_through_redis(celery_worker):
    assert ping.delay().get(timeout=WORKER_TIMEOUT) == "pong"


def test_creating_an_invitation_sends_one_email_after_commit(celery_worker, coop, coop_admin):
    invitation = services.invitation_create(
        actor=coop_admin.user, organisation=coop, email="Newcomer@Example.coop"
    )

    wait_until(lambda: len(mail.outbox) == 1)
    message = mail.outbox[0]
    assert message.to == ["newcomer@example.coop"]
    assert "Camplight" in message.body
    # The plain token reached the email through the task's message: the row keeps only its hash.
    assert invitation.plain_token
    assert Invitation.link_for(invitation.plain_token) in message.body
    invitation.refresh_from_db()
    assert invitation.email_sent_at is not None


def test_delivering_the_invitation_task_twice_sends_no_second_email(
    celery_worker, coop, coop_admin
):
    invitation = services.invitation_create(
        actor=coop_admin.user, organisation=coop, email="twice@example.coop"
    )
    wait_until(lambda: len(mail.outbox) == 1)
    first_sent_at = Invitation.objects.get(pk=invitation.pk).email_sent_at

    assert send_invitation.delay(invitation.pk).get(timeout=WORKER_TIMEOUT) is False

    assert len(mail.outbox) == 1
    assert Invitation.objects.get(pk=invitation.pk).email_sent_at == first_sent_at


def test_an_invitation_rolled_back_sends_no_email(celery_worker, coop, coop_admin):
    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), transaction.atomic():
        services.invitation_create(
            actor=coop_admin.user, organisation=coop, email="never@example.coop"
        )
        raise Abandon

    # One worker takes the queue in order: once a later ping is answered, anything queued
    # before it has run too.
    assert ping.delay().get(timeout=WORKER_TIMEOUT) == "pong"
    assert mail.outbox == []
    assert not Invitation.objects.filter(email="never@example.coop").exists()
