"""Read a page's forms as a browser does: the checkboxes a field offers, and what a form sends.

Tests that must prove a rendered form round-trips (what it shows is what it saves) submit the
fields the page really has, rather than a dictionary written beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Checkbox:
    name: str
    value: str
    id: str
    checked: bool
    label: str = ""


@dataclass
class _Form:
    attrs: dict[str, str]
    # (name, value) in document order, as a browser sends them; checkboxes and radios only
    # when checked; a select's selected options, or its first one.
    fields: list[tuple[str, str]] = field(default_factory=list)
    checkboxes: list[Checkbox] = field(default_factory=list)
    selects: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self.outside = _Form(attrs={})
        self.multiple_selects: list[str] = []
        self._form: _Form | None = None
        self._label: list[Checkbox] | None = None
        self._select: tuple[str, list[str], bool, str | None] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    @property
    def form(self) -> _Form:
        return self._form or self.outside

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attrs_list}
        present = {key for key, _value in attrs_list}
        if tag == "form":
            self._form = _Form(attrs=attrs)
            self.forms.append(self._form)
        elif tag == "label":
            self._label = []
        elif tag == "input":
            self._input(attrs, present)
        elif tag == "select":
            if "multiple" in present:
                self.multiple_selects.append(attrs.get("name", ""))
            self._select = (attrs.get("name", ""), [], "multiple" in present, None)
            self.form.selects.append(attrs.get("name", ""))
        elif tag == "option" and self._select is not None:
            name, chosen, multiple, first = self._select
            value = attrs.get("value", "")  # our options always carry one
            if first is None:
                self._select = (name, chosen, multiple, value)
            if "selected" in present:
                chosen.append(value)
        elif tag == "textarea":
            self._textarea = (attrs.get("name", ""), [])

    def _input(self, attrs: dict[str, str], present: set[str]) -> None:
        name, kind = attrs.get("name"), attrs.get("type", "text")
        if kind == "checkbox" and name:
            box = Checkbox(
                name, attrs.get("value", "on"), attrs.get("id", ""), "checked" in present
            )
            self.form.checkboxes.append(box)
            if self._label is not None:
                self._label.append(box)
        if not name or "disabled" in present or kind in {"submit", "button", "file", "image"}:
            return
        if kind in {"checkbox", "radio"}:
            if "checked" in present:
                self.form.fields.append((name, attrs.get("value", "on")))
            return
        self.form.fields.append((name, attrs.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._label:
            self._label[-1].label += data
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "label":
            for box in self._label or []:
                box.label = " ".join(box.label.split())
            self._label = None
        elif tag == "select" and self._select is not None:
            name, chosen, multiple, first = self._select
            values = chosen if multiple or chosen else ([first] if first is not None else [])
            self.form.fields.extend((name, value) for value in (values if multiple else values[:1]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.form.fields.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def multiple_selects(html: str) -> list[str]:
    """The names of the page's `<select multiple>`s."""
    return read(html).multiple_selects


def checkboxes(html: str, name: str) -> list[Checkbox]:
    """The checkboxes named `name` anywhere on the page, in document order, with their labels."""
    reader = read(html)
    return [
        box
        for form in [*reader.forms, reader.outside]
        for box in form.checkboxes
        if box.name == name
    ]


def submission(html: str, *, having: str) -> list[tuple[str, str]]:
    """What the page's form with a control named `having` sends as it stands, as (name, value)
    pairs in document order."""
    for form in read(html).forms:
        names = {name for name, _value in form.fields} | set(form.selects)
        if having in names | {box.name for box in form.checkboxes}:
            return list(form.fields)
    raise AssertionError(f"no form on the page has a control named {having}")


def replaced(data: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """The same submission with these fields typed in (each must be on the form)."""
    missing = set(values) - {name for name, _value in data}
    assert not missing, f"the form has no {sorted(missing)}"
    return [(name, values.get(name, value)) for name, value in data]


def ticked(data: list[tuple[str, str]], name: str, values: list[str]) -> list[tuple[str, str]]:
    """The same submission with exactly these checkboxes of `name` ticked."""
    return [(n, v) for n, v in data if n != name] + [(name, value) for value in values]


def as_dict(data: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Pairs as the test client posts them: repeated names become lists."""
    out: dict[str, list[str]] = {}
    for name, value in data:
        out.setdefault(name, []).append(value)
    return out
