"""The journeys of `make bench-load` (benchmarks/load.py starts locust on this file).

Three kinds of simulated people, on the demo network:
- visitors browse the directory, search it, open a co-op and the opportunities;
- members (the demo member and admin accounts) also log in, RSVP to assemblies and say they are
  interested in an opportunity (and withdraw again);
- coordinators (the demo coordinator) open a project's matching page and start a match.

Locust stands where the production TLS proxy stands: each simulated person sends
`X-Forwarded-Proto: https` (the settings' SECURE_PROXY_SSL_HEADER) and an `X-Forwarded-For`
address of their own (TRUSTED_PROXY_COUNT=1), so the site runs its HTTPS-only settings as they
are: no redirect to https, Secure cookies, and the CSRF origin check against https. Their cookie
jar sends those Secure cookies back over the loopback hop, as the proxy's would.

What the journeys need (co-op slugs, assembly and opportunity ids, the coordinator's projects) is
read from the JSON file LOAD_PLAN; the results go to the JSON file LOAD_REPORT when the run ends.
LOAD_MAX_REQUESTS stops the run after that many requests, whatever its time.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import time
from collections import Counter
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, between, events, task
from locust.env import Environment

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
PASSWORD: str = PLAN["password"]
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "0"))
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROLE_OPTION = re.compile(r'<option value="(\d+)"')
# The first entry of a refused form's error summary (templates/forms/form.html).
FORM_ERROR = re.compile(r'class="error-summary".*?<li>(?:<a [^>]*>)?([^<]+)<', re.S)
# Two simulated people signed in as the same demo account are two tabs of one person: the second
# to say they are interested gets this form error, the answer the site owes them.
ALREADY_INTERESTED = "already said you are interested"

_addresses = itertools.count(1)
server_errors: Counter[tuple[str, str]] = Counter()
started_at: float | None = None
capped = False  # the run was stopped by MAX_REQUESTS rather than by its time


class Person(FastHttpUser):
    """A visitor: reads public pages only."""

    abstract = True
    # A person reads a page for a few seconds before the next click.
    wait_time = between(3, 10)

    def on_start(self) -> None:
        number = next(_addresses)
        self.address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        # The jar returns Secure cookies over the loopback hop, as the TLS proxy would.
        self.client.cookiejar.set_policy(DefaultCookiePolicy(secure_protocols=("https", "http")))
        self.origin = "https://" + self.host.split("://", 1)[1].rstrip("/")

    def headers(self, **extra: str) -> dict[str, str]:
        return {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Accept-Language": "en",
            **extra,
        }

    def page(self, path: str, name: str, **extra: str) -> str:
        # Not followed: a page that redirects (to sign in, to https) is a failed step.
        with self.client.get(
            path,
            name=name,
            headers=self.headers(**extra),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")
                return ""
            return response.text or ""

    def submit(
        self,
        path: str,
        name: str,
        data: dict[str, str],
        *,
        form_page: str,
        expect: tuple[int, ...] = (302,),
        accept_body: str = "",
    ) -> bool:
        """Post a form the way a browser does: the token from the page it is on, the Origin
        header, and the redirect not followed (it is the next step's request)."""
        token = CSRF_FIELD.search(form_page)
        if token is None:  # the page failed, and is counted already
            return False
        headers = self.headers(Origin=self.origin, Referer=self.origin + path)
        with self.client.post(
            path,
            name=name,
            data={"csrfmiddlewaretoken": token.group(1), **data},
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            body = response.text or ""
            location = response.headers.get("Location") or ""
            if "/accounts/login/" in location:
                response.failure(f"POST {path} was sent to sign in again")
                return False
            if response.status_code in expect or (accept_body and accept_body in body):
                response.success()
                return True
            # Say what the page said: a form error names the reason a person would read.
            said = FORM_ERROR.search(body)
            reason = f": {html.unescape(said.group(1)).strip()}" if said else ""
            response.failure(f"{response.status_code} for POST {path}{reason}")
            return False

    # The directory, the part of the site most people see.
    @task(4)
    def browse_directory(self) -> None:
        country = random.choice(PLAN["countries"])
        query = random.choice([f"?country={country}", "?kind=worker_coop", "", "?page=2"])
        self.page("/coops/" + query, "/coops/ (browse)")

    @task(3)
    def search_directory(self) -> None:
        self.page(f"/coops/?q={random.choice(PLAN['words'])}", "/coops/?q= (search)")

    @task(4)
    def open_coop(self) -> None:
        self.page(f"/coops/{random.choice(PLAN['coops'])}/", "/coops/[slug]/")

    @task(1)
    def home(self) -> None:
        self.page("/", "/ (home)")

    @task(1)
    def opportunities(self) -> None:
        self.page("/opportunities/", "/opportunities/")


class Visitor(Person):
    weight = 6


class SignedIn(Person):
    abstract = True
    accounts: tuple[str, ...] = ()

    def on_start(self) -> None:
        """Sign in once, as people do: a session lasts for days."""
        super().on_start()
        self.email = random.choice(self.accounts)
        form = self.page("/accounts/login/", "/accounts/login/")
        self.submit(
            "/accounts/login/",
            "/accounts/login/ (POST)",
            {"login": self.email, "password": PASSWORD},
            form_page=form,
        )


class Member(SignedIn):
    weight = 3
    accounts = tuple(PLAN["members"])

    @task(3)
    def rsvp(self) -> None:
        assembly = random.choice(PLAN["assemblies"])
        page = self.page(f"/assemblies/{assembly}/", "/assemblies/[id]/")
        answer = random.choice(["going", "maybe", "not_going"])
        self.submit(
            f"/assemblies/{assembly}/rsvp/",
            "/assemblies/[id]/rsvp/ (POST)",
            {"answer": answer},
            form_page=page,
        )

    @task(3)
    def express_interest(self) -> None:
        opportunity = random.choice(PLAN["opportunities"])
        path = f"/opportunities/{opportunity['id']}/"
        page = self.page(path, "/opportunities/[id]/")
        if "/interest/withdraw/" in page:  # said so already: withdraw, to say it again later
            self.submit(
                path + "interest/withdraw/",
                "/opportunities/[id]/interest/withdraw/ (POST)",
                {},
                form_page=page,
            )
            return
        # The roles offered by the form on the page, as a browser sends: a coordinator's match
        # may have replaced the roles the plan was read with.
        form = page[page.find(path + "interest/") :]
        roles = ROLE_OPTION.findall(form[: form.find("</form>")])
        role = random.choice([*roles, ""])
        self.submit(
            path + "interest/",
            "/opportunities/[id]/interest/ (POST)",
            {"role": str(role), "note": "Load benchmark: glad to help."},
            form_page=page,
            accept_body=ALREADY_INTERESTED,
        )


class Coordinator(SignedIn):
    weight = 1
    accounts = (PLAN["coordinator"],)

    @task(3)
    def start_match(self) -> None:
        project = random.choice(PLAN["projects"])
        path = f"/projects/{project}/matching/"
        page = self.page(path, "/projects/[id]/matching/")
        if self.submit(
            path + "run/",
            "/projects/[id]/matching/run/ (POST)",
            {"mode": "all_roles"},
            form_page=page,
        ):
            self.page(path, "/projects/[id]/matching/")


@events.test_start.add_listener
def _started(environment: Environment, **_kwargs: Any) -> None:
    global started_at
    started_at = time.monotonic()


@events.request.add_listener
def _count(request_type: str, name: str, response: Any, **_kwargs: Any) -> None:
    if response is not None and getattr(response, "status_code", 0) >= 500:
        server_errors[(request_type, name)] += 1


@events.init.add_listener
def _cap(environment: Environment, **_kwargs: Any) -> None:
    """Stop the run by itself once it has made MAX_REQUESTS requests."""
    if not MAX_REQUESTS:
        return

    def watch() -> None:
        while True:
            gevent.sleep(1)
            if environment.stats.total.num_requests >= MAX_REQUESTS and environment.runner:
                global capped
                capped = True
                environment.runner.quit()
                return

    gevent.spawn(watch)


@events.quitting.add_listener
def _report(environment: Environment, **_kwargs: Any) -> None:
    seconds = time.monotonic() - started_at if started_at else 0.0
    stats = environment.stats
    rows = []
    for (name, method), entry in sorted(stats.entries.items()):
        fives = server_errors[(method, name)]
        rows.append(
            {
                "name": name,
                "method": method,
                "requests": entry.num_requests,
                "p50": entry.get_response_time_percentile(0.5),
                "p95": entry.get_response_time_percentile(0.95),
                "p99": entry.get_response_time_percentile(0.99),
                "5xx": fives,
                "errors": entry.num_failures - fives,
            }
        )
    total = stats.total
    failures = [
        {"name": f.name, "method": f.method, "error": str(f.error), "count": f.occurrences}
        for f in sorted(stats.errors.values(), key=lambda f: -f.occurrences)[:10]
    ]
    report = {
        "seconds": seconds,
        "capped": capped,
        "users": environment.parsed_options.num_users if environment.parsed_options else None,
        "endpoints": rows,
        "total": {
            "requests": total.num_requests,
            "p50": total.get_response_time_percentile(0.5),
            "p95": total.get_response_time_percentile(0.95),
            "p99": total.get_response_time_percentile(0.99),
            "5xx": sum(server_errors.values()),
            "errors": total.num_failures - sum(server_errors.values()),
        },
        "failures": failures,
    }
    Path(os.environ["LOAD_REPORT"]).write_text(json.dumps(report, indent=2))
