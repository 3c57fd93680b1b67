"""Skills, skill categories and sectors in the reader's language, and in English where a name is
not given in it (issue 17): pages, filters, forms, search, the admin and the demo's names."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from members import demo_data, demo_names, selectors, services, vocabulary
from members.demo_people import ensure_reference_data
from members.models import Organisation, Person, Sector, Skill, SkillCategory
from members.search import refresh_search_vectors, search_organisations
from tests.factories import (
    PersonFactory,
    PersonSkillFactory,
    SectorFactory,
    SkillCategoryFactory,
    SkillFactory,
    UserFactory,
)
from tests.html_forms import checkboxes

DEMO_VOCABULARIES = {
    "sectors": list(demo_data.SECTORS),
    "skill categories": [name for _slug, name in demo_data.SKILL_CATEGORIES],
    "skills": [spec.name for spec in demo_data.SKILLS],
}


def _translate(row, **names: str) -> None:
    """Give a row its names in other languages (`es="Diseño"`, `pt_br="…"`)."""
    type(row).objects.filter(pk=row.pk).update(**{f"name_{code}": n for code, n in names.items()})


@pytest.fixture
def named(coop):
    """A co-op of the network whose public person lists two skills named in Spanish and
    Japanese (one of them in Bulgarian too) and one named only in English; its sector is named
    in Spanish and Japanese."""
    design = SkillCategoryFactory(name="Administration", slug="administration")
    _translate(design, es="Administración", ja="総務")
    bookkeeping = SkillFactory(name="Bookkeeping", slug="bookkeeping", category=design)
    _translate(bookkeeping, es="Contabilidad", ja="簿記", bg="Счетоводство")
    copywriting = SkillFactory(name="Copywriting", slug="copywriting", category=design)
    _translate(copywriting, es="Redacción publicitaria", ja="コピーライティング")
    cobol = SkillFactory(name="COBOL", slug="cobol", category=design)
    agriculture = SectorFactory(name="Agriculture", slug="agriculture")
    _translate(agriculture, es="Agricultura", ja="農業")
    coop.sectors.set([agriculture])
    person = PersonFactory(organisation=coop, display_name="Rosa Ruiz", profile_visibility="public")
    for skill, level in ((bookkeeping, 4), (copywriting, 3), (cobol, 2)):
        PersonSkillFactory(person=person, skill=skill, level=level)
    refresh_search_vectors()
    return person


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _options(page: str, name: str) -> list[str]:
    """The labels of a select's options, in order (the blank one left out)."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select {name}"
    return [
        label
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)', select[1])
        if value
    ]


# The columns ---------------------------------------------------------------------------------
@pytest.mark.pure
def test_each_language_of_the_site_has_a_name_column_in_each_vocabulary():
    """Adding a language to LANGUAGES needs no migration: its column is there already."""
    site = [code for code, _name in settings.LANGUAGES]
    assert set(site) <= set(vocabulary.languages())
    assert set(vocabulary.languages()) == {"en", "bg", "es", "fr", "ja", "pt-br", "ru", "tr"}
    for model in (Skill, SkillCategory, Sector):
        fields = {field.name for field in model._meta.get_fields()}
        assert {vocabulary.column("name", code) for code in vocabulary.languages()} <= fields
    assert vocabulary.column("skill__name", "pt-br") == "skill__name_pt_br"


# The demo's names ----------------------------------------------------------------------------
@pytest.mark.pure
@pytest.mark.parametrize("language", [code for code in vocabulary.languages() if code != "en"])
def test_every_demo_name_is_given_in_each_language_once(language):
    block = demo_names.NAMES[language]
    for vocabulary_name, names in DEMO_VOCABULARIES.items():
        missing = [name for name in names if name not in demo_names.KEPT and name not in block]
        assert not missing, f"{language} lacks these {vocabulary_name}: {missing}"
        written = [demo_names.name_in(name, language) for name in names]
        alike = sorted({name for name in written if written.count(name) > 1})
        assert not alike, f"{vocabulary_name} written alike in {language}: {alike}"
        assert all(name and name == name.strip() for name in written)
    every_name = {name for names in DEMO_VOCABULARIES.values() for name in names}
    assert set(block) <= every_name, f"not demo names: {set(block) - every_name}"
    assert not set(block) & demo_names.KEPT


