"""The fan-out of an opened opportunity: who it alerts, recorded once per person."""

from __future__ import annotations

from projects.models import Opportunity, OpportunityNotification
from projects.selectors.opportunities import alert_recipients


def notifications_record(*, opportunity_id: int) -> int:
    """Write one notification row per fitting person (their channel: now or weekly).

    The unique (opportunity, person) key makes this safe to repeat: people already recorded are
    skipped, so a retried task or a re-opened opportunity never adds a second row for anyone.
    Returns how many people are recorded for the opportunity in all."""
    opportunity = Opportunity.objects.filter(pk=opportunity_id).first()
    if opportunity is None or opportunity.status != Opportunity.Status.OPEN:
        return 0
    people = alert_recipients(opportunity).values_list("pk", "opportunity_notifications")
    OpportunityNotification.objects.bulk_create(
        [
            OpportunityNotification(opportunity=opportunity, person_id=pk, channel=channel)
            for pk, channel in people
        ],
        ignore_conflicts=True,
    )
    return OpportunityNotification.objects.filter(opportunity=opportunity).count()
