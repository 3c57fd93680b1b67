"""What assemblies put on other apps' pages, through their hooks."""

from __future__ import annotations

from django.template.loader import render_to_string

from assemblies import permissions, selectors


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
