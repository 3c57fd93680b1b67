"""The focus ring can be seen on every background the stylesheet paints (WCAG 2.2, 1.4.11: at
least 3:1 against what is next to it), so a keyboard user always knows where they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "patio.css").read_text(encoding="utf-8")


def tokens() -> dict[str, str]:
    root = CSS[CSS.index(":root {") : CSS.index("}", CSS.index(":root {"))]
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root))


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focus_rule() -> str:
    start = CSS.index(":focus-visible")
    return CSS[start : CSS.index("}", start)]


@pytest.mark.pure
def test_the_known_contrasts():
    assert round(contrast("#ffffff", "#000000"), 1) == 21.0
    assert round(contrast("#f2a900", "#ffffff"), 1) == 2.0  # the old ring, alone: too faint


@pytest.mark.pure
def test_the_focus_ring_has_two_tones_one_of_which_stands_out_on_every_background():
    colours = tokens()
    rule = focus_rule()
    assert "outline: 3px solid var(--focus-ink)" in rule
    assert "box-shadow: 0 0 0 6px var(--focus)" in rule
    ring, halo = colours["focus-ink"], colours["focus"]
    assert contrast(ring, halo) >= 3  # the two rings are told apart from each other
    backgrounds = set(re.findall(r"background(?:-color)?:\s*var\(--([\w-]+)\)", CSS))
    assert {"bg", "soft", "accent"} <= backgrounds
    weak = {
        name: round(max(contrast(ring, colours[name]), contrast(halo, colours[name])), 2)
        for name in backgrounds
        if max(contrast(ring, colours[name]), contrast(halo, colours[name])) < 3
    }
    assert weak == {}
