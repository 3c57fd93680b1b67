"""Browsers and crawlers ask for /favicon.ico; every page links the icon itself."""

from django.contrib.staticfiles import finders

from tests.factories import PersonFactory


def test_favicon_ico_sends_the_browser_to_the_icon_every_page_links(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].split("?")[0].endswith(".svg")
    assert finders.find("icon.svg"), "the icon is a static file"
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page and "icon" in response["Location"]


def test_the_icon_is_linked_for_members_too(client, db):
    client.force_login(PersonFactory().user)

    assert 'rel="icon"' in client.get("/").content.decode()
