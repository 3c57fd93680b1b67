"""Each kind of event email comes as the person chose: immediately (as before anyone chose), in a
daily or weekly digest sent once at 08:00 in their timezone and language, or never. The one-click
unsubscribe of any email, digests too, sets its kind to never."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone

from members.models import Person
from notifications.emails import digest_moment, digests_send
from notifications.models import Notification
from patio import delivery

pytestmark = pytest.mark.django_db
NOW, DAILY, WEEKLY, NEVER = (
    Person.Notify.IMMEDIATELY,
    Person.Notify.DAILY,
    Person.Notify.WEEKLY,
    Person.Notify.NEVER,
)
REPLIES = "discussion_replies"


def _choose(person: Person, **choices: str) -> None:
    Person.objects.filter(pk=person.pk).update(email_choices=choices)


def _next_local(zone: str, *, hour: int = 8, weekday: int | None = None) -> dt.datetime:
    """The first time after now that it is `hour`:00 in `zone` (on `weekday`, when given)."""
    local = timezone.now().astimezone(ZoneInfo(zone))
    moment = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    while moment <= local or (weekday is not None and moment.weekday() != weekday):
        moment = (moment.replace(tzinfo=None) + dt.timedelta(days=1)).replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(dt.UTC)


def test_immediately_sends_at_once_and_lists_it(member, event):
    assert event(member, "Reply in “Equal salaries?”") == 1
    assert len(mail.outbox) == 1
    row = Notification.objects.get()
    assert (row.recipient, row.kind, row.digest) == (member, REPLIES, "")
    assert row.title == "Reply in “Equal salaries?”" and row.url == "/"


def test_never_sends_nothing_and_lists_nothing(member, event):
    _choose(member, discussion_replies=NEVER)
    assert event(member, "Reply") == 0
    assert mail.outbox == [] and not Notification.objects.exists()
    assert event(member, "A pledge reminder", kind="pledge_reminders") == 1  # other kinds go


def test_the_daily_digest_holds_the_emails_and_sends_one_digest_once_at_8_local(member, event):
    Person.objects.filter(pk=member.pk).update(timezone="Asia/Tokyo")
    _choose(member, discussion_replies=DAILY)
    for title in ("First reply", "Second reply", "Third reply"):
        assert event(member, title) == 0
    assert mail.outbox == []
    assert Notification.objects.filter(digest=DAILY, digest_sent_at__isnull=True).count() == 3

    eight = _next_local("Asia/Tokyo")
    assert digests_send(now=eight - dt.timedelta(minutes=1)) == 0  # not yet 08:00 in Tokyo
    assert digests_send(now=eight + dt.timedelta(minutes=5)) == 1
    assert digests_send(now=eight + dt.timedelta(minutes=5)) == 0  # once
    assert digests_send(now=eight + dt.timedelta(days=1)) == 0

    (digest,) = mail.outbox
    assert digest.to == [member.email_address]
    assert digest.subject == "Your daily digest: Replies in discussions I follow (3 new)"
    body = digest.body
    assert body.index("First reply") < body.index("Second reply") < body.index("Third reply")
    assert "Asia/Tokyo" in body and "/notifications/" in body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.filter(recipient=member).count() == 3  # the digest is not listed


def test_the_weekly_digest_waits_for_monday_morning(member, event):
    Person.objects.filter(pk=member.pk).update(timezone="America/Bogota")
    _choose(member, discussion_replies=WEEKLY)
    event(member, "A reply")
    monday = _next_local("America/Bogota", weekday=0)
    assert digests_send(now=monday - dt.timedelta(minutes=1)) == 0
    assert digests_send(now=monday + dt.timedelta(minutes=1)) == 1
    assert mail.outbox[0].subject.startswith("Your weekly digest")


def test_a_digest_is_in_the_persons_language(member, event):
    Person.objects.filter(pk=member.pk).update(language="es")
    _choose(member, discussion_replies=DAILY)
    event(member, "Una respuesta")
    assert digests_send(now=timezone.now() + dt.timedelta(days=2)) == 1
    body = mail.outbox[0].body
    assert "Hola" in body and "Una respuesta" in body
    assert "Dejar de recibir" in body or "Deja de recibir" in body or "un clic" in body


def test_each_kind_has_its_own_digest_and_immediate_kinds_still_go_now(member, event):
    _choose(member, discussion_replies=DAILY, poll_reminders=DAILY)
    event(member, "A reply")
    event(member, "Vote on the budget", kind="poll_reminders")
    event(member, "Pledge due", kind="pledge_reminders")  # immediately
    assert [m.subject for m in mail.outbox] == ["Re: Pledge due"]
    assert digests_send(now=timezone.now() + dt.timedelta(days=2)) == 2
    subjects = sorted(m.subject for m in mail.outbox[1:])
    assert subjects == [
        "Your daily digest: Polls I haven't voted in (1 new)",
        "Your daily digest: Replies in discussions I follow (1 new)",
    ]


def test_a_digest_that_fails_to_send_goes_with_the_next_run(member, event, settings):
    _choose(member, discussion_replies=DAILY)
    event(member, "A reply")
    later = timezone.now() + dt.timedelta(days=2)
    settings.EMAIL_BACKEND = "tests.projects.test_notifications.BrokenBackend"
    with pytest.raises(OSError):
        digests_send(now=later)
    assert Notification.objects.get().digest_taken_at is None  # released

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digests_send(now=later) == 1
    assert len(mail.outbox) == 1


def test_stopping_a_kind_after_it_was_held_sends_no_digest(member, event):
    _choose(member, discussion_replies=DAILY)
    event(member, "A reply")
    _choose(member, discussion_replies=NEVER)
    assert digests_send(now=timezone.now() + dt.timedelta(days=2)) == 0
    assert mail.outbox == []
    assert Notification.objects.get().digest_sent_at is not None  # settled: never sent later
    assert Notification.objects.count() == 1  # what was listed stays listed


def test_the_digests_one_click_unsubscribe_sets_its_kind_to_never(member, event, client):
    _choose(member, discussion_replies=DAILY, poll_reminders=WEEKLY)
    event(member, "A reply")
    digests_send(now=timezone.now() + dt.timedelta(days=2))
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")

    client.handler.enforce_csrf_checks = True  # as a mail program posts (RFC 8058)
    assert client.post(urlsplit(link).path, {"List-Unsubscribe": "One-Click"}).status_code == 200

    member.refresh_from_db()
    assert member.email_choices == {"discussion_replies": NEVER, "poll_reminders": WEEKLY}
    assert event(member, "Another reply") == 0
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Madrid moves to summer time on Sunday 29 March 2026: 08:00 is 07:00 UTC the day
        # before and 06:00 UTC that day.
        ("2026-03-29T06:30:00+00:00", "2026-03-29T06:00:00+00:00"),
        ("2026-03-29T05:59:00+00:00", "2026-03-28T07:00:00+00:00"),
    ],
)
def test_the_digest_hour_is_08_00_local_across_a_dst_change(now, expected):
    moment = digest_moment(now=dt.datetime.fromisoformat(now), zone="Europe/Madrid", digest=DAILY)
    assert moment == dt.datetime.fromisoformat(expected)


def test_the_weekly_digest_moment_is_the_latest_monday_morning():
    # Wednesday 9 December 2026, noon UTC, in Tokyo: the latest Monday 08:00 there is the 7th.
    moment = digest_moment(
        now=dt.datetime(2026, 12, 9, 12, tzinfo=dt.UTC), zone="Asia/Tokyo", digest=WEEKLY
    )
    assert moment == dt.datetime(2026, 12, 6, 23, tzinfo=dt.UTC)


def test_a_digest_a_killed_worker_left_is_sent_again_once(member, event, settings):
    _choose(member, discussion_replies=DAILY)
    event(member, "A reply")
    event(member, "Another reply")
    # A worker claimed the digest and died before sending it.
    long_ago = timezone.now() - dt.timedelta(seconds=settings.DELIVERY_RECLAIM_SECONDS + 60)
    Notification.objects.update(digest_taken_at=long_ago)

    sender = delivery.sender_named("notifications.digests")
    unsent = list(
        Notification.objects.filter(sender.unsent(timezone.now())).values_list("pk", flat=True)
    )
    assert len(unsent) == 2
    assert sender.send_ids(unsent) == 1
    assert sender.send_ids(unsent) == 0
    assert len(mail.outbox) == 1 and "Another reply" in mail.outbox[0].body


def test_beat_sends_the_digests_every_hour():
    entry = django_settings.CELERY_BEAT_SCHEDULE["notification-digests"]
    assert entry["task"] == "notifications.tasks.send_digests"
    assert entry["schedule"].hour == set(range(24)) and len(entry["schedule"].minute) == 1
