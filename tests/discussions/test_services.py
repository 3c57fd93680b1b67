"""What people rely on in discussions, through the real services and pages: replies nest one
level, mentions and follows email only those who may read, unread counts, search that never
leaks, edits kept, hidden comments shown as hidden, and constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from discussions import emails, selectors, services
from discussions.mentions import handle_of, people_mentioned
from discussions.models import Comment, Notice, Reaction, Thread
from discussions.search import search_threads
from discussions.tasks import send_notices
from polls.models import Poll
from polls.services import vote_cast
from tests.conftest import queued
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _send_all() -> int:
    return sum(
        emails.notices_send(comment_id=pk) for pk in Comment.objects.values_list("pk", flat=True)
    )


def test_a_reply_to_a_reply_goes_under_the_same_top_level_reply(start, member, outsider):
    thread = start(member)
    opening = thread.comments.get(is_opening=True)
    top = services.comment_post(actor=outsider.user, thread=thread, body="Top", parent=opening)
    nested = services.comment_post(actor=member.user, thread=thread, body="Nested", parent=top)
    deeper = services.comment_post(actor=outsider.user, thread=thread, body="Deeper", parent=nested)

    assert top.parent is None  # answering the opening post is a top-level reply
    assert nested.parent_id == top.pk
    assert deeper.parent_id == top.pk  # one level, never deeper
    _opening, entries = selectors.arranged(list(selectors.comments_of(thread)))
    assert [(e.comment.body, [r.body for r in e.replies]) for e in entries] == [
        ("Top", ["Nested", "Deeper"])
    ]
    assert Thread.objects.get(pk=thread.pk).reply_count == 3


def test_a_reply_to_a_comment_of_another_thread_is_refused(start, member):
    one, other = start(member), start(member)
    with pytest.raises(ValidationError):
        services.comment_post(actor=member.user, thread=one, body="x", parent=other.comments.get())


def test_a_thread_is_about_one_subject_at_most(circle, member, start):
    from tests.policies.factories import PolicyFactory

    policy = PolicyFactory(circle=circle)
    with pytest.raises(ValidationError):
        start(member, circle=circle, policy=policy)
    with pytest.raises(IntegrityError), transaction.atomic():
        Thread.objects.create(
            title="x",
            author=member,
            circle=circle,
            policy=policy,
            last_activity_at="2026-01-01T00:00Z",
        )


def test_mentions_email_only_people_who_may_read_the_thread(circle, member, outsider, author):
    thread = services.thread_start(
        actor=author.user,
        title="Budget",
        body=f"@{handle_of(member)} and @{handle_of(outsider)}, what do you think?",
        visibility="circle",
        circle=circle,
    )

    told = set(Notice.objects.filter(comment__thread=thread).values_list("person_id", "kind"))
    assert told == {(member.pk, "mention")}  # the outsider is not in the circle
    assert queued(send_notices) == [[thread.comments.get().pk]]
    assert _send_all() == 1
    [message] = mail.outbox
    assert message.to == [member.user.email]
    assert "Budget" in message.subject
    assert "List-Unsubscribe" in message.extra_headers


def test_an_ambiguous_handle_names_nobody_and_a_number_picks_one(member, coop):
    twin = PersonFactory(organisation=coop, display_name=member.display_name)
    handle = handle_of(member)
    assert people_mentioned(f"Hi @{handle}") == []
    assert people_mentioned(f"Hi @{handle}-{twin.pk}") == [twin]
    assert people_mentioned("mail me at someone@example.org") == []


def test_followers_hear_of_new_replies_never_of_their_own(start, member, outsider, colleague):
    thread = start(member)
    services.comment_post(actor=outsider.user, thread=thread, body="First")  # follows now
    mail.outbox.clear()
    Notice.objects.update(sent_at="2026-01-01T00:00Z")
    services.follow_set(actor=colleague.user, thread=thread, following=True)
    services.follow_set(actor=colleague.user, thread=thread, following=False)
    reply = services.comment_post(actor=member.user, thread=thread, body="Second")

    assert set(Notice.objects.filter(comment=reply).values_list("person_id", flat=True)) == {
        outsider.pk
    }
    assert emails.notices_send(comment_id=reply.pk) == 1
    assert emails.notices_send(comment_id=reply.pk) == 0  # a retry sends nothing
    [message] = mail.outbox
    assert message.to == [outsider.user.email]
    assert "Second" in message.body


def test_a_follower_writes_in_their_own_language(start, member, outsider):
    outsider.language = "es"
    outsider.save(update_fields=["language"])
    thread = start(member)
    services.comment_post(actor=outsider.user, thread=thread, body="Hola")
    reply = services.comment_post(actor=member.user, thread=thread, body="Hello")
    emails.notices_send(comment_id=reply.pk)
    [message] = mail.outbox
    assert "Elegir qué correos recibir" in message.body


def test_a_follower_who_turned_replies_off_gets_nothing(start, member, outsider):
    outsider.email_choices = {emails.REPLY_EMAILS: "never"}
    outsider.save(update_fields=["email_choices"])
    thread = start(member)
    services.comment_post(actor=outsider.user, thread=thread, body="Hi")
    reply = services.comment_post(actor=member.user, thread=thread, body="Hello")
    assert emails.notices_send(comment_id=reply.pk) == 0
    assert mail.outbox == []


def test_unread_counts_what_others_wrote_since_the_reader_last_read(start, member, outsider):
    thread = start(member)
    for body in ("one", "two"):
        services.comment_post(actor=outsider.user, thread=thread, body=body)
    assert selectors.thread_list(member.user).get(pk=thread.pk).unread == 2
    assert selectors.thread_list(outsider.user).get(pk=thread.pk).unread == 0

    services.thread_mark_read(actor=member.user, thread=thread)
    assert selectors.thread_list(member.user).get(pk=thread.pk).unread == 0
    services.comment_post(actor=outsider.user, thread=thread, body="three")
    assert selectors.thread_list(member.user).get(pk=thread.pk).unread == 1


def test_search_never_finds_a_thread_the_reader_may_not_read(circle, author, outsider, member):
    services.thread_start(
        actor=author.user,
        title="Confidential salaries",
        body="The numbers",
        visibility="circle",
        circle=circle,
    )
    public = services.thread_start(
        actor=author.user, title="Open salaries", body="Everyone", visibility="public"
    )
    for reader, expected in ((None, 1), (outsider.user, 1), (member.user, 2)):
        found = search_threads(selectors.thread_list(reader), "salaries")
        assert found.count() == expected
    assert list(search_threads(selectors.thread_list(None), "confidential")) == []
    assert list(search_threads(selectors.thread_list(None), "everyone")) == [public]


def test_a_hidden_comments_words_are_not_searchable_and_show_as_hidden(
    start, member, outsider, colleague, circle, client
):
    thread = start(member, circle=circle)
    reply = services.comment_post(actor=outsider.user, thread=thread, body="Rude zebra remark")
    services.comment_hide(actor=colleague.user, comment=reply, reason="Personal attack")

    assert not search_threads(selectors.thread_list(member.user), "zebra").exists()
    event = AuditEvent.objects.get(action="discussion.hide")
    assert event.after == {"hidden": True, "reason": "Personal attack"}
    client.force_login(member.user)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Personal attack" in html and "Rude zebra" not in html
    api = client.get(f"/api/v1/discussions/{thread.pk}/replies/").json()
    assert api[1]["body"] == "" and api[1]["hidden_reason"] == "Personal attack"


def test_a_closed_thread_takes_no_replies(start, member, colleague, circle):
    thread = start(member, circle=circle)
    services.thread_close(actor=colleague.user, thread=thread)
    with pytest.raises(services.ThreadClosed):
        services.comment_post(actor=member.user, thread=thread, body="Late")


def test_edits_keep_the_earlier_text_for_readers(start, member, outsider, client):
    thread = start(member)
    opening = thread.comments.get()
    services.comment_edit(actor=member.user, comment=opening, body="Is equal pay fair?")
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=outsider.user, comment=opening, body="Mine now")

    client.force_login(outsider.user)
    html = client.get(reverse("discussions:history", args=[opening.pk])).content.decode()
    assert "Do we have equal salaries?" in html and "Mila Member" in html


def test_a_reaction_toggles_once_per_person_and_kind(start, member, outsider, client):
    thread = start(member)
    opening = thread.comments.get()
    assert services.reaction_toggle(actor=outsider.user, comment=opening, kind="agree") is True
    assert services.reaction_toggle(actor=outsider.user, comment=opening, kind="thanks") is True
    assert services.reaction_toggle(actor=outsider.user, comment=opening, kind="agree") is False
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["thanks"]
    with pytest.raises(ValidationError):
        services.reaction_toggle(actor=outsider.user, comment=opening, kind="angry")

    client.force_login(member.user)
    url = reverse("discussions:react", args=[opening.pk])
    fragment = client.post(url, {"kind": "agree"}, headers={"HX-Request": "true"})
    assert 'id="reactions-' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert client.post(url, {"kind": "agree"}).status_code == 302  # the no-JS form


def test_a_public_thread_about_a_members_only_policy_is_refused(circle, member, start):
    from tests.policies.factories import PolicyFactory

    policy = PolicyFactory(circle=circle, visibility="members")
    with pytest.raises(ValidationError):
        start(member, visibility="public", policy=policy)
    thread = start(member, visibility="network", policy=policy)
    assert not selectors.thread_list(None).filter(pk=thread.pk).exists()


def _threads(n, member, outsider):
    for i in range(n):
        thread = services.thread_start(actor=member.user, title=f"Topic {i}", body="Body")
        services.comment_post(actor=outsider.user, thread=thread, body="Reply")


@pytest.mark.parametrize("n", [2, 12])
def test_the_list_and_the_api_run_constant_queries(n, member, outsider, client, count_queries):
    _threads(n, member, outsider)
    client.force_login(member.user)
    with count_queries() as page:
        assert client.get(reverse("discussions:list")).status_code == 200
    with count_queries() as api:
        assert client.get("/api/v1/discussions/").status_code == 200
    assert page.count <= 14, page.report()
    assert api.count <= 10, api.report()


@pytest.mark.parametrize("n", [2, 12])
def test_a_thread_page_runs_constant_queries(n, start, member, outsider, client, count_queries):
    thread = start(member)
    top = services.comment_post(actor=outsider.user, thread=thread, body="Top")
    for i in range(n):
        comment = services.comment_post(
            actor=outsider.user, thread=thread, body=f"@{handle_of(member)} {i}", parent=top
        )
        services.reaction_toggle(actor=member.user, comment=comment, kind="agree")
    client.force_login(member.user)
    with count_queries() as page:
        assert client.get(thread.get_absolute_url()).status_code == 200
    assert page.count <= 24, page.report()


def _poll(**extra):
    closes = datetime.datetime(2030, 1, 15, 18, tzinfo=datetime.UTC)
    return (
        {"title": "Which rule?", "kind": "score", "closes_at": closes}
        | {"options": ["One rate", "A rate by rents"]}
        | extra
    )


def test_the_starter_adds_one_poll_and_it_is_the_threads_circles(start, member, circle, client):
    thread = start(member, circle=circle, visibility="circle")

    poll = services.thread_poll_add(actor=member.user, thread=thread, **_poll())

    thread.refresh_from_db()
    assert thread.poll == poll and poll.circle == circle and poll.kind == "score"
    assert AuditEvent.objects.filter(action="discussion.poll_add").count() == 1
    with pytest.raises(ValidationError):  # the form sent twice opens no second poll
        services.thread_poll_add(actor=member.user, thread=thread, **_poll(title="Again?"))
    client.force_login(member.user)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Which rule?" in html and poll.get_absolute_url() in html
    again = client.post(
        reverse("discussions:poll_new", args=[thread.pk]),
        {"title": "Again?", "kind": "single", "options": "A\nB", "closes_at": "2030-01-15T18:00"},
    )
    assert again.status_code == 302 and again["Location"] == thread.get_absolute_url()
    assert list(Poll.objects.values_list("title", flat=True)) == ["Which rule?"]


def test_a_closed_thread_takes_no_poll(start, member, colleague, circle):
    thread = start(member, circle=circle)
    services.thread_close(actor=colleague.user, thread=thread)
    with pytest.raises(PermissionDenied):
        services.thread_poll_add(actor=member.user, thread=thread, **_poll())
    assert not Poll.objects.exists()


def test_a_poll_the_service_refuses_leaves_the_thread_without_one(start, member, client):
    thread = start(member)
    client.force_login(member.user)
    response = client.post(
        reverse("discussions:poll_new", args=[thread.pk]),
        {
            "title": "Which?",
            "kind": "single",
            "options": "Only one",
            "closes_at": "2030-01-15T18:00",
            "slot_minutes": 90,
            "electorate": "all",
            "max_score": 5,
            "dots": 10,
        },
    )
    assert response.status_code == 400
    assert "Give between 2 and 40 options." in response.content.decode()
    thread.refresh_from_db()
    assert thread.poll_id is None and not Poll.objects.exists()


@pytest.mark.parametrize("n", [2, 12])
def test_a_thread_page_with_a_poll_runs_constant_queries(
    n, start, member, outsider, client, count_queries
):
    thread = start(member)
    options = [f"Rule {i}" for i in range(n)]
    poll = services.thread_poll_add(actor=member.user, thread=thread, **_poll(options=options))
    for person in PersonFactory.create_batch(n):
        vote_cast(
            actor=person.user,
            poll=poll,
            answer={"scores": {str(o.pk): 3 for o in poll.options.all()}},
        )
    client.force_login(outsider.user)
    with count_queries() as page:
        assert client.get(thread.get_absolute_url()).status_code == 200
    assert page.count <= 26, page.report()
