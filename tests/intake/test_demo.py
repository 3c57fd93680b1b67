"""The demo requests for help: states a triager meets, added once however often seed runs."""

from __future__ import annotations

import pytest
from django.core import mail

from intake import demo
from intake.models import HelpRequest
from projects.models import Opportunity

pytestmark = pytest.mark.django_db


def test_seed_adds_requests_in_every_state_once(triager, triage_circle):
    demo.seed(say=lambda _message: None)
    demo.seed(say=lambda _message: None)

    statuses = sorted(HelpRequest.objects.values_list("status", flat=True))
    assert statuses == ["answered", "converted", "declined", "new", "new"]
    converted = HelpRequest.objects.get(status="converted")
    assert converted.opportunity.status == Opportunity.Status.DRAFT
    assert converted.opportunity.circle == triage_circle
    assert Opportunity.objects.count() == 1
    assert mail.outbox == []


def test_without_a_triage_coordinator_seed_leaves_out_the_converted_request(db):
    messages = []
    demo.seed(say=messages.append)
    assert not HelpRequest.objects.filter(status="converted").exists()
    assert HelpRequest.objects.count() == 4
    assert messages == ["Help requests: 4 added (0 already there)."]
