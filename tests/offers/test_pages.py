"""The board, a post's page, posting, replying and the API, as people and partner tools use them."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from offers import emails, services
from offers.models import DigestEntry, Post, Reply, SavedSearch
from tests.offers.conftest import post_data

pytestmark = pytest.mark.django_db


def _form(**changes) -> dict:
    data = post_data(**changes)
    return {key: str(value) for key, value in data.items()} | {"tags": "django, remote"}


def test_a_visitor_reads_open_public_posts_but_not_members_only_or_closed_ones(
    client, make_post, member
):
    open_post = make_post(member, title="Open to all")
    make_post(member, title="Members only", visibility="members")
    closed = make_post(member, title="Already done")
    services.post_fulfil(actor=member.user, post=closed)

    page = client.get(reverse("offers:board")).content.decode()
    assert "Open to all" in page and "Members only" not in page and "Already done" not in page
    assert client.get(closed.get_absolute_url()).status_code == 404
    detail = client.get(open_post.get_absolute_url()).content.decode()
    assert '"@type": "Offer"' in detail and "log in</a> to reply" in detail


def test_a_member_posts_through_the_form_and_lands_on_the_post(client, member):
    client.force_login(member.user)
    response = client.post(reverse("offers:new"), _form(title="Spare capacity"))
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert post.title == "Spare capacity" and post.tags.count() == 2


def test_the_form_shows_why_a_local_post_was_refused(client, member):
    client.force_login(member.user)
    response = client.post(reverse("offers:new"), _form(scope="local"))
    assert response.status_code == 200
    assert "says which country" in response.content.decode()
    assert not Post.objects.exists()


def test_a_reply_through_the_page_reaches_the_poster_who_sees_it_and_the_replier_sees_only_theirs(
    client, post, member, outsider, colleague, django_capture_on_commit_callbacks
):
    client.force_login(outsider.user)
    response = client.post(reverse("offers:reply", args=[post.pk]), {"body": "We need this"})
    assert response.status_code == 302
    reply = Reply.objects.get()
    emails.reply_email_send(reply_id=reply.pk)
    assert [m.to for m in mail.outbox] == [[member.user.email]]
    # The replier never sees the poster's address.
    assert member.user.email not in client.get(post.get_absolute_url()).content.decode()

    services.reply_create(actor=colleague.user, post=post, body="Me too")
    outsider_page = client.get(post.get_absolute_url()).content.decode()
    assert "We need this" in outsider_page and "Me too" not in outsider_page

    client.force_login(member.user)
    poster_page = client.get(post.get_absolute_url()).content.decode()
    assert "We need this" in poster_page and "Me too" in poster_page
    assert not Reply.objects.filter(read_at__isnull=True).exists()


def test_the_board_and_a_post_cost_the_same_queries_at_two_sizes(
    client, make_post, member, django_assert_max_num_queries
):
    def counts() -> tuple[int, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as board:
            client.get(reverse("offers:board"))
        with CaptureQueriesContext(connection) as api:
            client.get("/api/v1/offers/")
        return len(board), len(api)

    client.force_login(member.user)
    make_post(member)
    small = counts()
    for n in range(6):
        make_post(member, title=f"Post {n}", tags=[f"t{n}", "django"])
    assert counts() == small


def test_the_api_posts_replies_and_fulfils_with_problems_for_bad_input(
    api_client, member, outsider
):
    api_client.force_login(member.user)
    body = {key: str(value) for key, value in post_data().items()} | {"tags": ["django"]}
    created = api_client.post("/api/v1/offers/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]

    bad = api_client.post("/api/v1/offers/", body | {"scope": "local"}, format="json")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")

    api_client.force_login(outsider.user)
    reply = api_client.post(f"/api/v1/offers/{pk}/replies/", {"body": "Hi"}, format="json")
    assert reply.status_code == 201
    assert json.dumps(reply.json()).find(member.user.email) == -1

    api_client.force_login(member.user)
    assert api_client.post(f"/api/v1/offers/{pk}/fulfil/").status_code == 200
    again = api_client.post(f"/api/v1/offers/{pk}/fulfil/")
    assert again.status_code == 409


def test_a_saved_search_digest_lists_a_matching_post_once(make_post, member, outsider):
    search = services.saved_search_create(
        actor=outsider.user, data={"name": "Django", "frequency": "daily"}, tags=["django"]
    )
    matching = make_post(member, tags=["django"])
    make_post(member, title="Unrelated", tags=["rooms"])

    assert emails.digests_send(frequency="daily") == 1
    assert emails.digests_send(frequency="daily") == 0
    [message] = mail.outbox
    assert matching.title in message.body and "Unrelated" not in message.body
    assert "List-Unsubscribe" in message.extra_headers
    assert list(DigestEntry.objects.values_list("post_id", flat=True)) == [matching.pk]
    assert SavedSearch.objects.get(pk=search.pk).entries.count() == 1
