"""Every form refuses a post without its CSRF token, and every page sends the Content Security
Policy, the Permissions-Policy and, with personal data on it, `Cache-Control: private, no-store`
(patio/settings.py, docs/security.md V3).

The CSRF walk takes every route of patio/urls.py, pages, API and admin alike, and posts to it as
a signed-in person with Django's checks on (`Client(enforce_csrf_checks=True)`): the CSRF
middleware refuses before any view runs, so a route is safe whatever its view does, unless it
is exempt. A new exempt route fails here until someone looks at it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Routes exempt on purpose, each with its reason.
CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe: the mail client posts from the email, with no session and
    # no token; the signed link is the proof, and unsubscribing grants nothing.
    "members:email_unsubscribe",
}


def _routes(patterns=None, namespace: str = "") -> list[tuple[str, dict[str, str]]]:
    """(url name, dummy kwargs) of every named route, once each."""
    found: list[tuple[str, dict[str, str]]] = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            converters = getattr(pattern.pattern, "converters", {})
            groups = getattr(getattr(pattern.pattern, "regex", None), "groupindex", {})
            if "format" in groups:
                continue  # the same view as the route without a suffix
            kwargs = {
                name: "1" if type(converters.get(name)).__name__ == "IntConverter" else "x"
                for name in {*converters, *groups}
            }
            if name := f"{namespace}{pattern.name}":
                found.append((name, {k: ("1" if k == "pk" else v) for k, v in kwargs.items()}))
    return list({name: (name, kwargs) for name, kwargs in found}.values())


def _url(name: str, kwargs: dict[str, str]) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except Exception:  # a route whose dummy values its converter refuses
        return None


def test_the_walk_reaches_the_forms_that_matter():
    names = {name for name, _kwargs in _routes()}
    assert {"fund:contribution_decline", "circles:members", "api:token-list"} <= names
    assert {"members:person_coop_admin", "account_reauthenticate", "set_language"} <= names


def test_every_route_refuses_a_post_without_a_csrf_token(member, subtests):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    for name, kwargs in _routes():
        url = _url(name, kwargs)
        if url is None or name in CSRF_EXEMPT:
            continue
        with subtests.test(route=name, url=url):
            if name.startswith("api:"):  # DRF checks a session's token itself
                response = client.post(url, {}, content_type="application/json")
            else:
                response = client.post(url, {"anything": "1"})
            assert response.status_code == 403, f"{url} took a post without a CSRF token"


def test_the_same_post_with_its_token_gets_through(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    client.get("/me/")
    token = client.cookies["csrftoken"].value
    response = client.post("/i18n/setlang/", {"language": "es", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


# Headers ----------------------------------------------------------------------------------------
PAGES = ["/", "/people/", "/coops/", "/circles/", "/fund/", "/accounts/login/", "/request-help/"]

# As docs/security.md lists them.
CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
    "base-uri": {"'self'"},
    "object-src": {"'none'"},
}


def _directives(header: str) -> dict[str, set[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: set(values) for name, *values in parts}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_the_content_security_policy(client, member, path):
    if path != "/accounts/login/":  # which sends a signed-in person on
        client.force_login(member.user)
    response = client.get(path)
    assert response.status_code == 200, path
    assert _directives(response["Content-Security-Policy"]) == CSP
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_turns_off_camera_microphone_and_location(client, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture"):
        assert f"{feature}=()" in policy, (path, feature)


# The pages that show someone's personal data.
PERSONAL = ["/me/", "/me/privacy/", "/accounts/tokens/", "/fund/contributions/", "/fund/claims/"]


@pytest.mark.parametrize("path", PERSONAL)
def test_pages_with_personal_data_are_private_and_not_stored(client, member, path):
    client.force_login(member.user)
    response = client.get(path)
    assert response.status_code == 200, path
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}


def test_a_persons_profile_is_private_and_not_stored(client, member, colleague):
    client.force_login(member.user)
    response = client.get(f"/people/{colleague.pk}/")
    assert response.status_code == 200
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}
