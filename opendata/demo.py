"""The demo's open data: one dump of the demo network, so /open-data/ has something to show
on `make run`. Runs last (opendata is the top app), after every other app has seeded."""

from __future__ import annotations

from collections.abc import Callable

from opendata import selectors, services


def seed(*, say: Callable[[str], None] = print) -> None:
    if selectors.published().exists():
        say("Open data: a dump is already published.")
        return
    dump = services.dump_build()
    if dump is not None:
        say(f"Open data: dump {dump.version} of {dump.day.isoformat()} published.")
