"""schema.org JSON-LD for published guides (patio.linked_data): an `Article` in the language
it is read in, linked to its other languages. The original names its translations
(`workTranslation`); a translation names its original (`translationOfWork`), each at its own
address (`?language=`). Authors are named as the byline names them, with their co-op only when
the co-op is public."""

from __future__ import annotations

from typing import Any

from hub.models import Guide, GuideTranslation
from members.linked_data import network, organisation_reference
from members.models import Organisation
from patio.linked_data import Document, absolute, document, moment, node, plain_text
from patio.translations import Reading


def _address(guide: Guide, language: str) -> str:
    return f"{guide.get_absolute_url()}?language={language}"


def _author(person) -> Document:
    coop = person.organisation
    public = coop is not None and coop.status == Organisation.Status.MEMBER
    return node(
        "Person",
        name=person.display_name,
        affiliation=organisation_reference(coop) if public else None,
    )


def _version(guide: Guide, language: str, title: str) -> Document:
    return {
        "@type": "Article",
        "@id": absolute(_address(guide, language)),
        "name": title,
        "inLanguage": language,
    }


def guide_document(guide: Guide, shown: Reading[GuideTranslation]) -> Document:
    """The guide as it is shown (`shown`: the original or one translation)."""
    translations = list(guide.translations.all())
    made = shown.translation
    links: dict[str, Any]
    if made is None:
        path = guide.get_absolute_url()
        links = {"workTranslation": [_version(guide, t.language, t.title) for t in translations]}
    else:
        path = _address(guide, made.language)
        links = {
            "translationOfWork": {
                "@type": "Article",
                "@id": absolute(guide.get_absolute_url()),
                "name": guide.title,
                "inLanguage": guide.language,
            },
            "translator": node("Person", name=made.translator.display_name),
        }
    summary = made.summary if made is not None and made.summary else guide.summary
    return document(
        "Article",
        path,
        headline=shown.title,
        name=shown.title,
        description=summary,
        inLanguage=shown.language,
        articleSection=str(guide.get_category_display()),
        keywords=[tag.name for tag in guide.tags.all()],
        author=[_author(person) for person in guide.authors.all()],
        datePublished=moment(guide.published_at),
        dateModified=moment(guide.updated_at),
        timeRequired=f"PT{made.reading_minutes if made is not None else guide.reading_minutes}M",
        wordCount=len(plain_text(shown.text).split()),
        articleBody=plain_text(shown.text),
        publisher=network(),
        **links,
    )
