"""One reading of the client's address for the login throttle, the API throttles and the
public form: X-Forwarded-For counts only as far as our own proxies vouch for it."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings
from rest_framework.test import APIRequestFactory

from accounts.api_auth import AnonRateThrottle, SessionUserRateThrottle
from intake.throttles import HelpRequestThrottle
from patio.http import client_ip


def _request(forwarded: str | None = None, remote: str = "10.0.0.2"):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "10.0.0.2"),
        (0, "198.51.100.1", "10.0.0.2"),  # nobody vouches for the header: anyone could send it
        (1, None, "10.0.0.2"),
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the forged entry is left of ours
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        (2, "198.51.100.1", "198.51.100.1"),
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_the_address_our_outermost_proxy_saw(proxies, forwarded, expected):
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(_request(forwarded)) == expected


@pytest.mark.parametrize("throttle", [AnonRateThrottle, SessionUserRateThrottle])
def test_the_api_throttles_count_the_same_address(throttle):
    request = APIRequestFactory().get(
        "/api/v1/people/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1"
    )
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert throttle().get_ident(request) == "198.51.100.1"
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert throttle().get_ident(request) == "10.0.0.2"


def test_the_help_request_form_counts_the_same_address():
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert HelpRequestThrottle().get_ident(_request("198.51.100.1")) == "198.51.100.1"


@pytest.mark.django_db
def test_two_people_behind_our_proxy_have_a_login_budget_each(client, member, colleague):
    from tests.accounts.test_login_security import _login, _wait_in

    with override_settings(TRUSTED_PROXY_COUNT=1):
        for n in range(25):
            _login(client, f"nobody{n}@example.coop", "guess", HTTP_X_FORWARDED_FOR="6.6.6.6")
        neighbour = _login(client, member.user.email, "x", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert _wait_in(neighbour) is None
