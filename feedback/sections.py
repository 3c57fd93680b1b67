"""What feedback puts on other apps' pages, through their slots: "feedback received: N" on the
person's own page (and the answers they shared, on it for the network's members), what waits
for the reader's answer on their home, and the ask on a project's page for its team. Each runs
a constant number of queries."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from feedback import permissions, selectors
from members.hooks import WaitingItem, render_waiting_group
from members.models import Person
from members.permissions import is_member, person_of
from projects.models import Project

HOME_LIMIT = 5
SHARED_LIMIT = 10


def person_section(request: HttpRequest, person: Person) -> str:
    """For the person: how many answers they received (one query). For the network's members:
    the requests the person shared (one query)."""
    context: dict[str, object]
    if permissions.can_see_received_count(request.user, person):
        context = {"received": selectors.received_count(person), "is_self": True}
    elif is_member(request.user):
        shared = list(selectors.shared_requests_of(person)[:SHARED_LIMIT])
        if not shared:
            return ""
        context = {"shared": shared, "is_self": False, "person": person}
    else:
        return ""
    return render_to_string("feedback/includes/person_section.html", context, request=request)


def home_section(request: HttpRequest) -> str:
    """Requests the reader was asked in and has not answered (one query), soonest to close."""
    person = person_of(request.user)
    if person is None:
        return ""
    invites = list(selectors.waiting_for(person)[: HOME_LIMIT + 1])
    items = [
        WaitingItem(
            title=_("Feedback for %(name)s") % {"name": invite.request.asker.display_name},
            url=reverse("feedback:answer", args=[invite.request_id]),
            note=invite.request.project.name if invite.request.project else "",
            when_label=_("closes"),
            at=invite.request.closes_at,
        )
        for invite in invites[:HOME_LIMIT]
    ]
    return render_waiting_group(
        request,
        key="feedback",
        heading=_("Feedback asked of you"),
        items=items,
        has_more=len(invites) > HOME_LIMIT,
        more_url=reverse("feedback:list"),
        more_label=_("All feedback"),
    )


def project_section(request: HttpRequest, project: Project) -> str:
    """For the project's team: ask the others for feedback, or open the request already made
    (two queries)."""
    person = person_of(request.user)
    if person is None or not selectors.team_projects(person).filter(pk=project.pk).exists():
        return ""
    asked = selectors.requests_of(person).filter(project=project).first()
    context = {
        "project": project,
        "asked": asked,
        "ask_url": f"{reverse('feedback:ask')}?project={project.pk}",
    }
    return render_to_string("feedback/includes/project_section.html", context, request=request)
