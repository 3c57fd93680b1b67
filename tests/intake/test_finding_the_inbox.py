"""Triagers find the inbox from the triage circle's page and the request-help page; nobody else does."""

from __future__ import annotations

import pytest

from tests.intake.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


def test_the_triage_circles_page_tells_its_coordinators_how_many_requests_wait(login, triager):
    HelpRequestFactory.create_batch(2)
    page = login(triager.user).get("/circles/job-opportunities/").content.decode()
    assert "2 new requests wait for an answer." in page
    assert 'href="/request-help/inbox/"' in page


@pytest.mark.parametrize("who", ["member", "other_coordinator"])
def test_other_people_see_no_inbox_on_the_circle_page(request, login, triage_circle, who):
    person = request.getfixturevalue(who)
    HelpRequestFactory()
    page = login(person.user).get("/circles/job-opportunities/").content.decode()
    assert "/request-help/inbox/" not in page
    assert "wait for an answer" not in page


def test_visitors_see_no_inbox_on_the_circle_page(client, triage_circle):
    HelpRequestFactory()
    assert "/request-help/inbox/" not in client.get("/circles/job-opportunities/").content.decode()


def test_the_request_help_page_points_triagers_to_the_inbox(client, login, triager):
    assert "/request-help/inbox/" not in client.get("/request-help/").content.decode()
    page = login(triager.user).get("/request-help/").content.decode()
    assert 'href="/request-help/inbox/"' in page
