"""Journey: a want finds its answer. The demo member posts a want through the form, the demo
coordinator replies on its page, the member gets the reply by email, reads it on the post and
marks the want fulfilled; its Murmurations profile then answers 410, so the index drops it."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from members.models import Person
from offers.models import Post, Reply
from tests.journeys.conftest import DEMO_COORDINATOR, DEMO_MEMBER
from tests.worker_fixtures import wait_until

TITLE = "A screen-reader tester for two weeks"


@pytest.fixture
def cleaned_up():
    """The journey's post goes afterwards, and the coordinator reads in English meanwhile."""
    coordinator = Person.objects.get(user__email=DEMO_COORDINATOR)
    Person.objects.filter(pk=coordinator.pk).update(language="en")
    yield
    Person.objects.filter(pk=coordinator.pk).update(language=coordinator.language)
    Post.objects.filter(title=TITLE).delete()


@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_a_member_posts_a_want_gets_a_reply_by_email_and_marks_it_fulfilled(
    page: Page, browser, log_in_as, live_server, cleaned_up, demo_worker
):
    log_in_as(page, DEMO_MEMBER)
    page.goto("/offers/")
    page.get_by_role("link", name="Post an offer or a want").click()
    page.get_by_label("Want").check()
    page.get_by_label("What kind").select_option("capacity")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Description").fill("We need someone who uses **NVDA** daily.")
    page.get_by_label("Scope").select_option("global")
    page.get_by_label("Until").fill("2099-12-31")
    page.get_by_label("Tags").fill("accessibility, testing")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    post = Post.objects.get(title=TITLE)
    assert page.request.get(f"/murmurations/offers/{post.pk}.json").status == 200

    other = browser.new_context(base_url=live_server.url).new_page()
    log_in_as(other, DEMO_COORDINATOR)
    other.goto(post.get_absolute_url())
    other.get_by_label("Your reply").fill("Our tester Ana can help from Monday.")
    other.get_by_role("button", name="Send reply").click()
    expect(other.get_by_text("Your reply was sent to the poster.")).to_be_visible()
    # The replier never sees the poster's address.
    assert DEMO_MEMBER not in other.content()

    wait_until(lambda: len(mail.outbox) >= 1)
    [message] = mail.outbox
    assert message.to == [DEMO_MEMBER] and "Our tester Ana can help" in message.body
    assert "List-Unsubscribe" in message.extra_headers

    page.reload()
    expect(page.get_by_text("Our tester Ana can help from Monday.")).to_be_visible()
    page.get_by_role("button", name="Mark as fulfilled").click()
    expect(page.get_by_text("Marked as fulfilled.")).to_be_visible()
    assert Post.objects.get(pk=post.pk).state == "fulfilled"
    assert Reply.objects.get(post=post).read_at is not None
    assert page.request.get(f"/murmurations/offers/{post.pk}.json").status == 410
