"""The catalogue's pages as people use them: finding, filtering, comparing, reading an entry,
asking for help, moving an entry's address, and JSON-LD."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from catalogue import services
from catalogue.models import Software
from intake.models import HelpRequest
from tests.factories import OrganisationFactory
from tests.linked_data import expand_checked, negotiated, page_document, values

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(make_software, communication_function, coop, coop_admin, other_coop):
    """Three published entries and a draft; Camplight provides Civi Members in France."""
    civi = make_software("Civi Members", licence="AGPL-3.0-or-later", self_hosted=True)
    chat = make_software(
        "Team Chat",
        licence="MIT",
        replaces="Slack, Microsoft Teams",
        saas=True,
        m2m={"categories": [communication_function], "makers": [coop]},
    )
    shop = make_software("Closed Shop", licence="LicenseRef-Proprietary", saas=True)
    draft = make_software("Secret Draft", status=Software.Status.DRAFT)
    services.provider_save(
        actor=coop_admin.user,
        software=civi,
        organisation=coop,
        data={
            "services": ["host", "support"],
            "countries": ["FR"],
            "rate_min": Decimal(50),
            "rate_max": Decimal(80),
            "currency": "EUR",
        },
    )
    return {"civi": civi, "chat": chat, "shop": shop, "draft": draft}


def _names(response) -> list[str]:
    return [entry.name for entry in response.context["page"]]


def test_a_visitor_sees_published_entries_only(client, catalogue):
    response = client.get("/catalogue/")
    assert response.status_code == 200
    assert _names(response) == ["Civi Members", "Closed Shop", "Team Chat"]
    assert client.get("/catalogue/secret-draft/").status_code == 404


def test_a_member_sees_drafts_marked_as_such(client, catalogue, member):
    client.force_login(member.user)
    response = client.get("/catalogue/")
    assert "Secret Draft" in _names(response)
    assert client.get("/catalogue/secret-draft/").status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=slack", ["Team Chat"]),
        ("q=instead+of+Slack", ["Team Chat"]),
        ("q=alternative+to+microsoft+teams", ["Team Chat"]),
        ("q=civ", ["Civi Members"]),  # a prefix
        ("q=civi+memb", ["Civi Members"]),
        ("function=communication", ["Team Chat"]),
        ("licence=permissive", ["Team Chat"]),
        ("open_source=false", ["Closed Shop"]),
        ("hosting=self_hosted", ["Civi Members"]),
        ("hosting=saas", ["Closed Shop", "Team Chat"]),
        ("provider_country=FR", ["Civi Members"]),
        ("provider_country=JP", []),
        ("made_by_coop=true", ["Team Chat"]),
    ],
)
def test_search_and_filters_find_what_a_coop_asks_for(client, catalogue, query, expected):
    response = client.get(f"/catalogue/?{query}")
    assert response.status_code == 200
    assert sorted(_names(response)) == expected


def test_a_filter_it_cannot_read_is_shown_as_an_error(client, catalogue):
    response = client.get("/catalogue/?licence=shareware")
    assert response.status_code == 200
    assert response.context["filter"].errors
    assert _names(response) == []


def test_an_entry_page_shows_providers_and_asks_for_help(client, catalogue):
    response = client.get("/catalogue/civi-members/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Camplight" in page and "Who can help me with this?" in page


def test_asking_for_help_prefills_the_request_with_the_software_and_services(client, catalogue):
    response = client.get(
        "/catalogue/civi-members/help/?services=host&services=train&provider=camplight"
    )
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == "/request-help/"
    form = client.get(response["Location"]).context["form"]
    description = form.initial["description"]
    assert "Civi Members" in description
    assert "Hosting, Training" in description
    assert "Camplight" in description
    assert form.initial["need"] == "choose"
    assert parse_qs(target.query)["need"] == ["choose"]
    assert not HelpRequest.objects.exists()  # the person still sends it


def test_a_changed_slug_answers_301_to_the_new_address(client, catalogue, network_admin):
    services.software_update(
        actor=network_admin,
        software=Software.objects.get(slug="team-chat"),
        data={},
        slug="teamchat",
    )
    response = client.get("/catalogue/team-chat/")
    assert response.status_code == 301
    assert response["Location"] == "/catalogue/teamchat/"


def test_a_draft_s_former_slug_reveals_nothing_to_visitors(client, catalogue, network_admin):
    services.software_update(
        actor=network_admin, software=catalogue["draft"], data={}, slug="renamed-draft"
    )
    assert client.get("/catalogue/secret-draft/").status_code == 404


def test_compare_shows_two_to_four_entries_side_by_side(client, catalogue):
    response = client.get("/catalogue/compare/?entries=civi-members&entries=team-chat")
    assert response.status_code == 200
    assert [s.name for s in response.context["entries"]] == ["Civi Members", "Team Chat"]
    assert client.get("/catalogue/compare/?entries=civi-members").status_code == 400
    assert client.get("/catalogue/compare/").status_code == 200  # asks to choose


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_each_row_of_the_comparison_has_its_own_name_in_every_language(client, catalogue, language):
    """A reader tells the rows apart: no two row headings say the same, in any language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/catalogue/compare/?entries=civi-members&entries=team-chat")
    assert page.status_code == 200
    rows = re.findall(r'<th scope="row">(.*?)</th>', page.content.decode())
    assert len(rows) > 10
    assert len(set(rows)) == len(rows), rows


