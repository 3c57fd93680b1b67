"""Every task ends: each of ours has a soft and a hard time limit from its family."""

from __future__ import annotations

import pytest

from patio.celery import TASK_TIME_LIMITS, app

pytestmark = pytest.mark.pure


def _our_tasks():
    app.loader.import_default_modules()  # the apps' tasks modules, as a worker loads them
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_every_task_of_ours_has_a_soft_limit_below_its_hard_limit():
    tasks = _our_tasks()
    assert "projects.tasks.run_matching" in tasks and "patio.ping" in tasks

    unbounded = {
        name: (task.soft_time_limit, task.time_limit)
        for name, task in tasks.items()
        if not (task.soft_time_limit and task.time_limit and task.soft_time_limit < task.time_limit)
    }
    assert unbounded == {}


def test_every_family_gives_itself_room_to_clean_up():
    assert all(0 < soft < hard for soft, hard in TASK_TIME_LIMITS.values())


def test_an_outbox_sweep_ends_before_its_claims_count_as_dead():
    from django.conf import settings

    hard = TASK_TIME_LIMITS["relay"][1]
    assert hard < settings.OUTBOX_CLAIM_SECONDS


def test_matching_ends_before_its_run_counts_as_lost():
    from django.conf import settings

    hard = TASK_TIME_LIMITS["matching"][1]
    assert hard < settings.MATCH_RUN_HEARTBEAT_TIMEOUT
