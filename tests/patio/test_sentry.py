"""Error reporting is off without SENTRY_DSN, and what it would send names nobody."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from patio.sentry import REDACTED, scrub, scrub_breadcrumb

pytestmark = pytest.mark.pure


def _event() -> dict:
    return {
        "message": "Payment failed for ana@camplight.coop",
        "user": {"id": 7, "email": "ana@camplight.coop", "ip_address": "198.51.100.7"},
        "request": {
            "url": "https://patio.coop/fund/claims/3/",
            "method": "POST",
            "data": {"password": "hunter2", "amount": "120.00"},
            "cookies": {"sessionid": "s3cr3t"},
            "query_string": "token=patio_abc_def",
            "env": {"REMOTE_ADDR": "198.51.100.7"},
            "headers": {
                "Authorization": "Bearer patio_abc_def",
                "Cookie": "sessionid=s3cr3t",
                "X-CSRFToken": "csrf",
                "User-Agent": "Firefox",
            },
        },
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": "no person with email ana@camplight.coop",
                    "stacktrace": {"frames": [{"function": "pay", "vars": {"pw": "hunter2"}}]},
                }
            ]
        },
        "extra": {"form": {"password": "hunter2"}},
    }


def test_the_scrubber_keeps_what_a_developer_needs_and_drops_what_names_a_person():
    event = scrub(_event())

    sent = json.dumps(event)
    for secret in ("ana@camplight.coop", "hunter2", "s3cr3t", "patio_abc_def", "198.51.100.7"):
        assert secret not in sent
    assert event["user"] == {"id": 7}
    assert event["request"]["headers"] == {"User-Agent": "Firefox"}
    assert event["request"]["url"] == "https://patio.coop/fund/claims/3/"
    assert event["message"] == f"Payment failed for {REDACTED}"
    frame = event["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert frame == {"function": "pay"}


def test_breadcrumbs_keep_their_kind_but_not_their_data():
    crumb = scrub_breadcrumb(
        {"category": "query", "message": "SELECT … 'ana@camplight.coop'", "data": {"p": 1}}
    )

    assert crumb == {"category": "query", "message": f"SELECT … '{REDACTED}'"}


def _client_active(dsn: str | None) -> bool:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY")}
    env["DJANGO_SETTINGS_MODULE"] = "patio.settings"
    env.pop("DATABASE_URL", None)
    if dsn:
        env["SENTRY_DSN"] = dsn
    code = (
        "import django; django.setup(); import sentry_sdk; "
        "c = sentry_sdk.get_client(); "
        "print(c.is_active(), c.options.get('send_default_pii'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return out == ["True", "False"] if dsn else out[0] == "True"


def test_no_dsn_means_no_error_reporting():
    assert _client_active(None) is False


def test_a_dsn_turns_reporting_on_without_personal_data():
    assert _client_active("https://public@sentry.invalid/1") is True
