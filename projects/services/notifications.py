"""The fan-out of an opened opportunity: who it alerts, recorded once per person."""

from __future__ import annotations

from members.models import Person
from projects.models import Opportunity, OpportunityNotification
from projects.selectors.opportunities import alert_recipients


def notifications_record(*, opportunity_id: int) -> int:
    """Write one notification row per fitting person. Every row is sent as an alert; who chose
    a digest has it held for their digest when it is sent (notifications.services).

    The unique (opportunity, person) key makes this safe to repeat: people already recorded are
    skipped, so a retried task or a re-opened opportunity never adds a second row for anyone.
    Returns how many people are recorded for the opportunity in all."""
    opportunity = Opportunity.objects.filter(pk=opportunity_id).first()
    if opportunity is None or opportunity.status != Opportunity.Status.OPEN:
        return 0
    people = alert_recipients(opportunity).values_list("pk", flat=True)
    OpportunityNotification.objects.bulk_create(
        [
            OpportunityNotification(
                opportunity=opportunity, person_id=pk, channel=Person.Notify.IMMEDIATELY
            )
            for pk in people
        ],
        ignore_conflicts=True,
    )
    return OpportunityNotification.objects.filter(opportunity=opportunity).count()
