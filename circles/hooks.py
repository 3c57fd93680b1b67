"""Slots on a circle's page that apps above circles fill (circles imports none of them).

An app registers a section in its AppConfig.ready():

    from circles.hooks import register_circle_section
    register_circle_section(my_section)  # my_section(request, circle) -> str (HTML) or ""

The circle page renders every registered section, in registration order (`circle_page`, a
`patio.hooks.Slot`)."""

from __future__ import annotations

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
