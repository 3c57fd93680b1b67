"""Security events are JSON lines on standard error, and never carry a secret."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from accounts.services import token_create
from audit.services import audit_record
from patio.security_log import SecurityFormatter
from tests.conftest import PASSWORD
from tests.factories import SkillFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


class Lines(logging.Handler):
    """The formatted lines the security logger writes, as the configured formatter writes them."""

    def __init__(self) -> None:
        super().__init__()
        options = dict(settings.LOGGING["formatters"]["security"])
        options.pop("()")
        self.setFormatter(SecurityFormatter(**options))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def events(self, name: str) -> list[dict[str, Any]]:
        parsed = [json.loads(line) for line in self.lines]
        return [event for event in parsed if event["event"] == name]


@pytest.fixture
def security_log() -> Iterator[Lines]:
    logger = logging.getLogger("patio.security")
    handler = Lines()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def test_the_security_logger_writes_json_to_standard_error_on_its_own():
    config = settings.LOGGING
    assert config["loggers"]["patio.security"]["handlers"] == ["security"]
    assert config["loggers"]["patio.security"]["propagate"] is False
    assert config["handlers"]["security"]["class"] == "logging.StreamHandler"  # stderr


def test_a_failed_login_is_logged_without_the_address_or_the_password(
    client: Client, member, security_log
):
    client.post(LOGIN, {"login": member.user.email, "password": "wrong-horse-battery"})

    [event] = security_log.events("login.failed")
    assert event["level"] == "INFO" and event["timestamp"].endswith("+00:00")
    assert event["ip"] == "127.0.0.1" and event["path"] == LOGIN
    assert len(event["account"]) == 12
    line = "\n".join(security_log.lines)
    assert member.user.email not in line and "wrong-horse-battery" not in line


def test_the_same_account_reads_the_same_in_every_failure(client: Client, member, security_log):
    for email in (member.user.email, member.user.email.upper()):
        client.post(LOGIN, {"login": email, "password": "nope"})

    first, second = security_log.events("login.failed")
    assert first["account"] == second["account"]


def test_a_login_is_logged_with_the_user(client: Client, member, security_log):
    response = client.post(LOGIN, {"login": member.user.email, "password": PASSWORD})

    assert response.status_code == 302
    [event] = security_log.events("login.succeeded")
    assert event["user_id"] == member.user.pk
    assert PASSWORD not in "\n".join(security_log.lines)


def test_throttled_logins_are_logged(client: Client, member, security_log, settings):
    settings.LOGIN_THROTTLE = {
        "window": 900,
        "rules": {
            "address": {"free": 50, "cap": 900},
            "account_address": {"free": 2, "cap": 900},
            "account": {"free": 50, "cap": 60},
        },
    }
    for _ in range(4):
        client.post(LOGIN, {"login": member.user.email, "password": "nope"})

    throttled = security_log.events("login.throttled")
    assert throttled and throttled[0]["wait"] >= 1
    assert member.user.email not in "\n".join(security_log.lines)


def test_a_refused_page_is_logged_with_who_and_where(login, member, security_log):
    url = f"/coops/{member.organisation.slug}/edit/"  # only the co-op's admins may edit it

    response = login(member.user).get(url)

    assert response.status_code == 403
    [event] = security_log.events("access.denied")
    assert event["user_id"] == member.user.pk
    assert event["path"] == url and event["status"] == 403 and event["method"] == "GET"


def test_an_anonymous_write_to_the_api_is_logged_as_unauthenticated(api_client, security_log):
    response = api_client.post("/api/v1/circles/", {"name": "x"}, format="json")

    assert response.status_code == 401
    [event] = security_log.events("access.unauthenticated")
    assert event["path"] == "/api/v1/circles/" and "user_id" not in event


def test_token_use_is_logged_by_prefix_never_by_secret(client: Client, network_admin, security_log):
    token, secret = token_create(actor=network_admin, user=network_admin, name="CRM", scope="read")

    response = client.get("/api/v1/people/", headers={"authorization": f"Bearer {secret}"})

    assert response.status_code == 200
    [event] = security_log.events("token.used")
    assert event["token_id"] == token.pk and event["token_prefix"] == token.prefix
    assert event["user_id"] == network_admin.pk and event["status"] == 200
    assert secret not in "\n".join(security_log.lines)
    assert secret.split("_", 2)[2] not in "\n".join(security_log.lines)


def test_an_audited_act_is_logged_once_it_commits(
    member, network_admin, security_log, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(actor=network_admin, action="circle.role_grant", target=member)
        assert security_log.events("audit.circle.role_grant") == []  # not before the commit

    [event] = security_log.events("audit.circle.role_grant")
    assert event["actor_id"] == network_admin.pk
    assert event["object_type"] == "members.person" and event["object_id"] == str(member.pk)
    assert member.display_name not in "\n".join(security_log.lines)


def test_a_confidential_act_is_logged_without_who_did_it(
    member, security_log, django_capture_on_commit_callbacks
):
    """A mediation case's events: the act and its object, never the person behind it."""
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(
            actor=member.user, action="mediation.case.open", target=member, confidential=True
        )

    [event] = security_log.events("audit.mediation.case.open")
    assert event.get("actor_id") is None


def test_an_admin_action_is_logged(
    client: Client, security_log, django_capture_on_commit_callbacks
):
    admin = UserFactory(email="root@patio.coop", is_staff=True, is_superuser=True)
    client.force_login(admin)
    skill = SkillFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/members/skill/{skill.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    [event] = security_log.events("admin.action")
    assert event["user_id"] == admin.pk and event["action"] == "delete"
    assert event["object_type"] == "skill" and event["object_id"] == str(skill.pk)
