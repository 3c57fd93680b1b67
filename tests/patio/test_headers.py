"""What every answer tells the browser: keep personal pages out of caches, and no camera,
microphone or location for any page."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

PAGES = ["/", "/coops/", "/people/", "/accounts/email/", "/api/v1/organisations/", "/fund/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_pages_are_kept_out_of_shared_and_browser_caches(client, member, path):
    client.force_login(member.user)

    response = client.get(path)

    assert response.status_code == 200, path
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}


@pytest.mark.django_db
def test_an_anonymous_visitor_gets_the_same_rule(client):
    assert "no-store" in client.get("/accounts/login/")["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("feature", ["camera", "microphone", "geolocation", "payment", "usb"])
def test_no_page_may_use_the_camera_microphone_or_location(client, feature):
    policy = client.get("/accounts/login/")["Permissions-Policy"]

    assert f"{feature}=()" in policy


@pytest.mark.django_db
def test_passkeys_stay_allowed(client):
    assert "publickey-credentials" not in client.get("/accounts/login/")["Permissions-Policy"]


def test_static_files_keep_their_own_caching(client):
    assert finders.find("js/patio.js")

    response = client.get("/static/js/patio.js")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