def test_the_reference_data_fills_the_names_an_older_demo_lacks_and_keeps_given_ones(db):
    bookkeeping = SkillFactory(name="Bookkeeping", slug="bookkeeping")  # made in English only
    _translate(bookkeeping, es="Teneduría de libros")  # someone's own word for it
    ensure_reference_data()
    bookkeeping.refresh_from_db()
    assert (bookkeeping.name_en, bookkeeping.name_ja) == ("Bookkeeping", "簿記")
    assert bookkeeping.name_es == "Teneduría de libros"
    assert bookkeeping.name_pt_br == "Contabilidade"
    development = SkillCategory.objects.get(slug="development")
    with translation.override("tr"):
        assert development.name == "Geliştirme"
    assert Sector.objects.get(slug="publishing").name_fr == "Édition"


# Pages ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "bookkeeping", "copywriting"),
    [("es", "Contabilidad", "Redacción publicitaria"), ("ja", "簿記", "コピーライティング")],
)
def test_a_person_page_names_their_skills_in_the_readers_language(
    client, named, language, bookkeeping, copywriting
):
    page = _text(client.get(f"/people/{named.pk}/", HTTP_ACCEPT_LANGUAGE=language))
    assert bookkeeping in page and copywriting in page
    assert "Bookkeeping" not in page and "Copywriting" not in page
    assert "COBOL" in page  # named in English only: read in English


@pytest.mark.parametrize(
    ("language", "sector", "skills"),
    [
        ("es", "Agricultura", ["COBOL", "Contabilidad", "Redacción publicitaria"]),
        ("ja", "農業", ["COBOL", "コピーライティング", "簿記"]),
        ("en", "Agriculture", ["Bookkeeping", "COBOL", "Copywriting"]),
    ],
)
def test_the_coop_directory_filters_and_results_are_in_the_readers_language(
    client, named, language, sector, skills
):
    page = _text(client.get("/coops/", HTTP_ACCEPT_LANGUAGE=language))
    assert [box.label for box in checkboxes(page, "sector")] == [sector]  # several: checkboxes
    assert _options(page, "skill") == skills  # in the order the reader reads them
    assert f"<li>{sector}</li>" in page  # the co-op's sector tag
    filtered = _text(
        client.get("/coops/?sector=agriculture&skill=bookkeeping", HTTP_ACCEPT_LANGUAGE=language)
    )
    assert "Camplight" in filtered


def test_a_coop_page_sums_up_its_skills_in_the_readers_language(client, named):
    page = _text(client.get("/coops/camplight/", HTTP_ACCEPT_LANGUAGE="ja"))
    assert "<td>簿記</td><td>総務</td>" in page
    assert "<td>COBOL</td><td>総務</td>" in page
    assert "農業" in page


def test_the_people_directory_and_profile_form_offer_the_readers_names(login, named, member):
    Person.objects.filter(pk=member.pk).update(language="es")  # the person's own choice wins
    client = login(member.user)
    page = _text(client.get("/people/?category=administration"))
    assert _options(page, "category") == ["Administración"]
    assert _options(page, "skill") == ["COBOL", "Contabilidad", "Redacción publicitaria"]
    assert "Contabilidad (" in page  # Rosa's skills in the results
    form = _text(client.get("/me/"))
    assert _options(form, "skills-0-skill") == ["COBOL", "Contabilidad", "Redacción publicitaria"]


def test_the_network_glance_names_categories_in_each_readers_language(client, named):
    english = _text(client.get("/network/", HTTP_ACCEPT_LANGUAGE="en"))
    japanese = _text(client.get("/network/", HTTP_ACCEPT_LANGUAGE="ja"))  # from the same cache
    assert "Administration" in english and "総務" not in english
    assert "総務" in japanese


# Falling back to English ---------------------------------------------------------------------
def test_a_name_not_given_in_bulgarian_is_read_in_english(named, coop):
    with translation.override("bg"):
        assert Skill.objects.get(slug="bookkeeping").name == "Счетоводство"
        assert Skill.objects.get(slug="copywriting").name == "Copywriting"
        assert Sector.objects.get(slug="agriculture").name == "Agriculture"
        summary = selectors.organisation_skill_summary(None, coop)
        assert [(row["skill_name"], row["category_name"]) for row in summary] == [
            ("COBOL", "Administration"),
            ("Copywriting", "Administration"),
            ("Счетоводство", "Administration"),
        ]
        ordered = vocabulary.by_name(Skill.objects.all()).values_list("name", flat=True)
        assert list(ordered) == ["COBOL", "Copywriting", "Счетоводство"]


