"""The co-op directory is served from cached fragments: never stale, never shared across readers.

Writes happen inside `django_capture_on_commit_callbacks(execute=True)`: the directory version is
bumped when the write commits, as it is in production."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from members import services
from members.models import Organisation
from tests.factories import OrganisationFactory, PersonFactory, SkillFactory

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return re.findall(r'<h3><a href="/coops/[^"]+/">([^<]+)</a></h3>', response.content.decode())


def test_a_repeated_directory_page_is_served_without_queries(client, coop):
    first = client.get("/coops/?country=" + coop.country.code)
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/coops/?country=" + coop.country.code)
    assert again.status_code == 200
    assert _names(again) == _names(first) == [coop.name]
    assert len(queries) == 0


def test_an_edited_coop_shows_its_new_name_at_once(
    client, coop_admin, django_capture_on_commit_callbacks
):
    coop = coop_admin.organisation
    old_name = coop.name
    assert old_name in _names(client.get("/coops/"))
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_update(
            actor=coop_admin.user, organisation=coop, data={"name": "Renamed Co-op"}
        )
    names = _names(client.get("/coops/"))
    assert "Renamed Co-op" in names
    assert old_name not in names


def test_a_new_member_coop_appears_and_a_deleted_one_goes(
    client, network_admin, django_capture_on_commit_callbacks
):
    assert _names(client.get("/coops/")) == []
    with django_capture_on_commit_callbacks(execute=True):
        added = OrganisationFactory(name="Brand New Co-op", status="member")
    assert _names(client.get("/coops/")) == ["Brand New Co-op"]
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_delete(actor=network_admin, organisation=added)
    assert _names(client.get("/coops/")) == []


def test_a_new_skill_of_a_person_updates_the_skill_filter(
    client, member, django_capture_on_commit_callbacks
):
    skill = SkillFactory(name="Rust", slug="rust")
    url = "/coops/?skill=rust"
    assert _names(client.get(url)) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.person_skills_replace(
            actor=member.user, person=member, skills=[{"skill": skill, "level": 3, "years": 2}]
        )
    assert _names(client.get(url)) == [member.organisation.name]


def test_visitors_never_get_the_members_cached_results(client, member):
    OrganisationFactory(name="Applying Co-op", slug="applying", status="applicant")
    member_client = Client()
    member_client.force_login(member.user)
    member_page = member_client.get("/coops/?q=applying")  # fills the members' fragment
    assert "Applying Co-op" in _names(member_page)
    assert "Applying Co-op" not in _names(client.get("/coops/?q=applying"))


def test_each_language_gets_its_own_cached_page(client, coop):
    english = client.get("/coops/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = client.get("/coops/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "1 co-op found" in english
    assert "1 co-op found" not in spanish
    assert "encontrada" in spanish or "encontrado" in spanish


def test_the_bulk_seed_refreshes_the_directory(client, db):
    assert _names(client.get("/coops/?kind=worker_coop")) == []
    call_command("seed_demo", organisations=3, people=6, verbosity=0)
    expected = Organisation.objects.filter(status="member", kind="worker_coop").count()
    assert expected > 0
    assert len(_names(client.get("/coops/?kind=worker_coop"))) == expected


def test_a_person_moving_coop_moves_them_in_the_skill_filter(
    client, coop, other_coop, django_capture_on_commit_callbacks
):
    skill = SkillFactory(name="Elixir", slug="elixir")
    person = PersonFactory(organisation=coop)
    with django_capture_on_commit_callbacks(execute=True):
        person.person_skills.create(skill=skill, level=2)
    assert _names(client.get("/coops/?skill=elixir")) == [coop.name]
    with django_capture_on_commit_callbacks(execute=True):
        person.organisation = other_coop
        person.save()
    assert _names(client.get("/coops/?skill=elixir")) == [other_coop.name]


def test_a_filter_set_nobody_asked_for_reuses_the_cards_already_rendered(client, coop, other_coop):
    """Each result card is cached on its own: a new query listing the same co-ops reads their
    ids and nothing more, and shows the same cards."""
    everything = client.get("/coops/")
    with CaptureQueriesContext(connection) as queries:
        by_country = client.get("/coops/?country=" + coop.country.code)
    assert _names(by_country) == [coop.name]
    card = re.search(r'<li class="card">.*?</li>', by_country.content.decode(), re.S)
    assert card and card.group(0) in everything.content.decode()
    # the page's ids and its count, but no co-op read in full for a card, nor its sectors
    sql = [q["sql"] for q in queries.captured_queries]
    read_in_full = [s for s in sql if '"members_organisation"."short_description"' in s]
    sectors_for_cards = [s for s in sql if "members_organisation_sectors" in s]
    assert not read_in_full and not sectors_for_cards, sql


def test_a_card_shows_a_renamed_coop_at_once(
    client, coop_admin, django_capture_on_commit_callbacks
):
    coop = coop_admin.organisation
    assert coop.name in _names(client.get("/coops/?country=" + coop.country.code))
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_update(
            actor=coop_admin.user, organisation=coop, data={"name": "Renamed Again"}
        )
    # another query, whose results fragment was never cached: its card must be the new one
    assert _names(client.get("/coops/?kind=" + coop.kind)) == ["Renamed Again"]
