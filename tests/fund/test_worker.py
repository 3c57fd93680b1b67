"""Pledge reminders with the real parts: a Celery worker consuming Redis, and PostgreSQL."""

from __future__ import annotations

import time
from collections import Counter

from django.core import mail
from django.utils import timezone

from fund import services
from fund.models import PledgeReminder
from fund.tasks import queue_pledge_reminders
from tests.factories import PersonFactory
from tests.worker_fixtures import wait_until


def test_a_real_worker_emails_each_coop_admin_once_when_the_daily_run_fires_twice(
    celery_worker, coop, coop_admin
):
    PersonFactory(organisation=coop, is_coop_admin=True, user__email="bo@camplight.coop")
    PersonFactory(organisation=coop, user__email="not-an-admin@camplight.coop")
    services.pledge_create(
        actor=coop_admin.user,
        organisation=coop,
        amount="60",
        currency="EUR",
        frequency="yearly",
        next_due_on=timezone.localdate(),
    )

    queue_pledge_reminders.delay()
    queue_pledge_reminders.delay()

    wait_until(lambda: PledgeReminder.objects.filter(sent_at__isnull=False).count() == 1)
    time.sleep(0.5)  # room for a wrong second send to arrive
    assert Counter(m.to[0] for m in mail.outbox) == {
        "ana@camplight.coop": 1,
        "bo@camplight.coop": 1,
    }
