"""Slots on a person's page that apps above members fill (members imports none of them).

An app registers a section in its AppConfig.ready():

    from members.hooks import register_person_section
    register_person_section(my_section)  # my_section(request, person) -> str (HTML) or ""

The person page renders every registered section, in registration order."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

PersonSection = Callable[[HttpRequest, "object"], str]
_sections: list[PersonSection] = []


def register_person_section(section: PersonSection) -> PersonSection:
    if section not in _sections:
        _sections.append(section)
    return section


def render_person_sections(request: HttpRequest, person) -> list[SafeString]:
    """The HTML of each registered section for this person and reader (empty ones left out).

    Each section must run a constant number of queries."""
    return [html for section in _sections if (html := section(request, person))]
