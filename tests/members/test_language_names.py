"""Language names come from CLDR in the reader's language, never from the stored English name
(issue "Made for 26 countries"): a person's languages, in the page and in the forms."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.factories import LanguageFactory, PersonLanguageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("reader", "english", "portuguese"),
    [
        ("en", "English", "Portuguese"),
        ("es", "inglés", "portugués"),
        ("ja", "英語", "ポルトガル語"),
        ("bg", "английски", "португалски"),
        ("pt-br", "inglês", "português"),
    ],
)
def test_a_persons_languages_are_named_in_the_readers_language(
    login, member, reader, english, portuguese
):
    for code, name in (("en", "English"), ("pt", "Portuguese")):
        PersonLanguageFactory(person=member, language=LanguageFactory(code=code, name=name))
    member.language = reader  # the language the reader chose in their preferences
    member.save(update_fields=["language"])

    page = login(member.user).get(member.get_absolute_url()).content.decode()

    assert f"<li>{english}:" in page
    assert f"<li>{portuguese}:" in page


def test_a_code_cldr_does_not_know_falls_back_to_the_stored_name():
    klingon = LanguageFactory(code="tlh-x", name="Klingon")
    with translation.override("es"):
        assert str(klingon) == "Klingon"
