"""What intake puts on the member's home, through the members hooks."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from intake import permissions
from intake.models import HelpRequest
from members.hooks import WaitingItem, render_waiting_group

HOME_LIMIT = 5


def home_triage_section(request) -> str:
    """New requests for help, oldest first, for the people who triage them (two queries)."""
    if not permissions.can_triage(request.user):
        return ""
    waiting = list(
        HelpRequest.objects.filter(status=HelpRequest.Status.NEW).order_by("created_at", "id")[
            : HOME_LIMIT + 1
        ]
    )
    items = [
        WaitingItem(
            title=str(help_request),
            url=help_request.get_absolute_url(),
            note=help_request.contact_name,
            when_label=_("received"),
            at=help_request.created_at,
        )
        for help_request in waiting[:HOME_LIMIT]
    ]
    return render_waiting_group(
        request,
        key="help-requests",
        heading=_("Requests for help to triage"),
        items=items,
        has_more=len(waiting) > HOME_LIMIT,
        more_url=reverse("intake:inbox"),
        more_label=_("The triage inbox"),
    )
