"""Page slots: a place on a lower app's page that apps above it fill, so it imports none of them.

The app that owns the page declares the slot, with the arguments each section takes after the
request:

    circle_page: Slot[[Circle]] = Slot("circle page")

An app above it registers a section in its AppConfig.ready(), directly or as a decorator:

    circle_page.register(open_opportunities, order=10)

    @circle_page.register
    def waiting_requests(request, circle) -> str: ...

The page renders the slot for its request: `circle_page.render(request, circle)` is the HTML of
every section, lowest `order` first and in registration order among equals, with the sections
that have nothing to say ("") left out. Registering a section again changes nothing (ready() can
run twice in tests). Each section must run a constant number of queries: the pages assert their
counts with every section registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, Generic, ParamSpec, overload

from django.http import HttpRequest

P = ParamSpec("P")

Section = Callable[Concatenate[HttpRequest, P], str]
"""A section: (request, *what the page shows) -> its HTML, or "" when it has nothing to show."""

DEFAULT_ORDER = 100


@dataclass(frozen=True)
class _Entry(Generic[P]):
    order: int
    section: Section[P]


class Slot(Generic[P]):
    """The ordered sections of one place on a page; see the module's docstring."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: list[_Entry[P]] = []

    def __repr__(self) -> str:
        return f"<Slot {self.name!r}: {len(self._entries)} sections>"

    @overload
    def register(self, section: Section[P], /, *, order: int = DEFAULT_ORDER) -> Section[P]: ...

    @overload
    def register(
        self, section: None = None, /, *, order: int = DEFAULT_ORDER
    ) -> Callable[[Section[P]], Section[P]]: ...

    def register(
        self, section: Section[P] | None = None, /, *, order: int = DEFAULT_ORDER
    ) -> Section[P] | Callable[[Section[P]], Section[P]]:
        """Add `section` at `order` and return it unchanged; without a section, a decorator."""
        if section is None:
            return lambda section: self.register(section, order=order)
        if not callable(section):
            raise TypeError(f"A section of {self.name} must be callable, not {section!r}")
        if section not in self.sections():
            self._entries.append(_Entry(order, section))
            # sort() is stable: sections of the same order stay in registration order.
            self._entries.sort(key=lambda entry: entry.order)
        return section

    def unregister(self, section: Section[P]) -> None:
        """Take `section` out (for tests that register their own); unknown ones are ignored."""
        self._entries = [entry for entry in self._entries if entry.section != section]

    def sections(self) -> list[Section[P]]:
        """The registered sections, in the order the page shows them."""
        return [entry.section for entry in self._entries]

    def render(self, request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> list[str]:
        """The HTML of each section for this request, in order, empty ones left out.

        Sections return HTML they built with the template engine (safe strings), and the page
        prints them as they are."""
        return [html for section in self.sections() if (html := section(request, *args, **kwargs))]
