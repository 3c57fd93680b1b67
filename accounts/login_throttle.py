"""Failed logins slow the next attempt down; they never lock an account.

Three counters, each with its own growing delay (settings.LOGIN_THROTTLE):

- per address: one machine guessing at many accounts;
- per account and address: one machine guessing one account;
- per account, from everywhere: many machines guessing one account. Its delay is capped low
  (a minute by default), so that an attack from elsewhere can only ever make the owner wait,
  never keep them out with their own password.

After `free` failures, each further one doubles the wait before the next attempt is even checked,
up to `cap` seconds. A counter forgets its failures `window` seconds after the last of them. A
successful login clears the account-and-address counter only: an attacker who knows one password
gains nothing against the others.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from patio.http import client_ip
from patio.security_log import account_digest, security_event


@dataclass(frozen=True)
class Rule:
    free: int
    cap: int

    def delay(self, failures: int) -> int:
        if failures < self.free:
            return 0
        return min(self.cap, 2 ** (failures - self.free))


def _rules() -> dict[str, Rule]:
    rules = cast(dict[str, dict[str, int]], settings.LOGIN_THROTTLE["rules"])
    return {name: Rule(**rule) for name, rule in rules.items()}


def _keys(request: HttpRequest, login: str) -> dict[str, str]:
    account = hashlib.sha256(login.strip().lower().encode()).hexdigest()[:32]
    address = client_ip(request)
    return {
        "address": f"login-failed:ip:{address}",
        "account_address": f"login-failed:acct-ip:{account}:{address}",
        "account": f"login-failed:acct:{account}",
    }


def wait_seconds(request: HttpRequest, login: str) -> int:
    """How long this request must wait before its password is even checked (0: go ahead)."""
    now = time.time()
    rules = _rules()
    keys = _keys(request, login)
    records = cache.get_many(list(keys.values()))
    wait = 0.0
    for name, key in keys.items():
        failures, last = records.get(key, (0, 0.0))
        wait = max(wait, last + rules[name].delay(failures) - now)
    if wait <= 0:
        return 0
    seconds = math.ceil(wait)
    security_event("login.throttled", request, account=account_digest(login), wait=seconds)
    return seconds


def record_failure(request: HttpRequest, login: str) -> None:
    window = cast(int, settings.LOGIN_THROTTLE["window"])
    now = time.time()
    keys = _keys(request, login)
    records = cache.get_many(list(keys.values()))
    # Not atomic across processes: two racing failures may count as one, which only errs
    # towards a shorter delay, never towards a lock.
    cache.set_many(
        {key: (records.get(key, (0, 0.0))[0] + 1, now) for key in keys.values()}, timeout=window
    )


def record_success(request: HttpRequest, login: str) -> None:
    cache.delete(_keys(request, login)["account_address"])
