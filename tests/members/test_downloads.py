"""The directories as CSV: who may download, what the file holds, and what it costs.

A download is the page's own list: the same rows in the same order, with the filters and the
search the page had, contact fields only where their owner lets the reader see them, and cells
no spreadsheet would run as a formula. Members only; people downloads are audited, capped and
throttled.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from circles.models import CircleMembership
from members.models import Organisation, Person, Visibility
from members.search import refresh_search_vectors
from patio.dates import network_today
from tests import matrix
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    PersonLanguageFactory,
    PersonSkillFactory,
    SectorFactory,
    SkillFactory,
    UserFactory,
)
from tests.matrix import LOGIN

pytestmark = pytest.mark.django_db

SHOWN, ABSENT = "SHOWN", "ABSENT"
COOPS, PEOPLE = "/coops.csv", "/people.csv"


def _rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark, for Excel"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _download_link(page_html: str) -> str | None:
    found = re.search(r'<a href="([^"]*)">Download as CSV</a>', page_html)
    return found.group(1).replace("&amp;", "&") if found else None


# Who may download -------------------------------------------------------------------------------
ROLES = (
    "visitor",
    "member",
    "coop_admin",
    "coordinator",
    "network_admin",
    "no_person",  # signed in, but neither a person of the network nor a network admin
    "token_read",  # pages ignore tokens: a visitor
    "deactivated",  # an old session of a deactivated member: a visitor
)

#                      visitor member c-admin coord  n-admin no-pers tok-r  deact
MATRIX = {
    "page: co-ops csv": (LOGIN, 200, 200, 200, 200, 403, LOGIN, LOGIN),
    "page: people csv": (LOGIN, 200, 200, 200, 200, 403, LOGIN, LOGIN),
    "page: co-ops link": (ABSENT, SHOWN, SHOWN, SHOWN, SHOWN, ABSENT, ABSENT, ABSENT),
    "page: people link": (ABSENT, SHOWN, SHOWN, SHOWN, SHOWN, ABSENT, ABSENT, ABSENT),
}


@pytest.fixture
def cast(coop, member, colleague, coop_admin, network_admin, deactivated) -> matrix.Cast:
    coordinator = PersonFactory(organisation=coop, display_name="Cora Coordinator")
    CircleMembershipFactory(
        circle=CircleFactory(name="Tech", slug="tech"),
        person=coordinator,
        role=CircleMembership.Role.COORDINATOR,
    )
    colleague.profile_visibility = Person.ProfileVisibility.PUBLIC  # the page shows visitors one
    colleague.save(update_fields=["profile_visibility"])
    users = {
        "member": member.user,
        "coop_admin": coop_admin.user,
        "coordinator": coordinator.user,
        "network_admin": network_admin,
        "no_person": UserFactory(email="nobody@example.coop"),
        "deactivated": deactivated.user,
    }
    secrets = matrix.api_tokens(user=member.user, scopes={"token_read": "read"})
    return matrix.Cast(users=users, secrets=secrets)


def _run(action: str, page) -> matrix.Outcome:
    match action:
        case "page: co-ops csv":
            return matrix.outcome(page.get(COOPS))
        case "page: people csv":
            return matrix.outcome(page.get(PEOPLE))
        case "page: co-ops link" | "page: people link":
            url = "/coops/" if "co-ops" in action else "/people/"
            return SHOWN if _download_link(page.get(url).content.decode()) else ABSENT
    raise AssertionError(action)


@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(cast, action, role, expected):
    page, _api = cast.clients(role)
    audits = AuditEvent.objects.filter(action="person.download").count()

    assert _run(action, page) == expected

    # Each people download that is served leaves one audit event; nothing else leaves any.
    served = action == "page: people csv" and expected == 200
    assert AuditEvent.objects.filter(action="person.download").count() == audits + served


def test_a_visitor_is_sent_to_log_in_and_comes_back_to_the_filtered_download(client):
    response = client.get(COOPS, {"country": "AR"})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/coops.csv%3Fcountry%3DAR"


# What the file holds ----------------------------------------------------------------------------
@pytest.fixture
def directory(coop, other_coop, member, colleague, outsider):
    """Co-ops in three countries, one of them an applicant (members see it, visitors don't), and
    people with skills and languages."""
    software, education = SectorFactory(name="Software"), SectorFactory(name="Education")
    coop.sectors.set([software])
    other_coop.sectors.set([software, education])
    OrganisationFactory(name="Cooperativa Aurora", slug="aurora", country="AR")
    OrganisationFactory(
        name="Cooperativa Brisa", slug="brisa", country="AR", status=Organisation.Status.APPLICANT
    )
    OrganisationFactory(name="Kooperativa Dobro", slug="dobro", country="HR")
    django, figma = SkillFactory(name="Django"), SkillFactory(name="Figma")
    for person, skill, level in [(member, django, 3), (colleague, django, 2), (outsider, figma, 4)]:
        PersonSkillFactory(person=person, skill=skill, level=level)
    PersonLanguageFactory(person=member, language__code="es", language__name="Spanish")
    refresh_search_vectors()


def _page_ids(client, url: str, params: dict) -> list[int]:
    response = client.get(url, params)
    assert response.status_code == 200
    return list(response.context["page"])  # the page reads its rows' ids (members.cards)


COOP_FILTERS = [{}, {"country": "AR"}, {"country": ["AR", "HR"]}, {"q": "cooperativa"}]
PEOPLE_FILTERS = [{}, {"skill": "django"}, {"skill": "django", "min_level": "3"}, {"q": "ivan"}]


@pytest.mark.parametrize("params", COOP_FILTERS, ids=str)
def test_the_coop_file_holds_the_pages_rows_in_the_pages_order(login, member, directory, params):
    client = login(member.user)
    shown = _page_ids(client, "/coops/", params)

    rows = _rows(client.get(COOPS, params))

    assert [int(row["id"]) for row in rows] == shown
    assert shown, "the filter finds something"


@pytest.mark.parametrize("params", PEOPLE_FILTERS, ids=str)
def test_the_people_file_holds_the_pages_rows_in_the_pages_order(login, member, directory, params):
    client = login(member.user)
    shown = _page_ids(client, "/people/", params)

    rows = _rows(client.get(PEOPLE, params))

    assert [int(row["id"]) for row in rows] == shown
    assert shown, "the filter finds something"


def test_members_download_the_applicants_they_see_on_the_page(login, member, directory):
    rows = _rows(login(member.user).get(COOPS, {"country": "AR"}))

    assert {row["slug"]: row["status"] for row in rows} == {
        "aurora": "member",
        "brisa": "applicant",
        "facttic-sur": "member",
    }


@override_settings(SITE_URL="https://patio.example")
def test_the_columns_are_stable_names_and_the_values_codes(login, member, other_coop, directory):
    other_coop.refresh_from_db()
    response = login(member.user).get(COOPS, {"country": "AR"})
    (row,) = [row for row in _rows(response) if row["slug"] == other_coop.slug]

    assert row == {
        "id": str(other_coop.pk),
        "name": "Facttic Sur",
        "slug": "facttic-sur",
        "url": "https://patio.example/coops/facttic-sur/",
        "kind": "worker_coop",
        "status": "member",
        "country": "AR",
        "city": "Rosario",
        "founded": "2012",
        "size": "12",
        "website": "",
        "sectors": "education; software",
        "languages": "",
        "federations": "",
        "services": "",
        "short_description": other_coop.short_description,
        "joined_on": other_coop.joined_on.isoformat(),
        "updated_at_utc": other_coop.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


@override_settings(SITE_URL="https://patio.example")
def test_the_headers_stay_english_for_a_reader_in_spanish(login, member, directory):
    member.language = "es"
    member.save(update_fields=["language"])
    client = login(member.user)
    assert "Personas de la red" in client.get("/people/").content.decode()

    (row,) = [r for r in _rows(client.get(PEOPLE, {"skill": "django", "min_level": 3}))]

    assert list(row) == [
        "id",
        "display_name",
        "url",
        "organisation",
        "organisation_name",
        "country",
        "timezone",
        "participation",
        "hours_per_week",
        "available_from",
        "skills",
        "languages",
        "contact_email",
        "phone",
        "chat",
        "website",
        "updated_at_utc",
    ]
    assert row["url"] == f"https://patio.example/people/{member.pk}/"
    assert (row["skills"], row["languages"]) == ("django:3", "es:3")


def test_contact_fields_are_written_only_where_the_reader_may_see_them(
    login, member, colleague, coop_admin
):
    colleague.contact_email, colleague.contact_email_visibility = "ivan@example.coop", "members"
    colleague.phone, colleague.phone_visibility = "+359 88 555 0101", Visibility.HIDDEN
    colleague.website, colleague.website_visibility = "https://ivan.example/", Visibility.PUBLIC
    colleague.save()
    member.phone, member.phone_visibility = "+359 88 555 0202", Visibility.HIDDEN
    member.save()

    by_name = {row["display_name"]: row for row in _rows(login(member.user).get(PEOPLE))}

    ivan, mila = by_name["Ivan Colleague"], by_name["Mila Member"]
    assert (ivan["contact_email"], ivan["website"]) == (
        "ivan@example.coop",
        "https://ivan.example/",
    )
    assert ivan["phone"] == "", "a hidden phone stays hidden, even from a co-op colleague"
    assert mila["phone"] == "'+359 88 555 0202", "one's own hidden phone is one's own"
    # A co-op admin sees no more of a colleague than any member does.
    admin_view = {row["display_name"]: row for row in _rows(login(coop_admin.user).get(PEOPLE))}
    assert admin_view["Ivan Colleague"]["phone"] == ""


def test_no_cell_makes_a_spreadsheet_run_a_formula(login, member, coop):
    coop.name = '=HYPERLINK("https://evil.example","Click")'
    coop.city = "@SUM(A1:A9)"
    coop.short_description = "\t=1+1"
    coop.save()
    member.display_name = "+cmd|' /C calc'!A0"
    member.chat, member.chat_visibility = "-2+3", Visibility.MEMBERS
    member.save()
    client = login(member.user)

    (coop_row,) = _rows(client.get(COOPS, {"q": ""}))
    people = {row["id"]: row for row in _rows(client.get(PEOPLE))}

    assert coop_row["name"] == "'" + coop.name
    assert coop_row["city"] == "'@SUM(A1:A9)"
    assert coop_row["short_description"] == "'\t=1+1"
    assert people[str(member.pk)]["display_name"] == "'+cmd|' /C calc'!A0"
    assert people[str(member.pk)]["chat"] == "'-2+3"
    assert coop_row["size"] == "12", "a number stays a number"


def test_the_file_is_an_attachment_named_after_its_filters_and_day(login, member, directory):
    response = login(member.user).get(COOPS, {"country": ["AR", "HR"], "q": "Coöperativa"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = network_today().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="patio-coops-q-cooperativa-country-ar-hr-{today}.csv"'
    )


def test_the_pages_link_carries_the_filters_and_search_but_not_the_page_number(
    login, member, directory
):
    client = login(member.user)

    full = client.get("/coops/", {"country": "AR", "q": "coop", "page": "1"}).content.decode()
    fragment = client.get("/people/?skill=django", HTTP_HX_REQUEST="true").content.decode()

    assert _download_link(full) == "/coops.csv?country=AR&q=coop"
    assert _download_link(fragment) == "/people.csv?skill=django"


def test_a_list_without_rows_offers_no_download(login, member, directory):
    page = login(member.user).get("/coops/", {"country": "JP"}).content.decode()

    assert "0 co-ops found" in page
    assert _download_link(page) is None


def test_filters_that_are_not_valid_download_nothing(login, member, directory):
    response = login(member.user).get(PEOPLE, {"min_level": "3"})  # without a skill

    assert response.status_code == 400
    assert "Minimum level applies only together with Skill." in response.content.decode()
    assert not AuditEvent.objects.filter(action="person.download").exists()


def test_a_people_download_is_audited_with_its_filters_and_size(login, member, directory):
    login(member.user).get(PEOPLE, {"skill": "django"})

    event = AuditEvent.objects.get(action="person.download")
    assert event.actor == member.user
    assert event.after == {"filters": {"skill": ["django"]}, "people": 2}


def test_a_coop_download_is_not_audited(login, member, directory):
    login(member.user).get(COOPS)

    assert not AuditEvent.objects.exists()


@override_settings(DIRECTORY_DOWNLOAD_MAX_PEOPLE=2)
def test_a_people_list_beyond_the_cap_is_narrowed_before_it_downloads(login, member, directory):
    client = login(member.user)

    page = client.get("/people/").content.decode()
    refused = client.get(PEOPLE)
    narrowed = client.get(PEOPLE, {"skill": "django"})

    assert _download_link(page) is None
    assert "A download holds at most 2 people" in page
    assert refused.status_code == 400
    assert "The list holds 3 people. A download holds at most 2 people" in refused.content.decode()
    assert len(_rows(narrowed)) == 2
    assert AuditEvent.objects.filter(action="person.download").count() == 1


@override_settings(DIRECTORY_DOWNLOAD_RATE="2/hour")
def test_downloads_are_throttled_per_account_across_both_directories(
    login, member, colleague, directory
):
    client = login(member.user)
    assert client.get(COOPS).status_code == 200
    assert client.get(PEOPLE).status_code == 200

    throttled = client.get(COOPS)

    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert "You have downloaded the directory several times" in throttled.content.decode()
    assert login(colleague.user).get(COOPS).status_code == 200, "another account has its own"


# What it costs ----------------------------------------------------------------------------------
def _grow(n: int) -> None:
    sectors = [SectorFactory(name="Software"), SectorFactory(name="Education")]
    django = SkillFactory(name="Django")
    for _ in range(n):
        organisation = OrganisationFactory()
        organisation.sectors.set(sectors)
        for _ in range(2):
            person = PersonFactory(organisation=organisation)
            PersonSkillFactory(person=person, skill=django)
            PersonLanguageFactory(person=person)


def _queries_of(client, url: str, count_queries) -> tuple[int, int, str]:
    with count_queries() as counter:
        response = client.get(url)
        rows = _rows(response)
    return counter.count, len(rows), counter.report()


@pytest.mark.parametrize("url", [COOPS, f"{COOPS}?country=BG&q=cooperativa", PEOPLE])
def test_a_download_costs_the_same_queries_for_5_rows_as_for_30(login, member, url, count_queries):
    client = login(member.user)
    _grow(5)
    refresh_search_vectors()
    client.get(url)  # warm up what is loaded once per process
    small, small_rows, _ = _queries_of(client, url, count_queries)
    _grow(25)
    refresh_search_vectors()
    big, big_rows, report = _queries_of(client, url, count_queries)

    assert big_rows > small_rows >= 5
    assert big == small, f"{small} queries for {small_rows} rows, {big} for {big_rows}:\n{report}"


def test_rows_are_read_a_chunk_at_a_time(login, member, count_queries, monkeypatch):
    """At a million rows the file is read in chunks: a few queries per chunk, never per row."""
    from members import downloads

    client = login(member.user)
    _grow(10)  # 21 people with the member
    client.get(PEOPLE)  # the list's count is cached from here on
    monkeypatch.setattr(downloads, "CHUNK_SIZE", 1000)
    whole, rows, _ = _queries_of(client, PEOPLE, count_queries)
    monkeypatch.setattr(downloads, "CHUNK_SIZE", 5)
    chunked, chunked_rows, _ = _queries_of(client, PEOPLE, count_queries)

    assert rows == chunked_rows == 21
    # Two prefetches (skills, languages) per chunk: five chunks of five cost four chunks more.
    assert chunked == whole + 2 * 4
