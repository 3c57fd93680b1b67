"""What assemblies put on other apps' pages, through their hooks."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from assemblies import permissions, selectors
from members.hooks import WaitingItem, render_waiting_group
from members.permissions import person_of


def person_actions_section(request, person) -> str:
    """A person's open action items on their page (one query), for members who may see it."""
    if not permissions.can_view_assemblies(request.user):
        return ""
    actions = list(selectors.open_actions_of(person))
    if not actions:
        return ""
    is_self = person.user_id is not None and person.user_id == request.user.pk
    context = {"actions": actions, "is_self": is_self}
    return render_to_string("assemblies/includes/person_actions.html", context, request=request)


HOME_LIMIT = 5


def _first(queryset) -> tuple[list, bool]:
    rows = list(queryset[: HOME_LIMIT + 1])
    return rows[:HOME_LIMIT], len(rows) > HOME_LIMIT


def home_rsvps_section(request) -> str:
    """Planned assemblies the reader has not answered yet (one query), soonest first."""
    person = person_of(request.user)
    if person is None:
        return ""
    assemblies, more = _first(selectors.rsvps_due(person))
    items = [
        WaitingItem(
            title=assembly.title,
            url=f"{assembly.get_absolute_url()}#rsvp-heading",
            when_label=_("starts"),
            at=assembly.start,
        )
        for assembly in assemblies
    ]
    return render_waiting_group(
        request,
        key="rsvps",
        heading=_("Assemblies: will you come?"),
        items=items,
        has_more=more,
        more_url=reverse("assemblies:list"),
        more_label=_("All assemblies"),
    )


def home_actions_section(request) -> str:
    """The reader's open action items (one query), the soonest due first."""
    person = person_of(request.user)
    if person is None:
        return ""
    actions, more = _first(selectors.open_actions_of(person))
    items = [
        WaitingItem(
            title=action.description,
            url=person.get_absolute_url() + "#person-actions-heading",
            note=action.assembly.title,
            when_label=_("due"),
            on=action.due_date,
        )
        for action in actions
    ]
    return render_waiting_group(
        request,
        key="actions",
        heading=_("Your action items"),
        items=items,
        has_more=more,
        more_url=person.get_absolute_url() + "#person-actions-heading",
        more_label=_("All your action items"),
    )
