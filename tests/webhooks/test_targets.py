"""Where a webhook may go (webhooks.targets), without a network: addresses written as addresses."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from webhooks import targets

pytestmark = pytest.mark.pure


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hooks",
        "https://127.0.0.5/hooks?tool=patio",
        "http://[::1]:9000/",
        "http://localhost:3000/hooks",
    ],
)
def test_on_loopback_this_machine_is_the_only_target(url):
    with override_settings(WEBHOOK_TARGETS=targets.LOOPBACK):
        assert targets.check_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "https://93.184.216.34/hooks",
        "https://[2606:2800:220:1:248:1893:25c8:1946]/hooks",
        "https://93.184.216.34:8443/a/b?c=d",
    ],
)
def test_in_production_public_https_addresses_are_targets(url):
    with override_settings(WEBHOOK_TARGETS=targets.PUBLIC):
        assert targets.check_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "https://0.0.0.0/",
        "https://224.0.0.1/",
        "https://198.18.0.1/",
        "https://[::ffff:10.0.0.1]/",
        "https://[fe80::1]/",
        "https://2130706433/",  # 127.0.0.1 as one number, which the resolver reads as loopback
        "https://93.184.216.34/#top",
    ],
)
def test_in_production_no_other_address_is_a_target(url):
    with override_settings(WEBHOOK_TARGETS=targets.PUBLIC), pytest.raises(ValidationError):
        targets.check_url(url)


def test_a_refused_address_is_not_even_connected_to():
    with override_settings(WEBHOOK_TARGETS=targets.PUBLIC):
        answer = targets.post("https://10.0.0.1/hooks", body=b"{}", headers={})
    assert answer.status is None and "public internet" in answer.error
    assert not answer.ok


def test_a_closed_port_on_loopback_is_a_failed_attempt_not_an_error():
    with override_settings(WEBHOOK_TARGETS=targets.LOOPBACK, WEBHOOK_TIMEOUT_SECONDS=2):
        answer = targets.post("http://127.0.0.1:9/hooks", body=b"{}", headers={})
    assert answer.status is None and "ConnectionRefused" in answer.error
