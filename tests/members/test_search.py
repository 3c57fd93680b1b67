"""Directory search: PostgreSQL full text and trigrams, kept fresh by the services, and the
plain fallback used on SQLite."""

from __future__ import annotations

import re

import pytest

from members import services
from members.models import Organisation, Person
from members.search import refresh_search_vectors, search_organisations, search_people
from tests.factories import (
    OrganisationFactory,
    PersonSkillFactory,
    SectorFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(coop, other_coop):
    """Three co-ops that say different things about themselves."""
    Organisation.objects.filter(pk=coop.pk).update(
        short_description="Software for social movements",
        description="We build web platforms and mobile apps.",
        services="Web development\nHosting",
    )
    Organisation.objects.filter(pk=other_coop.pk).update(
        short_description="A worker co-op in Rosario",
        description="User research and service design for public institutions.",
        services="Workshops",
    )
    accented = OrganisationFactory(
        name="Cooperativa Núñez Tecnología",
        slug="nunez",
        country="ES",
        short_description="Bicycle couriers",
        description="We deliver by bicycle in Sevilla.",
        services="",
    )
    PersonSkillFactory(
        person__organisation=other_coop,
        person__display_name="Lucía Ferreira",
        skill__name="Permaculture",
        skill__synonyms="agroecology",
    )
    refresh_search_vectors()
    return {"camplight": coop, "facttic": other_coop, "nunez": accented}


def _found(text: str) -> list[str]:
    return list(
        search_organisations(Organisation.objects.all(), text).values_list("slug", flat=True)
    )


def _people_found(text: str) -> list[str]:
    return list(search_people(Person.objects.all(), text).values_list("display_name", flat=True))


# co-ops ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("institutions", ["facttic-sur"]),  # a word of the long description
        ("movements", ["camplight"]),  # of the short description
        ("hosting", ["camplight"]),  # of the services
        ("desig", ["facttic-sur"]),  # a prefix: "desig" finds "design"
        ("service design", ["facttic-sur"]),  # every word must match
        ("permaculture", ["facttic-sur"]),  # a skill of its people
        ("agroecology", ["facttic-sur"]),  # a synonym of that skill
        ("Núñez", ["nunez"]),  # an accented name
        ("tecnología", ["nunez"]),  # in lower case
        ("nunez", ["nunez"]),  # typed without the accents
        ("tecnologia", ["nunez"]),
        ("Camplite", ["camplight"]),  # misspelt: trigram similarity
        ("Facttik", ["facttic-sur"]),
        ("bicycle sevilla", ["nunez"]),
        ("nothing-like-this", []),
    ],
)
def test_search_finds_coops(network, text, expected):
    assert _found(text) == expected


def test_a_match_on_the_name_ranks_above_a_match_elsewhere(network):
    Organisation.objects.filter(slug="nunez").update(description="Friends of Camplight.")
    refresh_search_vectors()
    assert _found("camplight") == ["camplight", "nunez"]


@pytest.mark.parametrize("text", ["", "   ", "!!! ***", "&|!():*"])
def test_a_search_without_words_filters_nothing(network, text):
    assert sorted(_found(text)) == ["camplight", "facttic-sur", "nunez"]


@pytest.mark.parametrize("text", ["design & !(", "a:* | b", "o'reilly", "c++ <-> rust", "\\"])
def test_search_operators_typed_by_people_are_just_words(client, network, text):
    response = client.get("/coops/", {"q": text})
    assert response.status_code == 200


def test_search_and_filters_combine_on_the_directory_page(client, network):
    response = client.get("/coops/", {"q": "design", "country": "AR"})
    assert re.findall(r'<h3><a href="/coops/([\w-]+)/">', response.content.decode()) == [
        "facttic-sur"
    ]
    response = client.get("/coops/", {"q": "design", "country": "BG"})
    assert "No co-op matches" in response.content.decode()


def test_the_api_searches_the_same_way(client, network):
    response = client.get("/api/v1/organisations/", {"q": "Camplite"})
    assert [row["slug"] for row in response.json()["results"]] == ["camplight"]


# people ------------------------------------------------------------------------------------------
def test_people_are_found_by_a_skill_name(network, member):
    PersonSkillFactory(person=member, skill__name="Figma")
    refresh_search_vectors()
    assert _people_found("figma") == ["Mila Member"]
    assert _people_found("permacult") == ["Lucía Ferreira"]


def test_people_are_found_without_typing_accents(network):
    assert _people_found("lucia ferreira") == ["Lucía Ferreira"]


def test_people_are_found_by_a_misspelt_name_and_by_their_coop(network, member):
    refresh_search_vectors(person_ids=[member.pk])
    assert _people_found("Mila Membr") == ["Mila Member"]
    assert "Mila Member" in _people_found("camplight")


def test_the_people_directory_searches_by_skill(login, network, member):
    page = login(member.user).get("/people/", {"q": "permaculture"}).content.decode()
    assert "Lucía Ferreira" in page
    assert "1 person found" in page


# vectors stay fresh ------------------------------------------------------------------------------
def test_a_profile_edit_refreshes_the_persons_search_vector(network, member):
    assert _people_found("beekeeping") == []
    services.person_update(actor=member.user, person=member, data={"bio": "Urban beekeeping."})
    assert _people_found("beekeeping") == ["Mila Member"]


