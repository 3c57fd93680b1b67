"""Slots on a circle's page that apps above circles fill (circles imports none of them), and
the circles whose membership itself gives a guarding role.

An app registers a section in its AppConfig.ready():

    from circles.hooks import register_circle_section
    register_circle_section(my_section)  # my_section(request, circle) -> str (HTML) or ""

The circle page renders every registered section, in registration order (`circle_page`, a
`patio.hooks.Slot`).

An app whose role comes with membership of a circle (the fund's finance circle: every member is
a finance approver) says so, so that granting it asks for re-authentication like making a
coordinator does (`circles.permissions.grants_power`):

    from circles.hooks import register_guarding_circle
    register_guarding_circle(is_the_finance_circle)  # is_the_finance_circle(circle) -> bool
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest

from patio.hooks import Section, Slot

if TYPE_CHECKING:
    from circles.models import Circle

circle_page: Slot[[Circle]] = Slot("circle page")


def register_circle_section(section: Section[[Circle]]) -> Section[[Circle]]:
    return circle_page.register(section)


def render_circle_sections(request: HttpRequest, circle: Circle) -> list[str]:
    """The HTML of each registered section for this circle and reader (empty ones left out).

    Each section must run a constant number of queries: the circle page asserts its count."""
    return circle_page.render(request, circle)


_guarding_circles: list[Callable[[Circle], bool]] = []


def register_guarding_circle(check: Callable[[Circle], bool]) -> None:
    """`check(circle)` says whether any membership of that circle gives a guarding role."""
    if check not in _guarding_circles:
        _guarding_circles.append(check)


def is_guarding_circle(circle: Circle) -> bool:
    return any(check(circle) for check in _guarding_circles)
