"""Content in many languages: an original text and its translations, each made from one version.

A policy is written in one language, its *original*, which is the text that binds. A translation
is another language's rendering of it, made from one version of the original; when the original
moves on, the translation is *older than the original* until someone updates it. A translation
is never a version of its own: it changes nothing that was adopted.

This module holds what any such content shares, so a hub guide reuses it as policies do:

- `Translation`, the abstract table: language, title, text, times. The app's concrete model adds
  what points at its own rows (the content, the version it was made from, the translator) and the
  one-per-language constraint;
- `reading()`, which picks the text to show (the language the reader asked for, else a
  translation into the reader's language, else the original) and lists the languages to read it
  in, each with its own name;
- the partials `includes/translations/read_in.html` and `includes/translations/notice.html`.

patio knows no app: what ties a translation to its content is the caller's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from patio.i18n import language_name, site_languages


class Translation(models.Model):
    """A text in another language than its original's. Abstract: the concrete model adds the
    content it translates, the version it was made from and who made it."""

    language = models.CharField(_("language"), max_length=8, choices=site_languages)
    title = models.CharField(_("title"), max_length=160)
    text = models.TextField(
        _("text"), max_length=100000, help_text=_("The whole translated text, in Markdown.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


T = TypeVar("T", bound=Translation)


def own_language_name(code: str) -> str:
    """A language's name in itself, from CLDR ("Español", "Français", "日本語"): what a reader
    looking for their language recognises, whatever the page's language."""
    with translation.override(code):
        name = language_name(code)
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class Language:
    """One language the content can be read in."""

    code: str
    own_name: str  # in the language itself, to be marked up with lang="{code}"
    is_original: bool
    is_shown: bool
    is_outdated: bool


@dataclass(frozen=True)
class Reading(Generic[T]):
    """What the page shows: the original, or one translation of it."""

    language: str
    original_language: str
    original_title: str
    original_text: str
    translation: T | None
    languages: tuple[Language, ...]
    is_outdated: bool

    # Read from the row only when asked: a list page shows titles and never loads a text.
    @property
    def title(self) -> str:
        return self.translation.title if self.translation is not None else self.original_title

    @property
    def text(self) -> str:
        return self.translation.text if self.translation is not None else self.original_text

    @property
    def is_original(self) -> bool:
        return self.translation is None

    @property
    def is_translated(self) -> bool:
        """Whether there is any translation to choose."""
        return len(self.languages) > 1

    @property
    def original_language_name(self) -> str:
        return language_name(self.original_language)

    @property
    def language_name(self) -> str:
        return language_name(self.language)


def reading(
    *,
    original_language: str,
    original_title: str,
    original_text: str,
    translations: Sequence[T],
    requested: str | None,
    preferred: str | None,
    is_outdated: Callable[[T], bool],
) -> Reading[T]:
    """Pick the text to show and list the languages to read it in.

    `requested` is the language the reader chose (`?language=`): the original's language shows
    the original, a language without a translation shows the original too. Without a choice, a
    translation into `preferred` (the reader's own language) is shown when there is one. A
    translation in the original's own language (the original's language was changed after it
    was made) is no translation and is left out."""
    by_language = {t.language: t for t in translations if t.language != original_language}
    chosen = by_language.get(requested or preferred or "")
    shown = chosen.language if chosen is not None else original_language
    languages = (
        Language(
            code=original_language,
            own_name=own_language_name(original_language),
            is_original=True,
            is_shown=chosen is None,
            is_outdated=False,
        ),
        *(
            Language(
                code=code,
                own_name=own_language_name(code),
                is_original=False,
                is_shown=code == shown,
                is_outdated=is_outdated(by_language[code]),
            )
            for code in sorted(by_language)
        ),
    )
    return Reading(
        language=shown,
        original_language=original_language,
        original_title=original_title,
        original_text=original_text,
        translation=chosen,
        languages=languages,
        is_outdated=chosen is not None and is_outdated(chosen),
    )
