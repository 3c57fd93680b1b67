"""What the fund puts on the member's home, through the members hooks."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fund import permissions, selectors
from fund.models import FundSettings, PayoutClaim
from members.hooks import WaitingItem, render_waiting_group
from members.permissions import person_of
from patio.i18n import format_money

HOME_LIMIT = 5


def home_claims_section(request: HttpRequest) -> str:
    """Payout claims waiting for the reader: submitted ones to approve (finance circle members,
    never their own, once each) and approved ones to pay (the finance circle and network admins).
    A constant handful of queries."""
    if not permissions.is_finance(request.user):
        return ""
    approver = permissions.is_finance_member(request.user) and person_of(request.user) is not None
    queue = selectors.approval_queue(request.user)
    to_do = Q(status=PayoutClaim.Status.APPROVED)
    if approver:
        to_do |= Q(status=PayoutClaim.Status.SUBMITTED, approved_by_me=False)
    waiting = queue.filter(to_do)
    claims = list(waiting.order_by("submitted_at", "id")[: HOME_LIMIT + 1])
    needed = FundSettings.load().approvals_needed
    items = [
        WaitingItem(
            title=_("%(person)s: %(amount)s in %(circle)s")
            % {
                "person": claim.person.display_name,
                "amount": format_money(claim.amount, claim.currency),
                "circle": claim.circle.name,
            },
            url=claim.get_absolute_url(),
            note=_("approved, to pay")
            if claim.status == PayoutClaim.Status.APPROVED
            else ngettext("%(n)s of %(needed)s approval", "%(n)s of %(needed)s approvals", needed)
            % {"n": claim.approval_count, "needed": needed},
            when_label=_("submitted"),
            at=claim.submitted_at,
        )
        for claim in claims[:HOME_LIMIT]
    ]
    return render_waiting_group(
        request,
        key="claims",
        heading=_("Payout claims to approve or pay"),
        items=items,
        has_more=len(claims) > HOME_LIMIT,
        more_url=reverse("fund:approval_queue"),
        more_label=_("The approval queue"),
    )
