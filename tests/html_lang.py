"""Which language a page says a piece of its text is in (WCAG 3.1.1 and 3.1.2).

`language_of(html, "Decidimos por")` reads the page as a browser does and answers the `lang` of
the nearest element around the first text of the body containing the words: the `lang` a screen reader
would speak them in. A test thus asserts what a reader relies on, not how the markup is spelled.
"""

from __future__ import annotations

from html.parser import HTMLParser

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


class _LanguageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._open: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str | None]] = []

    def _language(self) -> str | None:
        return next((lang for _tag, lang in reversed(self._open) if lang is not None), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        self._open.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        # What the page shows: the document's <title> is the browser's, not the page's text.
        if data.strip() and all(tag != "head" for tag, _lang in self._open):
            self.texts.append((data, self._language()))


def language_of(html: str, words: str) -> str | None:
    """The language the page gives the first text that contains `words` (None: not marked at
    all). Fails when the words are not on the page."""
    reader = _LanguageReader()
    reader.feed(html)
    for text, language in reader.texts:
        if words in text:
            return language
    raise AssertionError(f"{words!r} is not on the page")