def test_a_skills_change_refreshes_the_person_and_their_coop(network, member):
    rust = SkillFactory(name="Rustlang")
    assert (_people_found("rustlang"), _found("rustlang")) == ([], [])

    services.person_skills_replace(
        actor=member.user, person=member, skills=[{"skill": rust, "level": 3}]
    )
    assert (_people_found("rustlang"), _found("rustlang")) == (["Mila Member"], ["camplight"])

    services.person_skills_replace(actor=member.user, person=member, skills=[])
    assert (_people_found("rustlang"), _found("rustlang")) == ([], [])


def test_editing_a_coop_refreshes_its_search_vector(network, coop_admin):
    coop = Organisation.objects.get(slug="camplight")
    services.organisation_update(
        actor=coop_admin.user,
        organisation=coop,
        data={"description": "Solar panel monitoring."},
        m2m={"sectors": [SectorFactory(name="Renewable energy")]},
    )
    assert _found("solar") == ["camplight"]
    assert _found("renewable") == ["camplight"]
    assert _found("platforms") == []


def test_a_person_listed_by_their_coop_admin_is_searchable_at_once(network, coop_admin):
    services.person_create(
        actor=coop_admin.user,
        organisation=coop_admin.organisation,
        data={"display_name": "Zoltan Newcomer"},
    )
    assert _people_found("zoltan") == ["Zoltan Newcomer"]


# the SQLite fallback -----------------------------------------------------------------------------
@pytest.fixture
def fallback(settings):
    """The embedded mode's search: plain `icontains`, no vectors."""
    settings.USES_POSTGRES = False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("institutions", ["facttic-sur"]),
        ("desig", ["facttic-sur"]),
        ("hosting", ["camplight"]),
        ("permaculture", ["facttic-sur"]),
        ("Núñez", ["nunez"]),
        ("bicycle sevilla", ["nunez"]),
        ("nothing", []),
    ],
)
def test_the_fallback_finds_coops_by_plain_matching(network, fallback, text, expected):
    assert sorted(_found(text)) == expected


def test_the_fallback_finds_coops_by_sector_once_each(network, fallback):
    software = SectorFactory(name="Software")
    network["camplight"].sectors.set([software, SectorFactory(name="Software services")])
    assert _found("software") == ["camplight"]


def test_the_fallback_finds_people_by_skill_and_coop(network, member, fallback):
    PersonSkillFactory(person=member, skill__name="Figma")
    PersonSkillFactory(person=member, skill__name="Figma plugins")
    assert _people_found("figma") == ["Mila Member"]
    assert _people_found("permaculture") == ["Lucía Ferreira"]
    assert "Mila Member" in _people_found("camplight")


def test_the_fallback_does_not_touch_search_vectors(network, member, fallback):
    before = Person.objects.values_list("search_vector", flat=True).get(pk=member.pk)
    Person.objects.filter(pk=member.pk).update(bio="Urban beekeeping.")
    refresh_search_vectors()
    assert Person.objects.values_list("search_vector", flat=True).get(pk=member.pk) == before


# ranking only the first matches --------------------------------------------------------------------
def test_a_search_matching_more_than_it_ranks_says_so_and_keeps_its_pages_stable(
    client, monkeypatch, db
):
    """A common word matches more rows than a search ranks: the heading says "or more", a hint
    says how to narrow, and the same rows come back on every request."""
    from members import search

    monkeypatch.setattr(search, "RANKED_MATCHES", 4)
    monkeypatch.setattr(search, "TYPO_BELOW", 2)  # as 25 is to 300: no typo candidates here
    for number in range(7):
        OrganisationFactory(name=f"Ardoise Workers {number}", status="member")
    refresh_search_vectors()
    first = client.get("/coops/?q=ardoise").content.decode()
    assert "4 or more co-ops found" in first
    assert "Add a word or a filter to narrow the search." in first
    listed = re.findall(r"Ardoise Workers \d", first)
    assert len(listed) == 4
    for _ in range(3):
        assert (
            re.findall(r"Ardoise Workers \d", client.get("/coops/?q=ardoise").content.decode())
            == listed
        )


@pytest.mark.parametrize("walked", [3, 6, 40], ids=["few-walked", "some-walked", "all-walked"])
def test_a_common_word_ranks_the_first_matches_by_id_however_they_are_found(
    client, monkeypatch, db, walked
):
    """The candidates are the first matches by id, whether the first rows walked hold enough of
    them (a common word) or the full-text index must list them: the same co-ops either way."""
    from members import search

    monkeypatch.setattr(search, "RANKED_MATCHES", 4)
    monkeypatch.setattr(search, "TYPO_BELOW", 2)
    monkeypatch.setattr(search, "WALKED", walked)
    for number in range(12):
        # Every other co-op says the word: the first 4 matches lie within the first 8 rows.
        word = "Ardoise" if number % 2 else "Granit"
        OrganisationFactory(name=f"{word} Workers {number:02}", status="member")
    refresh_search_vectors()
    page = client.get("/coops/?q=ardoise").content.decode()
    assert "4 or more co-ops found" in page
    assert sorted(re.findall(r"Ardoise Workers \d+", page)) == [
        "Ardoise Workers 01",
        "Ardoise Workers 03",
        "Ardoise Workers 05",
        "Ardoise Workers 07",
    ]


def test_a_search_matching_fewer_than_it_ranks_counts_exactly(client, network):
    page = client.get("/coops/?q=hosting").content.decode()
    assert "1 co-op found" in page
    assert "or more" not in page
    assert "narrow the search" not in page


def test_a_typo_in_a_name_still_finds_the_coop(network):
    """Few full-text matches: names close to the text join the candidates."""
    assert _found("Cooperativa Nunes Tecnologia")[:1] == ["nunez"]
