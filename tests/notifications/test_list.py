"""A person's notifications: every event email of every app, in one list with a bell in the
header that counts the unread ones; marked read one by one or all at once, without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _bell(page: str) -> str | None:
    match = re.search(r'<span class="bell-count"[^>]*>(\d+)</span>', page)
    return match[1] if match else None


def test_every_event_email_is_listed_newest_first_with_the_unread_marked(member, event, login):
    event(member, "Reply in “Equal salaries?”", path="/discussions/")
    event(member, "Pledge reminder", kind="pledge_reminders", path="/fund/")
    assert len(mail.outbox) == 2  # immediately, as before anyone chose

    page = login(member.user).get("/notifications/").content.decode()

    assert page.index("Pledge reminder") < page.index("Equal salaries?")
    assert page.count('class="notification unread"') == 2
    assert 'href="/fund/"' in page and 'href="/discussions/"' in page
    assert "Pledge reminders" in page  # the kind, as its app registered it
    assert _bell(page) == "2"


def test_marking_one_read_lowers_the_bell_and_marking_all_clears_it(member, event, login):
    for n in range(3):
        event(member, f"Reply {n}")
    client = login(member.user)
    first = Notification.objects.filter(recipient=member).earliest("created_at")

    response = client.post(f"/notifications/{first.pk}/read/", {"next": "/notifications/"})

    assert response.status_code == 302 and response["Location"] == "/notifications/"
    first.refresh_from_db()
    assert first.read_at is not None
    page = client.get("/notifications/").content.decode()
    assert _bell(page) == "2" and page.count('class="notification unread"') == 2

    assert client.post("/notifications/read-all/").status_code == 302
    page = client.get("/").content.decode()
    assert _bell(page) is None  # nothing unread: the bell shows no count
    assert "Notifications: 0 unread" in page
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


def test_a_posted_next_elsewhere_is_not_followed(member, event, login):
    event(member, "Reply")
    row = Notification.objects.get()
    response = login(member.user).post(
        f"/notifications/{row.pk}/read/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/notifications/"


def test_marking_read_needs_a_post(member, event, login):
    event(member, "Reply")
    row = Notification.objects.get()
    assert login(member.user).get(f"/notifications/{row.pk}/read/").status_code == 405
    row.refresh_from_db()
    assert row.read_at is None


def test_the_list_is_paginated(member, event, login):
    for n in range(27):
        event(member, f"Reply number {n:02d}")
    client = login(member.user)
    first = client.get("/notifications/").content.decode()
    second = client.get("/notifications/?page=2").content.decode()
    assert "Reply number 26" in first and "Reply number 01" not in first
    assert "Reply number 01" in second and "Reply number 00" in second
    assert "Page 1 of 2" in first


def test_a_resent_email_is_listed_once(member):
    """A worker killed between sending and marking sends the same email again (patio.delivery):
    the same Message-ID, one row."""
    from patio import emails

    for _ in range(2):
        emails.event_message(
            kind="poll_reminders",
            person_id=member.pk,
            to=member.email_address,
            subject="Vote",
            body="Please vote.",
            language="en",
            message_id="<polls.pollreminder.1@patio.example>",
        ).send()
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 2  # an immediate email that goes again is the retry: it goes


@pytest.mark.parametrize("path", ["/", "/notifications/", "/discussions/"])
def test_the_bell_costs_one_query_whatever_the_count(member, event, login, count_queries, path):
    client = login(member.user)
    event(member, "Reply 0")
    with count_queries() as few:
        assert client.get(path).status_code == 200
    for n in range(1, 30):
        event(member, f"Reply {n}")
    with count_queries() as many:
        page = client.get(path).content.decode()
    assert many.count == few.count, many.report()
    assert _bell(page) == "30"


def test_visitors_see_no_bell(client):
    page = client.get("/").content.decode()
    assert "data-notification-bell" not in page
