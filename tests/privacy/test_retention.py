"""Closed requests for help lose who sent them once their retention period is over."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from audit.models import AuditEvent
from intake.models import HelpRequest
from intake.services import _months_before, help_requests_anonymise_closed
from intake.tasks import anonymise_closed_help_requests
from tests.intake.factories import HelpRequestFactory
from tests.worker_fixtures import WORKER_TIMEOUT

UTC = datetime.UTC
NOW = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def _request(status: str, *, handled_days_ago: int | None, created_days_ago: int = 800):
    handled = None if handled_days_ago is None else NOW - datetime.timedelta(days=handled_days_ago)
    help_request = HelpRequestFactory(
        status=status, handled_at=handled, answer="Write to Rosa at +598 1234"
    )
    HelpRequest.objects.filter(pk=help_request.pk).update(
        created_at=NOW - datetime.timedelta(days=created_days_ago)
    )
    return help_request


@pytest.mark.django_db
def test_closed_requests_past_eighteen_months_are_anonymised_and_others_kept():
    assert settings.HELP_REQUEST_RETENTION_MONTHS == 18
    old_answered = _request("answered", handled_days_ago=600)
    old_declined = _request("declined", handled_days_ago=560)
    recently_closed = _request("answered", handled_days_ago=500)  # asked long ago, closed lately
    still_open = _request("new", handled_days_ago=None, created_days_ago=900)

    assert help_requests_anonymise_closed(now=NOW) == 2

    for kept in (recently_closed, still_open):
        kept.refresh_from_db()
        assert kept.contact_name == "Rosa Requester"
        assert kept.contact_email.endswith("@asociacion.example")
    for gone in (old_answered, old_declined):
        gone.refresh_from_db()
        assert (gone.contact_name, gone.contact_email) == ("—", "")
        assert gone.description == gone.answer == ""
        assert gone.need == HelpRequest.Need.BUILD  # what was asked for stays, for statistics
    event = AuditEvent.objects.get(action="help_request.anonymise")
    assert sorted(event.after["ids"]) == sorted([old_answered.pk, old_declined.pk])
    # A second run finds nothing more to do.
    assert help_requests_anonymise_closed(now=NOW) == 0


@pytest.mark.django_db
def test_the_retention_period_is_a_setting(settings):
    settings.HELP_REQUEST_RETENTION_MONTHS = 36
    _request("answered", handled_days_ago=600)
    assert help_requests_anonymise_closed(now=NOW) == 0


@pytest.mark.pure
@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime.datetime(2026, 12, 2, tzinfo=UTC), 18, datetime.datetime(2025, 6, 2, tzinfo=UTC)),
        (datetime.datetime(2026, 3, 31, tzinfo=UTC), 1, datetime.datetime(2026, 2, 28, tzinfo=UTC)),
        (
            datetime.datetime(2026, 1, 15, tzinfo=UTC),
            13,
            datetime.datetime(2024, 12, 15, tzinfo=UTC),
        ),
    ],
)
def test_months_are_calendar_months(moment, months, expected):
    assert _months_before(moment, months) == expected


@pytest.mark.worker
@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_the_daily_task_runs_on_the_worker(celery_worker):
    _request("converted", handled_days_ago=2000)
    assert anonymise_closed_help_requests.delay().get(timeout=WORKER_TIMEOUT) == 1
    assert HelpRequest.objects.get().contact_email == ""


@pytest.mark.pure
def test_the_beat_runs_retention_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["intake-retention"]
    assert entry["task"] == "intake.tasks.anonymise_closed_help_requests"
