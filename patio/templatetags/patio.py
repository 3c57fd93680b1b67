from __future__ import annotations

import datetime
import re
from typing import Any

import markdown as md
import nh3
from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import mark_safe

from patio import i18n, linked_data

register = template.Library()


# Dates, times, numbers and money in the reader's language and zone (patio.i18n, CLDR by Babel).
# Templates use these, never Django's |date and |time for what a person reads (a code rule test
# holds them to it); machine formats such as <time datetime="…|date:'c'"> stay as they are.
@register.filter
def day(value: Any, length: str = "long") -> str:
    return i18n.format_day(value, length) if value else ""


@register.filter
def short_day(value: Any) -> str:
    return i18n.format_day(value, "medium") if value else ""


@register.filter
def weekday_day(value: Any) -> str:
    return i18n.format_weekday_and_day(value) if value else ""


@register.filter
def weekday(value: Any) -> str:
    return i18n.format_weekday(value) if value else ""


@register.filter
def month(value: Any) -> str:
    return i18n.format_month(value) if value else ""


@register.filter
def moment(value: Any, length: str = "long") -> str:
    return i18n.format_moment(value, length) if value else ""


@register.filter
def day_and_clock(value: Any, length: str = "long") -> str:
    return i18n.format_day_and_clock(value, length) if value else ""


@register.filter
def utc_moment(value: Any) -> str:
    return i18n.format_moment(value, zone=datetime.UTC) if value else ""


@register.filter
def clock(value: Any) -> str:
    return i18n.format_clock(value) if value else ""


@register.filter
def utc_clock(value: Any) -> str:
    return i18n.format_clock(value, zone=datetime.UTC) if value else ""


@register.filter
def time_of_day(value: Any) -> str:
    return i18n.format_time_of_day(value) if value else ""


@register.filter
def money(value: Any, currency: str) -> str:
    return "" if value is None or value == "" else i18n.format_money(value, currency)


@register.filter
def number(value: Any, digits: int | None = None) -> str:
    return "" if value is None or value == "" else i18n.format_number(value, digits)


@register.filter
def file_size(value: Any) -> str:
    return "" if value is None or value == "" else i18n.format_file_size(int(value))


@register.filter
def language_name(code: str) -> str:
    """A language's name in the reader's language, from CLDR: "Spanish", "español", "スペイン語"."""
    return i18n.language_name(code) if code else ""


# What people's Markdown may become: headings (so screen-reader users can move by them), lists,
# tables, quotes, code and links. Nothing else survives nh3, raw HTML included.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
# The page owns its h1: a text's `#` heading is a section of it (h2), and `#####` is as deep as h4.
_HEADING = re.compile(r"<(/?)h([1-6])>")


def _within_the_page(match: re.Match[str]) -> str:
    level = min(max(int(match.group(2)), 2), 4)
    return f"<{match.group(1)}h{level}>"


@register.filter(name="markdown")
def render_markdown(text: str) -> str:
    """Markdown written by people, rendered and then sanitised: no raw HTML survives."""
    html = _HEADING.sub(
        _within_the_page, md.markdown(text or "", extensions=["sane_lists", "tables"])
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters changed (for pagination links)."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.simple_tag(takes_context=True)
def current_section(context: template.Context, url_name: str) -> str:
    """` aria-current="page"` on the main navigation's link to the page being read, and
    ` aria-current="true"` on the link to the section it is in (its path starts with the link's),
    so the current section is marked for everyone, screen readers included."""
    request: HttpRequest | None = context.get("request")
    path = reverse(url_name)
    if request is None or path == "/":
        return ""
    if request.path == path:
        return mark_safe(' aria-current="page"')
    if request.path.startswith(path):
        return mark_safe(' aria-current="true"')
    return ""


@register.simple_tag(takes_context=True)
def alternate_languages(context: template.Context) -> list[tuple[str, str]]:
    """The page in each site language, for `<link rel="alternate" hreflang>` (patio.i18n)."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return []
    return i18n.alternates(request.path, dict(request.GET.lists()))


@register.simple_tag
def json_ld(document: dict[str, Any]) -> str:
    """A page's schema.org document as a data block (patio.linked_data)."""
    return linked_data.script(document)