def test_once_bulgarian_is_a_site_language_its_readers_get_english_where_it_lacks(client, named):
    with override_settings(LANGUAGES=[*settings.LANGUAGES, ("bg", "Bulgarian")]):
        page = _text(client.get(f"/people/{named.pk}/", HTTP_ACCEPT_LANGUAGE="bg"))
    assert 'lang="bg"' in page
    assert "Счетоводство" in page and "Bookkeeping" not in page
    assert "Copywriting" in page and "COBOL" in page


# Search --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["contabilidad", "簿記", "Bookkeeping", "agricultura", "農業"])
def test_a_coop_is_found_by_its_skills_and_sectors_in_any_of_their_languages(named, text):
    found = search_organisations(Organisation.objects.all(), text).values_list("slug", flat=True)
    assert list(found) == ["camplight"]


def test_a_name_given_later_is_found_once_saved(named, django_capture_on_commit_callbacks):
    assert not search_organisations(Organisation.objects.all(), "ilustración").exists()
    skill = Skill.objects.get(slug="copywriting")
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        skill.name = "Ilustración y redacción"  # the reader's language: Spanish
        skill.save()
    skill.refresh_from_db()
    assert (skill.name_en, skill.name_es) == ("Copywriting", "Ilustración y redacción")
    found = search_organisations(Organisation.objects.all(), "ilustración")
    assert list(found.values_list("slug", flat=True)) == ["camplight"]


# Writing names -------------------------------------------------------------------------------
def test_a_skill_added_in_spanish_has_an_english_name_too(network_admin, named):
    category = SkillCategory.objects.get(slug="administration")
    with translation.override("es"):
        skill = services.skill_save(
            actor=network_admin,
            skill=None,
            data={"name": "Auditoría social", "slug": "social-audit", "category": category},
        )
    skill.refresh_from_db()
    assert (skill.name_en, skill.name_es) == ("Auditoría social", "Auditoría social")
    with translation.override("en"):
        services.skill_save(actor=network_admin, skill=skill, data={"name": "Social audit"})
    skill.refresh_from_db()
    assert (skill.name_en, skill.name_es) == ("Social audit", "Auditoría social")


def test_the_admin_edits_a_name_per_language_english_required(client, named):
    client.force_login(UserFactory(email="root@patio.coop", is_staff=True, is_superuser=True))
    page = _text(client.get("/admin/members/skill/add/"))
    for code in vocabulary.languages():
        assert f'name="{vocabulary.column("name", code)}"' in page
    category = SkillCategory.objects.get(slug="administration")
    form = {"slug": "payroll", "category": category.pk, "synonyms": "", "esco_uri": ""}
    refused = _text(client.post("/admin/members/skill/add/", {**form, "name_ja": "給与計算"}))
    assert "This field is required." in refused and not Skill.objects.filter(slug="payroll")
    response = client.post(
        "/admin/members/skill/add/", {**form, "name_en": "Payroll", "name_ja": "給与計算"}
    )
    assert response.status_code == 302
    payroll = Skill.objects.get(slug="payroll")
    assert (payroll.name_en, payroll.name_ja, payroll.name_es) == ("Payroll", "給与計算", None)
    found = _text(client.get("/admin/members/skill/", {"q": "簿記"}))
    assert "1 result" in found and "Bookkeeping" in found


# Query counts --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "/coops/",
        "/coops/?sector=agriculture&skill=bookkeeping&q=camplight",
        "/coops/camplight/",
        "/network/",
        "person",
    ],
)
def test_a_reader_of_another_language_costs_no_more_queries(client, named, count_queries, url):
    url = f"/people/{named.pk}/" if url == "person" else url
    client.get(url)  # warm up what is loaded once per process
    counts = {}
    for language in ("en", "ja", "es"):
        cache.clear()  # each language's first reader builds the cached fragments
        with count_queries() as counter:
            _text(client.get(url, HTTP_ACCEPT_LANGUAGE=language))
        counts[language] = counter.count
    assert counts["ja"] == counts["es"] == counts["en"], counts
