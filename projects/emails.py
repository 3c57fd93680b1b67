"""Opportunity emails, one per person and opportunity (who chose a digest has theirs held for
it by the notifications app, where every event email goes); and team invitations.

Every send first claims its rows (patio.delivery: taken_at set where it is free): a task delivered
twice, or two workers at once, cannot mail anyone twice. When the mail server fails, the claim is
released so the task's retry sends it; a worker killed mid-send leaves its claim, taken again
after DELIVERY_RECLAIM_SECONDS."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from members.models import Person
from patio import delivery, emails
from patio.delivery import Outbox, deliver
from patio.emails import event_message, message_id
from projects.models import Opportunity, OpportunityNotification, TeamMembership
from projects.selectors.opportunities import core_hours_in
from projects.tokens import invitation_token

STILL_RELEVANT = (Opportunity.Status.OPEN, Opportunity.Status.MATCHING)
OPPORTUNITIES = Person.OPPORTUNITY_EMAILS
TEAM_INVITATIONS = "team_invitations"

NOTIFICATIONS = Outbox(OpportunityNotification, taken="taken_at", settled="sent_at")
TEAM_INVITES = Outbox(TeamMembership, taken="invitation_taken_at", settled="invitation_sent_at")
NOW = Q(channel=Person.Notify.IMMEDIATELY)
INVITED = Q(status=TeamMembership.Status.INVITED)


def _address(person: Person) -> str:
    return person.email_address


def _send(person: Person, kind: str, subject: str, body: str, message_id: str) -> int:
    """Send it; 0 when the person's choice holds it for their digest (patio.emails)."""
    return event_message(
        kind=kind,
        person_id=person.pk,
        to=_address(person),
        subject=subject,
        body=body,
        language=person.language,
        message_id=message_id,
    ).send()


def _render(person: Person, template: str, context: dict[str, Any]) -> tuple[str, str]:
    zone = person.timezone or "UTC"
    with translation.override(person.language), timezone.override(zoneinfo.ZoneInfo(zone)):
        context = {**context, "person": person, "site_url": settings.SITE_URL, "zone": zone}
        subject = render_to_string(f"projects/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"projects/email/{template}_body.txt", context)
    return " ".join(subject.split()), body


def _item(opportunity: Opportunity, zone: str) -> dict[str, Any]:
    return {
        "opportunity": opportunity,
        "link": settings.SITE_URL + opportunity.get_absolute_url(),
        "core_hours": core_hours_in(opportunity, zone),
    }


def opportunity_alert(
    person: Person, opportunity: Opportunity, *, message_id: str
) -> emails.EventMessage:
    """The alert telling `person` of an opportunity that fits them, ready to send."""
    subject, body = _render(person, "opportunity", _item(opportunity, person.timezone or "UTC"))
    return event_message(
        kind=OPPORTUNITIES,
        person_id=person.pk,
        to=_address(person),
        subject=subject,
        body=body,
        language=person.language,
        message_id=message_id,
        title=opportunity.title,
    )


def _send_opportunity(notification: OpportunityNotification) -> int:
    person, opportunity = notification.person, notification.opportunity
    if (
        opportunity.status not in STILL_RELEVANT
        or not _address(person)
        or not person.wants_email(OPPORTUNITIES)  # turned off since the row was recorded
    ):
        return 0
    # 0 when the person's choice holds it for their digest (patio.emails).
    return opportunity_alert(person, opportunity, message_id=message_id(notification)).send()


def _send_alerts(ids: list[int]) -> int:
    return deliver(
        NOTIFICATIONS,
        ids=ids,
        send=_send_opportunity,
        where=NOW,
        rows=OpportunityNotification.objects.select_related("person__user", "opportunity__circle"),
    )


def opportunity_notifications_send(*, opportunity_id: int) -> int:
    """Email everyone recorded for this opportunity on the "now" channel who has not had it.

    Returns how many emails went out."""
    pending = OpportunityNotification.objects.filter(
        opportunity_id=opportunity_id, channel=Person.Notify.IMMEDIATELY, sent_at__isnull=True
    ).values_list("pk", flat=True)
    return _send_alerts(list(pending))


def _send_team_invitation(membership: TeamMembership) -> int:
    person = membership.person
    if not _address(person) or not person.wants_email(TEAM_INVITATIONS):
        return 0
    # Without an account: the join link, which creates the account and accepts the seat.
    join = membership.join_invitation if person.user_id is None else None
    joining = join is not None
    if join is not None:
        link = settings.SITE_URL + join.get_absolute_url()
    else:
        link = settings.SITE_URL + reverse(
            "projects:invitation", args=[invitation_token(membership)]
        )
    subject, body = _render(
        person, "team_invitation", {"membership": membership, "link": link, "joining": joining}
    )
    _send(person, TEAM_INVITATIONS, subject, body, message_id(membership, "invitation"))
    return 1


def team_invitations_send(*, project_id: int) -> int:
    """Email each invitee once: the row is claimed (invitation_taken_at) before sending; a failed
    send releases it for the task's retry. Returns how many emails went out."""
    pending = TeamMembership.objects.filter(
        INVITED, project_id=project_id, invitation_sent_at__isnull=True
    ).values_list("pk", flat=True)
    return _send_team_invitations(list(pending))


def _send_team_invitations(ids: list[int]) -> int:
    return deliver(
        TEAM_INVITES,
        ids=ids,
        send=_send_team_invitation,
        where=INVITED,
        rows=TeamMembership.objects.select_related(
            "person__user", "project", "role", "join_invitation"
        ),
    )


delivery.register(
    delivery.Sender(
        key="projects.opportunity_alerts",
        outbox=NOTIFICATIONS,
        send_ids=_send_alerts,
        applies=lambda: NOW & Q(opportunity__status__in=STILL_RELEVANT),
        due="created_at",
    )
)
delivery.register(
    delivery.Sender(
        key="projects.team_invitations",
        outbox=TEAM_INVITES,
        send_ids=_send_team_invitations,
        applies=lambda: INVITED,
        due="invited_at",
    )
)
