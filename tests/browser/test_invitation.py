"""A co-op admin invites a person, the email goes out from the real worker, and they join."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import label
from tests.worker_fixtures import wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    # Celery's Redis result backend calls a redis-py method that redis-py deprecates.
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
]


def test_coop_admin_invites_a_person_who_then_joins(
    page, new_context, log_in, celery_worker, coop, coop_admin
):
    log_in(page, "ana@camplight.coop")
    page.goto("/coops/camplight/")
    page.get_by_role("link", name="Invite people").click()
    page.get_by_label(label("Email address")).fill("nadia@example.coop")
    page.get_by_label(label("Name")).fill("Nadia Newcomer")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to nadia@example.coop.")

    wait_until(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == ["nadia@example.coop"]
    link = re.search(r"https?://\S+/join/\S+/", mail.outbox[0].body).group()

    newcomer = new_context().new_page()  # a browser of her own: not logged in
    newcomer.goto(urlsplit(link).path)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Join Camplight on Patio")
    newcomer.get_by_role("link", name="Create my account").click()
    expect(newcomer.get_by_label(label("Email"))).to_have_value("nadia@example.coop")
    newcomer.get_by_label(label("Password")).fill("plum kettle orbit 97")
    newcomer.get_by_label(label("Password (again)")).fill("plum kettle orbit 97")
    newcomer.get_by_role("button", name=re.compile("sign up", re.IGNORECASE)).click()

    expect(newcomer.locator("form[action='/accounts/logout/'] button")).to_be_attached()
    newcomer.goto("/coops/camplight/")
    people = newcomer.get_by_role("region", name="People")
    expect(people.get_by_role("link", name="Nadia Newcomer")).to_be_visible()

    page.reload()
    expect(page.get_by_role("row", name=re.compile("nadia@example.coop"))).to_contain_text(
        "Accepted"
    )
