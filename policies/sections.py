"""What policies put on other apps' pages, through their hooks."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from members.hooks import WaitingItem, render_waiting_group
from members.permissions import person_of
from policies import selectors

HOME_LIMIT = 5


def home_rounds_section(request: HttpRequest) -> str:
    """Consent rounds waiting for the reader's answer (one query)."""
    rounds = list(selectors.rounds_to_answer(person_of(request.user))[: HOME_LIMIT + 1])
    items = [
        WaitingItem(
            title=round.amendment.title,
            url=f"{round.amendment.get_absolute_url()}#round",
            # An amendment that proposes a new policy has no policy yet.
            note=round.amendment.policy.title if round.amendment.policy else _("new policy"),
            when_label=_("closes"),
            at=round.closes_at,
        )
        for round in rounds[:HOME_LIMIT]
    ]
    return render_waiting_group(
        request,
        key="rounds",
        heading=_("Consent rounds waiting for your answer"),
        items=items,
        has_more=len(rounds) > HOME_LIMIT,
        more_url=reverse("policies:waiting"),
        more_label=_("Everything waiting in policies"),
    )
