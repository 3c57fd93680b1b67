"""The design system as the styleguide shows it (issue 17, "A design system, phone first").

The tokens are read from the stylesheet itself: every custom property of the `:root` block of
static/css/patio.css. Each colour pair the guide lists has its contrast computed here from
those values, by WCAG 2.2's formula, so neither the page nor its test can drift from the sheet.
The sample form, chart and list are made of the real parts the pages use (patio.forms'
renderer and widgets, patio.charts, Django's paginator)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.paginator import Page, Paginator
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from patio.charts import BarChart, bar_chart
from patio.forms import Select

STYLESHEET = "css/patio.css"

_ROOT = re.compile(r":root\s*\{(?P<body>.*?)\}", re.S)
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_PROPERTY = re.compile(r"--(?P<name>[\w-]+)\s*:\s*(?P<value>[^;]+?)\s*;")
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def stylesheet() -> str:
    """The text of the stylesheet every page loads, from where the static files are found."""
    found = finders.find(STYLESHEET)
    path = Path(found if isinstance(found, str) else settings.BASE_DIR / "static" / STYLESHEET)
    return path.read_text(encoding="utf-8")


def tokens(css: str) -> dict[str, str]:
    """Every custom property the sheet's `:root` block declares, in its order: name (without
    the `--`) to value."""
    root = _ROOT.search(css)
    if root is None:
        raise ValueError(f"{STYLESHEET} has no :root block of tokens.")
    body = _COMMENT.sub("", root.group("body"))
    return {match["name"]: match["value"] for match in _PROPERTY.finditer(body)}


@dataclass(frozen=True)
class Token:
    name: str
    value: str

    @property
    def var(self) -> str:
        return f"var(--{self.name})"


@dataclass(frozen=True)
class TokenGroup:
    key: str  # the section's id on the page
    title: Promise
    property: str  # what a sample of the family sets to the token (its class is token-NAME)
    tokens: tuple[Token, ...]


# The families of tokens, by name: a colour is any token whose value is a colour.
_FAMILIES: tuple[tuple[str, str], ...] = (
    ("text", "text-"),
    ("space", "space-"),
    ("radius", "radius-"),
)


def token_groups(css: str) -> list[TokenGroup]:
    """The sheet's tokens by family: colour, type scale, spacing, radius. A token of no family
    is an error, so a new kind of token cannot be left out of the guide."""
    found: dict[str, list[Token]] = {"colour": [], "text": [], "space": [], "radius": []}
    for name, value in tokens(css).items():
        family = next((key for key, prefix in _FAMILIES if name.startswith(prefix)), None)
        if family is None and _HEX.fullmatch(value):
            family = "colour"
        if family is None:
            raise ValueError(f"--{name} in {STYLESHEET} belongs to no family of tokens.")
        found[family].append(Token(name, value))
    shown = {
        "colour": (_("Colour"), "background"),
        "text": (_("Type scale"), "font-size"),
        "space": (_("Spacing"), "inline-size"),
        "radius": (_("Radius"), "border-radius"),
    }
    return [
        TokenGroup(key=key, title=shown[key][0], property=shown[key][1], tokens=tuple(items))
        for key, items in found.items()
    ]


# Contrast, as WCAG 2.2 defines it ---------------------------------------------------------------
def relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(one: str, other: str) -> float:
    light, dark = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


class Need(Enum):
    """What a pair must reach: text 4.5:1 (WCAG 1.4.3); the focus ring and the edges and marks
    that identify a control or a figure 3:1 (1.4.11)."""

    TEXT = "text"
    NON_TEXT = "non-text"
    FOCUS = "focus"

    @property
    def minimum(self) -> float:
        return 4.5 if self is Need.TEXT else 3.0

    @property
    def label(self) -> str:
        return {
            Need.TEXT: gettext("Text"),
            Need.NON_TEXT: gettext("Edge or mark"),
            Need.FOCUS: gettext("Focus ring"),
        }[self]


@dataclass(frozen=True)
class Pair:
    foreground: str
    background: str
    need: Need
    use: Promise


# Every pair of colours the stylesheet puts together, with what it is used for.
PAIRS: tuple[Pair, ...] = (
    Pair("ink", "bg", Need.TEXT, _("Body text")),
    Pair("muted", "bg", Need.TEXT, _("Secondary text: meta lines, help, the footer")),
    Pair("accent", "bg", Need.TEXT, _("Links and the brand")),
    Pair("error", "bg", Need.TEXT, _("Field errors and the links of the error summary")),
    Pair("ink", "soft", Need.TEXT, _("Text on a panel: messages, filters, tags")),
    Pair("muted", "soft", Need.TEXT, _("A disabled button")),
    Pair("accent", "soft", Need.TEXT, _("Links and figures on a panel")),
    Pair("accent-ink", "accent", Need.TEXT, _("A primary button")),
    Pair("accent-ink", "error", Need.TEXT, _("A danger button")),
    Pair("warning-ink", "warning-bg", Need.TEXT, _("A warning badge")),
    Pair("ink", "notice-bg", Need.TEXT, _("A notice")),
    Pair("accent", "notice-bg", Need.TEXT, _("A link in a notice")),
    Pair("ink", "ins-bg", Need.TEXT, _("Words added, in a diff of two texts")),
    Pair("ink", "del-bg", Need.TEXT, _("Words removed, in a diff of two texts")),
    Pair(
        "control-line", "bg", Need.NON_TEXT, _("The edge of inputs, selects and secondary buttons")
    ),
    Pair("accent", "bg", Need.NON_TEXT, _("Chart bars, and the edge of a message")),
    Pair("chart-out", "bg", Need.NON_TEXT, _("Chart bars of money out")),
    Pair("error", "bg", Need.NON_TEXT, _("The edge of a field with an error, and of the summary")),
    Pair("warning-ink", "soft", Need.NON_TEXT, _("The edge of a warning message")),
    Pair("focus-ink", "bg", Need.FOCUS, _("The focus ring on the page")),
    Pair("focus-ink", "soft", Need.FOCUS, _("The focus ring on a panel")),
    Pair("focus", "accent", Need.FOCUS, _("The focus halo around a primary button")),
    Pair("focus", "error", Need.FOCUS, _("The focus halo around a danger button")),
    Pair(
        "focus", "focus-ink", Need.FOCUS, _("The halo against the ring, so the two are told apart")
    ),
)

# Colours that are in no pair on purpose, and why.
DECORATIVE: dict[str, Promise] = {
    "line": _("Rules between rows and around cards: they separate, they identify nothing."),
}


@dataclass(frozen=True)
class Contrast:
    pair: Pair
    foreground: str  # the colours, as the sheet gives them
    background: str
    ratio: float

    @property
    def passes(self) -> bool:
        return self.ratio >= self.pair.need.minimum

    @property
    def is_text(self) -> bool:
        return self.pair.need is Need.TEXT

    @property
    def key(self) -> str:
        """The sample's class: a pair may be listed as text and again as a mark."""
        return f"{self.pair.foreground}-on-{self.pair.background}-{self.pair.need.value}"


