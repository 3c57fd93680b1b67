"""What conflict resolution puts on the member's home: for a mediator, the received cases that
wait for one (each "Case N", nothing of what it says). One query."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from mediation import selectors
from members.hooks import WAITING, WaitingItem, register_home_section, render_waiting_group

LIMIT = 5


def waiting_cases(request: HttpRequest) -> str:
    cases = list(selectors.waiting_for(request.user)[: LIMIT + 1])
    items = [
        WaitingItem(
            title=_("Case %(number)s") % {"number": case.pk},
            url=case.get_absolute_url(),
            note=_("needs a mediator"),
            when_label=_("received"),
            at=case.opened_at,
        )
        for case in cases[:LIMIT]
    ]
    return render_waiting_group(
        request,
        key="mediation",
        heading=_("Mediation cases waiting"),
        items=items,
        has_more=len(cases) > LIMIT,
        more_url=reverse("mediation:queue"),
        more_label=_("The mediators' queue"),
    )


def register() -> None:
    register_home_section(waiting_cases, slot=WAITING, order=95)
