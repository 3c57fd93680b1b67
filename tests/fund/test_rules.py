"""Rules and rates change only through services, audited, and on pages after re-authentication;
the Django admin no longer edits them (tests/patio/test_admin_read_only.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from audit.models import AuditEvent
from fund import services
from fund.models import FundSettings, HourlyRate
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_network_admin_changes_the_approval_rule_and_it_is_audited(network_admin):
    services.fund_settings_set(actor=network_admin, approvals_needed=3, finance_circle=None)
    assert FundSettings.load().approvals_needed == 3
    event = AuditEvent.objects.get(action="fund.settings_set")
    assert event.actor == network_admin


def test_a_finance_member_cannot_lower_the_approval_rule(approver):
    with pytest.raises(PermissionDenied):
        services.fund_settings_set(actor=approver.user, approvals_needed=1, finance_circle=None)
    assert FundSettings.load().approvals_needed == 2
    assert not AuditEvent.objects.filter(action="fund.settings_set").exists()


def test_the_rules_page_asks_for_the_password_again_before_any_change(login, network_admin):
    client = login(network_admin)
    response = client.post("/fund/rules/", {"form": "rules", "approvals_needed": "1"})
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]
    assert FundSettings.load().approvals_needed == 2


def test_after_re_authentication_the_page_saves_through_the_services(network_admin):
    client = Client()
    client.post("/accounts/login/", {"login": network_admin.email, "password": PASSWORD})
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    response = client.post("/fund/rules/", {"form": "rules", "approvals_needed": "3"})
    assert response.status_code == 302, response.content
    assert FundSettings.load().approvals_needed == 3
    response = client.post("/fund/rules/", {"form": "rate", "currency": "EUR", "rate": "31.50"})
    assert response.status_code == 302
    assert HourlyRate.objects.get(currency="EUR").rate == Decimal("31.50")
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "fund.settings_set",
        "fund.hourly_rate_set",
    }