def test_compare_never_shows_a_draft_to_a_visitor(client, catalogue):
    response = client.get("/catalogue/compare/?entries=civi-members&entries=secret-draft")
    assert response.status_code == 400


def test_an_entry_is_a_software_application_in_json_ld(client, catalogue):
    page = client.get("/catalogue/civi-members/")
    document = page_document(page)
    assert negotiated(client, "/catalogue/civi-members/").json() == document
    top = expand_checked(
        document,
        "SoftwareApplication",
        required=("name", "license", "offers", "applicationCategory"),
    )
    assert values(top, "license") == [{"@id": "https://spdx.org/licenses/AGPL-3.0-or-later.html"}]
    with_maker = expand_checked(
        page_document(client.get("/catalogue/team-chat/")),
        "SoftwareApplication",
        required=("creator",),
    )
    assert with_maker


def test_a_draft_has_no_json_ld(client, catalogue, member):
    client.force_login(member.user)
    assert negotiated(client, "/catalogue/secret-draft/").status_code == 406


def test_the_json_ld_names_only_public_coops_even_for_members(
    client, catalogue, member, network_admin
):
    """Members see co-ops visitors don't; the document a member's page carries is a visitor's."""
    hidden = OrganisationFactory(name="Hidden Applicant")
    services.software_update(
        actor=network_admin, software=catalogue["civi"], data={}, m2m={"makers": [hidden]}
    )
    hidden.status = "applicant"
    hidden.save(update_fields=["status"])
    client.force_login(member.user)
    page = client.get("/catalogue/civi-members/")
    assert "Hidden Applicant" in page.content.decode()  # members read it
    assert "Hidden Applicant" not in str(page_document(page))


def test_the_publiccode_export_reads_back_as_a_valid_file(client, catalogue):
    from catalogue import publiccode

    response = client.get("/catalogue/civi-members/publiccode.yml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    document = publiccode.load(response.content)
    assert publiccode.problems(document) == []
    assert document["legal"]["license"] == "AGPL-3.0-or-later"
    assert document["name"] == "Civi Members"


@pytest.mark.parametrize(
    "path",
    [
        "/catalogue/",
        "/catalogue/civi-members/",
        "/catalogue/compare/?entries=civi-members&entries=team-chat&entries=closed-shop",
    ],
)
def test_pages_cost_the_same_queries_at_two_sizes(
    client, catalogue, make_software, coop, coop_admin, member, count_queries, path
):
    client.force_login(member.user)
    with count_queries() as small:
        assert client.get(path).status_code == 200
    for n in range(8):
        entry = make_software(f"More Members {n}", m2m={"makers": [coop]})
        services.provider_save(
            actor=coop_admin.user, software=entry, organisation=coop, data={"services": ["host"]}
        )
    for n in range(5):
        other = OrganisationFactory(name=f"Provider {n}")
        from tests.factories import PersonFactory

        admin = PersonFactory(organisation=other, is_coop_admin=True)
        services.provider_save(
            actor=admin.user,
            software=catalogue["civi"],
            organisation=other,
            data={"services": ["support"], "countries": ["FR", "ES"]},
        )
        services.use_save(
            actor=admin.user,
            software=catalogue["civi"],
            organisation=other,
            data={"use_case": "Members", "rating": 4},
        )
    with count_queries() as large:
        assert client.get(path).status_code == 200
    assert large.count == small.count, large.report()
