"""Build tonight's open-data dump now, with a progress bar:

    manage.py opendata_dump

Does what the nightly task does (claims the network's today, writes the CSV files, README,
JSON-LD graph and DCAT description, publishes them at /open-data/, keeps the last
OPEN_DATA_KEEP). If today's dump is published or being built already, says so and stops.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from opendata import services


class Bars:
    """One tqdm bar per file being written, with its rows counted up to its total."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.bar: tqdm[Any] | None = None

    def stage(self, name: str, count: Callable[[], int]) -> None:
        self.close()
        self.bar = tqdm(total=count(), desc=name, unit=" rows", file=self.stream, leave=True)

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.update()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    @property  # translated when asked for, in the reader's language
    def help(self) -> str:  # type: ignore[override]  # BaseCommand has a plain attribute
        return _("Build and publish today's open-data dump now, as the nightly task does.")

    def handle(self, *args: Any, **options: Any) -> None:
        bars = Bars(sys.stderr) if options["verbosity"] >= 1 else None
        try:
            dump = services.dump_build(progress=bars)
        finally:
            if bars is not None:
                bars.close()
        if dump is None:
            self.stdout.write(
                self.style.WARNING(
                    _("Today's dump is published or being built already: see /open-data/.")
                )
            )
            return
        self.stdout.write(
            _("Published dump %(version)s of %(day)s: %(size)s bytes (ZIP).")
            % {"version": dump.version, "day": dump.day.isoformat(), "size": dump.zip_size}
        )
