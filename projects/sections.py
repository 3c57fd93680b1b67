"""What projects put on the member's home, through the members hooks."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from members.hooks import WaitingItem, render_waiting_group
from members.permissions import person_of
from projects.models import TeamMembership
from projects.selectors.opportunities import opportunities_fitting
from projects.selectors.teams import my_teams

HOME_LIMIT = 5


def home_invitations_section(request) -> str:
    """Team seats the reader is invited to and has not answered (one query)."""
    invitations = list(
        my_teams(request.user).filter(status=TeamMembership.Status.INVITED)[: HOME_LIMIT + 1]
    )
    items = [
        WaitingItem(
            title=membership.project.name,
            url=f"{membership.project.get_absolute_url()}#team-heading",
            note=_("%(role)s, %(hours)s h a week")
            % {"role": membership.role.title, "hours": membership.hours_per_week},
        )
        for membership in invitations[:HOME_LIMIT]
    ]
    return render_waiting_group(
        request,
        key="invitations",
        heading=_("Team invitations to answer"),
        items=items,
        has_more=len(invitations) > HOME_LIMIT,
        more_url=reverse("projects:my_teams"),
        more_label=_("All your teams"),
    )


def home_opportunities_section(request) -> str:
    """Open opportunities that fit the reader's skills, hours and languages (two queries)."""
    person = person_of(request.user)
    if person is None:
        return ""
    opportunities = list(opportunities_fitting(request.user)[: HOME_LIMIT + 1])
    context = {
        "opportunities": opportunities[:HOME_LIMIT],
        "has_more": len(opportunities) > HOME_LIMIT,
        "has_skills": person.person_skills.exists() if not opportunities else True,
        "hours": person.hours_per_week,
    }
    return render_to_string("projects/includes/home_opportunities.html", context, request=request)


def home_teams_section(request) -> str:
    """The teams the reader is in (one query)."""
    if person_of(request.user) is None:
        return ""
    memberships = list(
        my_teams(request.user).filter(status=TeamMembership.Status.ACCEPTED)[: HOME_LIMIT + 1]
    )
    context = {"memberships": memberships[:HOME_LIMIT], "has_more": len(memberships) > HOME_LIMIT}
    return render_to_string("projects/includes/home_teams.html", context, request=request)
