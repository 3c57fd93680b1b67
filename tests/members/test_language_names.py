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


@pytest.mark.parametrize(
    ("path", "reader", "any_language", "in_order"),
    [
        ("/coops/", "es", "Cualquier idioma", ["alemán", "árabe", "inglés"]),
        ("/people/", "en", "Any language", ["Arabic", "English", "German"]),
        ("/catalogue/", "es", "Cualquier idioma", ["alemán", "árabe", "inglés"]),
    ],
)
def test_a_language_filter_offers_any_language_then_the_names_in_the_readers_order(
    client, path, reader, any_language, in_order
):
    """The select's first choice says what leaving it does, and the languages read in the
    alphabet of their shown names (not the stored English ones: Arabic, English, German)."""
    for code, name in (("ar", "Arabic"), ("en", "English"), ("de", "German")):
        LanguageFactory(code=code, name=name)

    page = client.get(path, HTTP_ACCEPT_LANGUAGE=reader).content.decode()

    select = page[
        page.index('id="id_language"') : page.index("</select>", page.index('id="id_language"'))
    ]
    options = [part.split("</option>")[0].split(">")[-1] for part in select.split("<option")[1:]]
    assert options[0] == any_language
    assert [name for name in options if name in in_order] == in_order
