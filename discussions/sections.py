"""What discussions put on other apps' pages, through their slots: the threads about a circle,
a policy, an opportunity or an assembly's agenda items, and a way to start one. Each section
runs one query (the threads, as the reader may read them) plus the check to start one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from discussions import permissions, selectors

LIMIT = 5


def _section(
    request: HttpRequest, *, key: str, threads: Any, start_url: str | None, subject: Any = None
) -> str:
    shown = list(threads[: LIMIT + 1])
    context = {
        "key": key,
        "threads": shown[:LIMIT],
        "has_more": len(shown) > LIMIT,
        "start_url": start_url,
        "subject": subject,
        "list_url": reverse("discussions:list"),
    }
    return render_to_string("discussions/includes/section.html", context, request=request)


def circle_section(request: HttpRequest, circle: Any) -> str:
    start = permissions.can_start_thread(request.user, circle=circle)
    return _section(
        request,
        key=f"circle-{circle.pk}",
        threads=selectors.threads_about(request.user, circle=circle),
        start_url=f"{reverse('discussions:new')}?circle={circle.slug}" if start else None,
        subject=circle,
    )


def policy_section(request: HttpRequest, policy: Any) -> str:
    start = permissions.can_start_thread(request.user)
    return _section(
        request,
        key=f"policy-{policy.pk}",
        threads=selectors.threads_about(request.user, policy=policy),
        start_url=f"{reverse('discussions:new')}?policy={policy.slug}" if start else None,
    )


def opportunity_section(request: HttpRequest, opportunity: Any) -> str:
    start = permissions.can_start_thread(request.user)
    return _section(
        request,
        key=f"opportunity-{opportunity.pk}",
        threads=selectors.threads_about(request.user, opportunity=opportunity),
        start_url=f"{reverse('discussions:new')}?opportunity={opportunity.pk}" if start else None,
    )


def assembly_section(request: HttpRequest, assembly: Any) -> str:
    """The threads about this assembly's agenda items, and a "Discuss" link for each item."""
    items = list(assembly.agenda_items.order_by("order", "id"))
    threads = list(selectors.threads_about(request.user, agenda_item__assembly=assembly)[:50])
    start = permissions.can_start_thread(request.user)
    rows = [
        {
            "item": item,
            "threads": [t for t in threads if t.agenda_item_id == item.pk],
            "start_url": f"{reverse('discussions:new')}?agenda_item={item.pk}" if start else None,
        }
        for item in items
    ]
    if not rows:
        return ""
    return render_to_string(
        "discussions/includes/agenda_section.html", {"rows": rows}, request=request
    )


def register() -> None:
    from assemblies.hooks import assembly_page
    from circles.hooks import register_circle_section
    from policies.hooks import policy_page
    from projects.hooks import opportunity_page

    register_circle_section(circle_section)
    policy_page.register(policy_section)
    opportunity_page.register(opportunity_section)
    assembly_page.register(assembly_section)
