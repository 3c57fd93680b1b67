"""The site's languages, in one place.

``settings.LANGUAGES`` lists the languages the site speaks: only those whose catalogue is complete
(``tests/patio/test_translations.py`` fails on any untranslated or fuzzy message of a listed
language, so a half-done catalogue cannot reach the switcher).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import Promise

StrOrPromise = str | Promise


def site_languages() -> list[tuple[str, StrOrPromise]]:
    """Choices for a "language" field: the site's languages, read when asked.

    A callable, so a model field's choices follow ``settings.LANGUAGES`` without a migration each
    time a language is added.
    """
    return list(settings.LANGUAGES)
