"""Posting, changing and closing offers and wants; replies and their emails; the expiry task."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from offers import emails, services
from offers.models import Post, Reply
from offers.search import search_posts
from offers.selectors import post_list
from offers.tasks import send_reply_email
from patio.dates import network_today
from tests.conftest import queued
from tests.offers.conftest import post_data

pytestmark = pytest.mark.django_db


def test_a_member_posts_an_open_offer_with_tidy_tags_and_it_is_audited(make_post, member):
    post = make_post(member, tags=["Django", "django", "Remote work"])

    assert post.state == "open" and post.poster == member and post.organisation is None
    assert [tag.name for tag in post.tags.order_by("name")] == ["django", "remote-work"]
    assert AuditEvent.objects.filter(action="offer.post", object_id=str(post.pk)).exists()


def test_search_finds_a_post_by_a_word_of_its_title_or_tags(make_post, member):
    post = make_post(member, title="Meeting room in Buenos Aires", kind="room", tags=["palermo"])
    make_post(member, title="Mentoring on sociocracy", kind="mentoring", tags=["governance"])

    assert list(search_posts(post_list(member.user), "buenos")) == [post]
    assert list(search_posts(post_list(member.user), "palermo")) == [post]


def test_a_local_post_must_say_its_country(member):
    with pytest.raises(ValidationError) as error:
        services.post_create(actor=member.user, data=post_data(scope="local"))
    assert "country" in error.value.error_dict
    assert not Post.objects.exists()


def test_a_post_cannot_end_before_it_starts_or_in_the_past(member):
    today = network_today()
    for ends_on in (today - datetime.timedelta(days=1),):
        with pytest.raises(ValidationError):
            services.post_create(
                actor=member.user,
                data=post_data(starts_on=today - datetime.timedelta(days=5), ends_on=ends_on),
            )
    with pytest.raises(ValidationError):
        services.post_create(
            actor=member.user,
            data=post_data(starts_on=today + datetime.timedelta(days=3), ends_on=today),
        )
    assert not Post.objects.exists()


def test_only_a_coop_admin_posts_for_the_coop(make_post, member, coop_admin):
    with pytest.raises(PermissionDenied):
        make_post(member, for_coop=True)
    post = make_post(coop_admin, for_coop=True)
    assert post.organisation == coop_admin.organisation


def test_the_poster_marks_it_fulfilled_once_and_reopens_it(post, member):
    services.post_fulfil(actor=member.user, post=post)
    assert Post.objects.get(pk=post.pk).state == "fulfilled"
    with pytest.raises(services.PostClosed):
        services.post_fulfil(actor=member.user, post=Post.objects.get(pk=post.pk))

    services.post_reopen(actor=member.user, post=Post.objects.get(pk=post.pk))
    fresh = Post.objects.get(pk=post.pk)
    assert fresh.state == "open" and fresh.closed_at is None


def test_another_member_cannot_fulfil_someone_elses_post(post, colleague):
    with pytest.raises(PermissionDenied):
        services.post_fulfil(actor=colleague.user, post=post)
    assert Post.objects.get(pk=post.pk).state == "open"


def test_the_daily_task_expires_posts_past_their_end_date_once(post, make_post, member):
    later = make_post(member, title="Still running")
    after_end = post.ends_on + datetime.timedelta(days=1)
    Post.objects.filter(pk=later.pk).update(ends_on=after_end + datetime.timedelta(days=10))

    assert services.posts_expire(today=after_end) == 1
    assert services.posts_expire(today=after_end) == 0
    assert Post.objects.get(pk=post.pk).state == "expired"
    assert Post.objects.get(pk=later.pk).state == "open"
    # An expired post cannot be reopened: its end date has passed.
    with pytest.raises(services.PostClosed):
        services.post_reopen(actor=member.user, post=Post.objects.get(pk=post.pk))


def test_a_reply_is_kept_and_its_email_queued(post, outsider):
    reply = services.reply_create(actor=outsider.user, post=post, body="We could use it!")

    assert Reply.objects.get().body == "We could use it!"
    assert queued(send_reply_email) == [[reply.pk]]


def test_nobody_replies_to_their_own_post_nor_to_a_closed_one(post, member, outsider):
    with pytest.raises(PermissionDenied):
        services.reply_create(actor=member.user, post=post, body="Me again")
    services.post_fulfil(actor=member.user, post=post)
    with pytest.raises(services.PostClosed):
        services.reply_create(actor=outsider.user, post=post, body="Too late?")
    assert not Reply.objects.exists()


def test_the_reply_email_goes_once_in_the_posters_language_without_the_posters_address(
    post, member, outsider
):
    member.language = "es"
    member.save(update_fields=["language"])
    reply = services.reply_create(actor=outsider.user, post=post, body="Nos interesa.")

    assert emails.reply_email_send(reply_id=reply.pk) is True
    assert emails.reply_email_send(reply_id=reply.pk) is False  # a retry sends nothing
    [message] = mail.outbox
    assert message.to == [member.user.email]
    assert "Nos interesa." in message.body
    # Written in the poster's language: the footer is translated already, the rest follows
    # once the catalogues carry this app's strings.
    assert "Elegir qué correos recibir" in message.body
    assert "List-Unsubscribe" in message.extra_headers


def test_a_poster_who_turned_replies_off_gets_no_email_but_sees_the_reply(post, member, outsider):
    member.email_choices = {emails.REPLY_EMAILS: "never"}
    member.save(update_fields=["email_choices"])
    reply = services.reply_create(actor=outsider.user, post=post, body="Hello")

    assert emails.reply_email_send(reply_id=reply.pk) is False
    assert mail.outbox == []
    assert Reply.objects.get(pk=reply.pk).email_sent_at is not None  # settled: never again
