"""Slots on a circle's page that apps above circles fill (circles imports none of them).

An app registers a section in its AppConfig.ready():

    from circles.hooks import register_circle_section
    register_circle_section(my_section)  # my_section(request, circle) -> str (HTML) or ""

The circle page renders every registered section, in registration order."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

CircleSection = Callable[[HttpRequest, "object"], str]
_sections: list[CircleSection] = []


def register_circle_section(section: CircleSection) -> CircleSection:
    if section not in _sections:
        _sections.append(section)
    return section


def render_circle_sections(request: HttpRequest, circle) -> list[SafeString]:
    """The HTML of each registered section for this circle and reader (empty ones left out).

    Each section must run a constant number of queries: the circle page asserts its count."""
    return [html for section in _sections if (html := section(request, circle))]
