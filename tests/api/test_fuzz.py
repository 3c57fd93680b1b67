"""The whole REST API, fuzzed by schemathesis against the live server and our own OpenAPI schema.

Every operation of `/api/v1/schema/` is called with generated input, valid and invalid, as three
callers: anonymous, with a read token (a coordinator's) and with a write token (a network
admin's), on the demo network (`seed_demo`), so the fuzzer reaches real co-ops, people, circles,
opportunities, claims and tokens. Every check schemathesis has runs on every response: no 5xx,
status codes, content types, headers and bodies as documented, invalid input refused, valid
input accepted, unsupported methods answered 405, and authentication that a required-auth
operation really enforces.

Deterministic: Hypothesis is derandomized with a fixed seed and a fixed number of examples per
operation, so a failure comes back on the next run. The coverage phase (every boundary value the
schema defines) is left out of `make test` for time: it takes about three minutes per caller.
`PATIO_FUZZ_COVERAGE=1` adds it.

One thing the schema cannot say: which ids and slugs exist. Valid input that names a co-op,
circle or assembly that does not exist is refused with a 400 validation problem, so the
"valid data is accepted" check also takes 400 (and 422, an Idempotency-Key reused).
"""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
import schemathesis
from django.core.management import call_command
from django.utils import timezone
from rest_framework import throttling

from accounts.models import ApiToken, User

pytestmark = pytest.mark.fuzz

SEED = 20261202
ACCEPTED_STATUSES = ["2xx", "400", "401", "403", "404", "409", "422", "429", "5xx"]
EXAMPLES = 10
# Who calls: (the demo account the token acts as, its scope); None is anonymous.
CALLERS = {
    "anonymous": None,
    "read": ("coordinator@patio.example", ApiToken.Scope.READ),
    "write": ("admin@patio.example", ApiToken.Scope.WRITE),
}


class Caller:
    """The Authorization header of one caller, with a token that stays usable: the fuzzer may
    revoke the write token through `POST /tokens/{id}/revoke/`, and then gets a fresh one."""

    def __init__(self, account: tuple[str, str] | None) -> None:
        self.account = account
        self.token: ApiToken | None = None
        self.secret = ""

    def headers(self) -> dict[str, str] | None:
        if self.account is None:
            return None
        if self.token is None or not ApiToken.objects.usable().filter(pk=self.token.pk).exists():
            email, scope = self.account
            prefix, self.secret = ApiToken.new_secret()
            self.token = ApiToken.objects.create(
                name=f"schemathesis ({scope})",
                user=User.objects.get(email=email),
                scope=scope,
                prefix=prefix,
                secret_hash=ApiToken.hash_secret(self.secret),
                expires_at=timezone.now() + timedelta(days=1),
            )
        return {"Authorization": f"Bearer {self.secret}"}


@pytest.fixture(params=list(CALLERS))
def caller(request: pytest.FixtureRequest) -> Caller:
    return Caller(CALLERS[request.param])


@pytest.fixture(autouse=True)
def _schemathesis_node_id(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32 names each operation's subtest through `Node._nodeid`, which pytest 9
    no longer has; give it the node's id to read."""
    request.node._nodeid = request.node.nodeid


@pytest.fixture
def api_schema(live_server, caller: Caller, monkeypatch: pytest.MonkeyPatch):
    """The demo network, committed for the live server, and the schema the server publishes."""
    call_command("seed_demo", stdout=io.StringIO())
    # The throttles answer 429 (documented) long before the fuzzer is done; budgets are
    # tested in tests/accounts.
    monkeypatch.setattr(
        throttling.SimpleRateThrottle,
        "THROTTLE_RATES",
        {scope: "1000000/minute" for scope in ("token", "anon", "user")},
    )
    config = {
        "seed": SEED,
        "generation": {
            "max-examples": EXAMPLES,
            "deterministic": True,
            "database": "none",
            # The API refuses NUL characters anywhere in a body, on purpose (patio.api).
            "allow-x00": False,
        },
        "phases": {"coverage": {"enabled": os.environ.get("PATIO_FUZZ_COVERAGE") == "1"}},
        "checks": {
            # 5xx stays "expected" here only so that not_a_server_error reports it, by name.
            "positive_data_acceptance": {"expected-statuses": ACCEPTED_STATUSES},
        },
    }
    return schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/schema/?format=json",
        config=schemathesis.Config.from_dict(config),
    )


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_every_operation_keeps_to_the_schema(case, caller: Caller) -> None:
    case.call_and_validate(headers=caller.headers())
