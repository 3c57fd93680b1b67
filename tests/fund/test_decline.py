"""Declining a contribution that never arrived: a finance approver other than the recorder does
it, with a reason; it never counts; the recorder is told why, once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from audit.models import AuditEvent
from fund import selectors, services
from fund.emails import contribution_decline_notice_send
from fund.models import Contribution, LedgerEntry
from tests.api_helpers import assert_problem
from tests.conftest import queued_work
from tests.fund.conftest import SINCE
from tests.fund.test_concurrency import race

pytestmark = pytest.mark.django_db

REASON = "Nothing reached the bank account."


@pytest.fixture
def pending(coop, coop_admin):
    return services.contribution_record(
        actor=coop_admin.user,
        organisation=coop,
        amount="120.00",
        currency="EUR",
        received_on=SINCE,
    )


def _status(contribution) -> str:
    return Contribution.objects.get(pk=contribution.pk).status


def test_a_finance_approver_declines_a_pending_contribution_with_a_reason_and_it_never_counts(
    pending, approver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        declined = services.contribution_decline(
            actor=approver.user, contribution=pending, reason=f"  {REASON} "
        )

    assert declined.status == Contribution.Status.DECLINED
    assert declined.decline_reason == REASON
    assert declined.declined_by == approver.user and declined.declined_at is not None
    assert selectors.balances() == {}
    assert not LedgerEntry.objects.exists()
    event = AuditEvent.objects.get(action="fund.contribution_decline")
    assert event.before == {"status": "pending"}
    assert event.after == {"status": "declined", "reason": REASON}
    assert len(queued_work(callbacks)) == 1, "the recorder's email is queued once it commits"


def test_the_recorder_cannot_decline_their_own_contribution(pending, finance_circle, coop_admin):
    from tests.circles.factories import CircleMembershipFactory

    CircleMembershipFactory(circle=finance_circle, person=coop_admin, start_date=SINCE)
    with pytest.raises(PermissionDenied):
        services.contribution_decline(actor=coop_admin.user, contribution=pending, reason=REASON)
    assert _status(pending) == "pending"


def test_someone_outside_the_finance_circle_cannot_decline(pending, member, network_admin):
    for user in (member.user, network_admin):
        with pytest.raises(PermissionDenied):
            services.contribution_decline(actor=user, contribution=pending, reason=REASON)
    assert _status(pending) == "pending"


def test_declining_needs_a_reason(pending, approver):
    with pytest.raises(ValidationError) as raised:
        services.contribution_decline(actor=approver.user, contribution=pending, reason="   ")
    assert "reason" in raised.value.message_dict
    assert _status(pending) == "pending"
    assert not AuditEvent.objects.filter(action="fund.contribution_decline").exists()


def test_only_a_pending_contribution_can_be_declined(pending, approver, second_approver):
    services.contribution_confirm(actor=approver.user, contribution=pending)
    with pytest.raises(services.ContributionNotPending):
        services.contribution_decline(
            actor=second_approver.user, contribution=pending, reason=REASON
        )
    assert _status(pending) == "confirmed"
    assert selectors.balances() == {"EUR": Decimal("120.00")}


def test_a_declined_contribution_cannot_be_confirmed_afterwards(pending, approver, second_approver):
    services.contribution_decline(actor=approver.user, contribution=pending, reason=REASON)
    with pytest.raises(ValidationError):
        services.contribution_confirm(actor=second_approver.user, contribution=pending)
    assert _status(pending) == "declined"
    assert selectors.balances() == {}


def test_the_recorder_gets_one_email_saying_why(pending, approver, coop_admin):
    services.contribution_decline(actor=approver.user, contribution=pending, reason=REASON)

    assert contribution_decline_notice_send(contribution_id=pending.pk) is True
    assert contribution_decline_notice_send(contribution_id=pending.pk) is False

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [coop_admin.user.email]
    assert "€120.00" in email.subject  # money in the reader's locale (Babel)
    assert REASON in email.body


def test_a_pending_contribution_gets_no_decline_email(pending):
    assert contribution_decline_notice_send(contribution_id=pending.pk) is False
    assert mail.outbox == []


# The API -----------------------------------------------------------------------------------------
def test_the_api_declines_through_the_service_and_a_second_decline_is_a_409(
    api_client, pending, approver, second_approver
):
    url = f"/api/v1/fund/contributions/{pending.pk}/decline/"
    api_client.force_login(approver.user)

    missing = api_client.post(url, {}, format="json")
    assert_problem(missing, 400)
    assert "reason" in missing.json()["errors"]
    assert _status(pending) == "pending"

    response = api_client.post(url, {"reason": REASON}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "declined"
    assert response.json()["decline_reason"] == REASON
    assert response.json()["ledger_entry"] is None

    api_client.force_login(second_approver.user)
    again = api_client.post(url, {"reason": "Twice"}, format="json")
    assert_problem(again, 409)
    assert Contribution.objects.get(pk=pending.pk).decline_reason == REASON


def test_the_api_refuses_the_recorder_with_a_403_problem(api_client, pending, coop_admin):
    api_client.force_login(coop_admin.user)
    response = api_client.post(
        f"/api/v1/fund/contributions/{pending.pk}/decline/", {"reason": REASON}, format="json"
    )
    assert_problem(response, 403)
    assert _status(pending) == "pending"


# The page ----------------------------------------------------------------------------------------
def test_the_contributions_page_offers_a_decline_form_to_an_approver_and_declines(
    pending, approver, coop_admin
):
    recorder = Client()
    recorder.force_login(coop_admin.user)
    assert "Decline the contribution" not in recorder.get("/fund/contributions/").content.decode()

    client = Client()
    client.force_login(approver.user)
    page = client.get("/fund/contributions/").content.decode()
    assert f'action="/fund/contributions/{pending.pk}/decline/"' in page

    url = f"/fund/contributions/{pending.pk}/decline/"
    without_reason = client.post(url, {"reason": ""}, follow=True)
    assert "Say why the contribution is declined." in without_reason.content.decode()
    assert _status(pending) == "pending"

    done = client.post(url, {"reason": REASON}, follow=True)
    assert "is declined" in done.content.decode()
    assert _status(pending) == "declined"
    assert REASON in client.get("/fund/contributions/?status=declined").content.decode()


def test_the_page_refuses_the_recorder(pending, coop_admin):
    client = Client()
    client.force_login(coop_admin.user)
    response = client.post(f"/fund/contributions/{pending.pk}/decline/", {"reason": REASON})
    assert response.status_code == 403
    assert _status(pending) == "pending"


# Races ------------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_a_confirmation_and_a_decline_at_once_leave_one_outcome(pending, approver, second_approver):
    results = race(
        lambda: services.contribution_confirm(actor=approver.user, contribution=pending),
        lambda: services.contribution_decline(
            actor=second_approver.user, contribution=pending, reason=REASON
        ),
    )
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    contribution = Contribution.objects.get(pk=pending.pk)
    if contribution.status == Contribution.Status.CONFIRMED:
        assert LedgerEntry.objects.count() == 1 and contribution.decline_reason == ""
    else:
        assert contribution.status == Contribution.Status.DECLINED
        assert not LedgerEntry.objects.exists()
