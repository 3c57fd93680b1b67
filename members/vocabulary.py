"""The controlled vocabularies (skills, skill categories, sectors) in the reader's language.

Their `name` has a column per language (members/translation.py). On an instance, `skill.name`
is the reader's language with English as the fallback, and so is `values("name")` on those
models' own querysets; `order_by("name")` sorts by the reader's column alone, the rows without a
name in it at one end. What goes through another model has no fallback at all:
`PersonSkill.objects.values("skill__name")` reads the original column, which holds whichever
language the row was last saved in. Such reads and orderings use the expressions here instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from django.conf import settings
from django.db.models import CharField, F, Model, Q, QuerySet
from django.db.models.functions import Coalesce
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname
from modeltranslation.utils import get_language as reader_language

ENGLISH: str = settings.MODELTRANSLATION_DEFAULT_LANGUAGE

M = TypeVar("M", bound=Model)


def languages() -> tuple[str, ...]:
    """Every language a name can be given in: one column each."""
    return tuple(mt_settings.AVAILABLE_LANGUAGES)


def column(path: str = "name", language: str | None = None) -> str:
    """The column of `path` (`name`, `skill__name`) in a language (the reader's by default):
    `skill__name_ja`, `name_pt_br`."""
    prefix, _sep, field = path.rpartition("__")
    localized = build_localized_fieldname(field, language or reader_language())
    return f"{prefix}__{localized}" if prefix else localized


def reading_languages() -> tuple[str, ...]:
    """The languages a name is read in, in order: the reader's, then English."""
    return tuple(dict.fromkeys([reader_language(), ENGLISH]))


def localized(path: str = "name") -> Coalesce | F:
    """`path` in the reader's language, else in English, as one SQL expression: for values(),
    annotate() and order_by() across a relation, where modeltranslation's fallback is not."""
    columns = [F(column(path, language)) for language in reading_languages()]
    # Each language's column is a field class of its own: say what the result is.
    return columns[0] if len(columns) == 1 else Coalesce(*columns, output_field=CharField())


def name_contains(path: str, term: str, *, lookup: str = "icontains") -> Q:
    """`path` (`skills__name`) matches `term` in the reader's language or in English."""
    condition = Q()
    for language in reading_languages():
        condition |= Q(**{f"{column(path, language)}__{lookup}": term})
    return condition


def by_name(queryset: QuerySet[M]) -> QuerySet[M]:
    """The rows in their model's ordering, with `name` read as the reader reads it (the
    reader's language, else English), then by id.

    For the querysets made once, at import (a filter's or a model form's choices): their model
    ordering was rewritten then to one language's column, in no reader's language."""
    ordering = queryset.model._meta.ordering or ()
    terms = [localized("name") if term == "name" else term for term in ordering]
    return queryset.order_by(*terms, "id")


def pick(names: Mapping[str, str | None]) -> str:
    """From a name in each language ({"en": …, "ja": …}), the one the reader reads."""
    for language in reading_languages():
        if names.get(language):
            return names[language] or ""
    return ""


def name_columns(path: str = "name") -> dict[str, str]:
    """{language: column} for every language, to read all of a row's names at once."""
    return {language: column(path, language) for language in languages()}