def contrasts(css: str) -> list[Contrast]:
    colours = tokens(css)
    return [
        Contrast(
            pair=pair,
            foreground=colours[pair.foreground],
            background=colours[pair.background],
            ratio=contrast_ratio(colours[pair.foreground], colours[pair.background]),
        )
        for pair in PAIRS
    ]


# The samples --------------------------------------------------------------------------------------
class SampleForm(forms.Form):
    """A form of the kind the pages have, drawn by the site's form renderer."""

    # A page about the components opens at its top: this sample's error summary does not take
    # focus (forms/form.html), as a real failed form's does.
    summary_takes_focus = False

    name = forms.CharField(
        label=_("Name of the circle"),
        max_length=80,
        help_text=_("As members will read it in the menu."),
    )
    email = forms.EmailField(label=_("Contact email"))
    rhythm = forms.ChoiceField(
        label=_("Meeting rhythm"),
        choices=[("weekly", _("Every week")), ("monthly", _("Every month"))],
        widget=Select,
    )
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


# What the sample form was sent with when the reader has not sent it: two fields are refused.
SAMPLE_FORM_DATA = {
    "sample-name": "",
    "sample-email": "not-an-address",
    "sample-rhythm": "monthly",
    "sample-purpose": "",
}


def sample_form(query: dict[str, str]) -> SampleForm:
    """The sample form, bound to what the reader sent (its fields are in the query) or else to
    data with two errors, and validated, so its errors and the error summary show."""
    data = query if "sample-name" in query else SAMPLE_FORM_DATA
    form = SampleForm(data, prefix="sample")
    form.is_valid()
    return form


def sample_chart() -> BarChart:
    return bar_chart(
        [
            (gettext("October 2026"), 1200, "in"),
            (gettext("October 2026"), 450, "out"),
            (gettext("November 2026"), 800, "in"),
            (gettext("November 2026"), 950, "out"),
        ],
        title=gettext("Money in and out, by month (a sample)"),
        legend=[("in", gettext("In")), ("out", gettext("Out"))],
    )


@dataclass(frozen=True)
class SampleRow:
    circle: str
    coordinator: str
    members: int
    hours: int
    last_hours: int


def sample_rows() -> list[SampleRow]:
    return [
        SampleRow(gettext("Finance"), "Ana Admin", 7, 42, 38),
        SampleRow(gettext("Job opportunities"), "Ivan Colleague", 12, 96, 1104),
        SampleRow(gettext("Communication"), "Mila Member", 5, 18, 25),
    ]


def sample_page(number: str | None) -> Page[int]:
    """Page `number` (the second by default) of a list of 60, 10 to a page."""
    return Paginator(range(1, 61), 10).get_page(number or 2)
