"""Bar charts drawn on the server as SVG: no JavaScript, no CDN, readable by screen readers
(each chart carries a title and the same numbers as a table).

Each bar has its label on a line of its own above it, across the chart's whole width, so a label
is never clipped and the chart stays narrow: at 390 px it is drawn at about its own size and its
13-unit text stays at least 12 px. A label too long for the width is shortened with "…", and
the full text is the `<title>` of its bar (and in the table). Bars may have a kind ("in", "out"):
each kind has its own colour and pattern, named in a legend, so the two never depend on colour
alone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from patio import i18n

WIDTH = 360  # the viewBox: about a phone's width, so text is drawn near its nominal size
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
GAP = 10
VALUE_WIDTH = 84  # room after the longest bar for its value ("€12,345.67")
# Characters of 13-unit text that fit across WIDTH (an average glyph is about 0.55 em).
LABEL_CHARS = 48


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
    value: int | float
    shown: str  # the value as the reader reads it ("€3,950.08")
    kind: str
    label_y: int
    y: int
    width: float
    text_y: int

    @property
    def value_x(self) -> float:
        return round(self.width + 6, 1)


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    legend: tuple[tuple[str, str], ...] = ()


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(
    items: Sequence[tuple[str, int | float] | tuple[str, int | float, str]],
    *,
    title: str,
    legend: Sequence[tuple[str, str]] = (),
    shown: Callable[[int | float], str] | None = None,
) -> BarChart:
    """A chart of `items`: (label, value) or (label, value, kind). `legend` names the kinds, as
    (kind, label) pairs, in the order the legend shows them; `shown` writes a value for the reader
    (a sum of money in its currency, say; a number as the reader's language writes it by
    default: "1 186" in Spanish)."""
    shown = shown or i18n.format_number
    largest = max((item[1] for item in items), default=0) or 1
    plot = WIDTH - VALUE_WIDTH
    bars = []
    row = LABEL_HEIGHT + BAR_HEIGHT + GAP
    for i, item in enumerate(items):
        label, value = item[0], item[1]
        kind = item[2] if len(item) > 2 else ""
        top = i * row
        bars.append(
            Bar(
                label=_shorten(str(label)),
                full_label=str(label),
                value=value,
                shown=shown(value),
                kind=kind,
                label_y=top + 13,
                y=top + LABEL_HEIGHT,
                width=round(plot * value / largest, 1),
                text_y=top + LABEL_HEIGHT + BAR_HEIGHT - 3,
            )
        )
    height = max(len(bars) * row - GAP, BAR_HEIGHT)
    return BarChart(title=title, bars=bars, width=WIDTH, height=height, legend=tuple(legend))
