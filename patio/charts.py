"""Bar charts drawn on the server as SVG: no JavaScript, no CDN, readable by screen readers
(each chart carries a title and the same numbers as a table)."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 190
PLOT_WIDTH = 360
VALUE_WIDTH = 60


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    y: int
    width: float
    text_y: int


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH

    @property
    def value_x(self) -> int:
        return self.label_width + 6


def bar_chart(items: list[tuple[str, int | float]], *, title: str) -> BarChart:
    largest = max((value for _, value in items), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(items):
        y = i * (BAR_HEIGHT + GAP)
        bars.append(
            Bar(
                label=label,
                value=value,
                y=y,
                width=round(PLOT_WIDTH * value / largest, 1),
                text_y=y + BAR_HEIGHT // 2 + 5,
            )
        )
    height = max(len(bars) * (BAR_HEIGHT + GAP), BAR_HEIGHT)
    return BarChart(
        title=title, bars=bars, width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH, height=height
    )
