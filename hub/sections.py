"""What the hub puts on the member's home, through the members hooks."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from hub import selectors
from members.hooks import WaitingItem, render_waiting_group

HOME_LIMIT = 5


def home_review_section(request: HttpRequest) -> str:
    """Guides waiting for the reader's review (two queries, one when none waits)."""
    guides = list(selectors.waiting_review(request.user)[: HOME_LIMIT + 1])
    items = [
        WaitingItem(
            title=selectors.guide_reading(guide).title,
            url=f"{guide.get_absolute_url()}#review",
            note=guide.reviewer_circle.name,
            when_label=_("sent"),
            at=guide.submitted_at,
        )
        for guide in guides[:HOME_LIMIT]
    ]
    return render_waiting_group(
        request,
        key="guides",
        heading=_("Guides waiting for your review"),
        items=items,
        has_more=len(guides) > HOME_LIMIT,
        more_url=f"{reverse('hub:index')}#review",
        more_label=_("Everything waiting in the hub"),
    )


def home_path_section(request: HttpRequest) -> str:
    """A new member's suggested learning path, with how far they are (three queries), until
    they have done it all."""
    if not selectors.is_newcomer(request.user):
        return ""
    path = selectors.suggested_path(request.user)
    if path is None:
        return ""
    progress = selectors.progress(path, selectors.done_guide_ids(request.user))
    if progress.finished or not progress.total:
        return ""
    context = {"path": path, "progress": progress}
    return render_to_string("hub/includes/home_path.html", context, request=request)
