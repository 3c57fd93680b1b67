"""Who may do what with the fund: plain functions used by pages and the API alike.

The finance circle (FundSettings.finance_circle, else the circle with the slug "finance")
approves and pays claims, records contributions and sets budgets. Co-op admins record their own
co-op's contributions and look after its pledges. Members of a circle claim for work in it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from circles.models import Circle, CircleMembership
from members.models import Organisation
from members.permissions import is_coop_admin_of, is_member, is_network_admin, person_of

if TYPE_CHECKING:
    from fund.models import Contribution, PayoutClaim

FINANCE_SLUG = "finance"


def finance_circle() -> Circle | None:
    from fund.models import FundSettings

    settings = FundSettings.objects.select_related("finance_circle").filter(pk=1).first()
    if settings and settings.finance_circle:
        return settings.finance_circle
    return Circle.objects.filter(slug=FINANCE_SLUG).first()


def is_finance_circle(circle: Circle) -> bool:
    """Every member of this circle is a finance approver."""
    finance = finance_circle()
    return finance is not None and finance.pk == circle.pk


def is_finance_member(user) -> bool:
    """A current member (any role) of the finance circle."""
    person = person_of(user)
    circle = finance_circle()
    if person is None or circle is None:
        return False
    return CircleMembership.objects.current().filter(circle=circle, person=person).exists()


def is_finance(user) -> bool:
    """Finance circle members and network admins keep the books."""
    return is_network_admin(user) or is_finance_member(user)


def can_view_fund(user) -> bool:
    """The balance, budgets and ledger are open to every member of the network."""
    return is_member(user)


def can_record_contribution(user, organisation: Organisation) -> bool:
    return is_finance(user) or is_coop_admin_of(user, organisation)


def can_record_any_contribution(user) -> bool:
    """Whether the user may record a contribution from at least one organisation."""
    person = person_of(user)
    return is_finance(user) or bool(person and person.is_coop_admin)


def can_confirm_contribution(user, contribution: Contribution) -> bool:
    """A finance approver confirms that a contribution arrived, never one they recorded: two
    people stand behind every euro the balance counts."""
    return is_finance_member(user) and contribution.recorded_by_id != user.pk


def can_decline_contribution(user, contribution: Contribution) -> bool:
    """The same four eyes as confirming: the recorder never declines their own record."""
    return can_confirm_contribution(user, contribution)


def can_confirm_contributions(user) -> bool:
    """Whether the user confirms contributions at all (the page and the home list)."""
    return is_finance_member(user)


def can_manage_pledges(user, organisation: Organisation) -> bool:
    return is_finance(user) or is_coop_admin_of(user, organisation)


def can_view_pledges(user) -> bool:
    person = person_of(user)
    return is_finance(user) or bool(person and person.is_coop_admin)


def can_set_budget(user) -> bool:
    return is_finance(user)


def claimable_circles(user) -> QuerySet[Circle]:
    """The circles the user claims payment in: those they are currently a member of."""
    person = person_of(user)
    if person is None:
        return Circle.objects.none()
    return (
        Circle.objects.filter(
            memberships__in=CircleMembership.objects.current().filter(person=person)
        )
        .distinct()
        .order_by("name")
    )


def can_claim(user, circle: Circle) -> bool:
    """A person currently in the circle claims payment for work done in it."""
    return claimable_circles(user).filter(pk=circle.pk).exists()


def is_claimant(user, claim) -> bool:
    person = person_of(user)
    return person is not None and person.pk == claim.person_id


def can_edit_claim(user, claim) -> bool:
    return is_claimant(user, claim)


def can_approve_claim(user, claim) -> bool:
    """Finance circle members approve, never their own claim (network admins without a person
    cannot: an approval is a person's word)."""
    return is_finance_member(user) and not is_claimant(user, claim)


def can_pay_claim(user, claim) -> bool:
    return is_finance(user) and not is_claimant(user, claim)


def can_view_claim(user, claim) -> bool:
    return is_claimant(user, claim) or is_finance(user)


def can_change_fund_rules(user) -> bool:
    """The approval rule and the finance circle decide who may move money: network admins."""
    return is_network_admin(user)


def can_correct_ledger(user) -> bool:
    return is_finance(user)


@dataclass(frozen=True)
class ClaimActions:
    """What a user may do with a claim now: the buttons its page shows."""

    submit: bool = False
    withdraw: bool = False
    approve: bool = False
    reject: bool = False
    pay: bool = False


def claim_actions(
    user, claim: PayoutClaim, *, approver_ids: Collection[int] | None = None
) -> ClaimActions:
    """Who may act on `claim` (the functions above) and in which of its states, as the fund
    services decide: the claimant submits a draft and withdraws it until it is paid; a finance
    circle member approves a submitted claim once, and rejects it until it is paid; the books'
    keepers pay an approved one. `approver_ids` (the people who approved it) saves a query when
    the caller has them."""
    status, states = claim.status, claim.Status
    claimant = is_claimant(user, claim)
    if claimant:
        return ClaimActions(
            submit=status == states.DRAFT,
            withdraw=status in {states.DRAFT, states.SUBMITTED, states.APPROVED},
        )
    deciding = status in {states.SUBMITTED, states.APPROVED} and can_approve_claim(user, claim)
    approve = deciding and status == states.SUBMITTED
    if approve:
        if approver_ids is None:
            approver_ids = set(claim.approvals.values_list("approver_id", flat=True))
        person = person_of(user)
        approve = person is not None and person.pk not in approver_ids
    return ClaimActions(
        approve=approve,
        reject=deciding,
        pay=status == states.APPROVED and can_pay_claim(user, claim),
    )
