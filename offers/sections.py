"""What offers and wants put on the member's home, through the members hooks."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.hooks import WaitingItem, render_waiting_group
from offers import selectors


def home_replies_section(request: HttpRequest) -> str:
    """On the member's home: their posts with replies they have not read (one query)."""
    posts = selectors.posts_with_unread_replies(request.user)
    items = [
        WaitingItem(
            title=post.title,
            url=post.get_absolute_url(),
            note=ngettext("%(count)d new reply", "%(count)d new replies", unread)
            % {"count": unread},
        )
        for post in posts
        for unread in [getattr(post, "unread", 0)]
    ]
    return render_waiting_group(
        request, key="offer-replies", heading=_("Replies to your offers and wants"), items=items
    )
