"""/api/v1/software/: the same entries, filters and services as the pages, problem JSON on
refusals, constant queries, and publiccode.yml import."""

from __future__ import annotations

import pytest

from catalogue.models import Software
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

VALID = """
publiccodeYmlVersion: "0.4"
name: Open Members
url: "https://git.example.coop/open-members.git"
landingURL: "https://open-members.example.coop"
softwareVersion: "2.1.0"
releaseDate: "2026-03-01"
platforms: [web]
categories: [crm, accounting]
developmentStatus: stable
softwareType: standalone/web
description:
  en:
    shortDescription: Membership management for co-ops.
    longDescription: Keeps members, shares, dues and general assemblies in one place.
    features: [Member register, Share capital]
legal:
  license: AGPL-3.0-or-later
maintenance:
  type: community
  contacts:
    - name: Ada Maintainer
      email: ada@example.coop
localisation:
  localisationReady: true
  availableLanguages: [en, es]
"""


@pytest.fixture
def accounting(db):
    from catalogue.models import FunctionCategory

    return FunctionCategory.objects.create(name="Accounting", slug="accounting")


def test_a_visitor_lists_published_entries_with_their_derived_licence(api_client, make_software):
    make_software("Civi Members", licence="GPL-2.0+")
    make_software("Draft", status=Software.Status.DRAFT)
    response = api_client.get("/api/v1/software/")
    assert response.status_code == 200
    [entry] = response.json()["results"]
    assert entry["licence"] == "GPL-2.0-or-later"
    assert (entry["is_open_source"], entry["licence_family"]) == (True, "copyleft")


def test_the_api_filters_as_the_page_does(api_client, make_software):
    make_software("Team Chat", replaces="Slack")
    make_software("Civi Members")
    names = [
        e["name"]
        for e in api_client.get("/api/v1/software/?search=instead of slack").json()["results"]
    ]
    assert names == ["Team Chat"]
    assert api_client.get("/api/v1/software/?licence=nonsense").status_code == 400


def test_a_member_adds_an_entry_and_an_invalid_licence_is_a_problem(
    api_client, member, membership_function
):
    api_client.force_login(member.user)
    body = {
        "name": "Tiny CRM",
        "summary": "Members.",
        "licence": "Foo-1.0",
        "categories": ["membership"],
    }
    refused = api_client.post("/api/v1/software/", body, format="json")
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    assert "licence" in refused.json()["errors"]
    created = api_client.post("/api/v1/software/", {**body, "licence": "MIT"}, format="json")
    assert created.status_code == 201, created.json()
    assert created["Location"].endswith("/api/v1/software/tiny-crm/")
    assert created.json()["status"] == "draft"


def test_a_coop_admin_lists_their_coop_as_provider_and_user(api_client, make_software, coop_admin):
    make_software("Civi Members")
    api_client.force_login(coop_admin.user)
    provider = api_client.post(
        "/api/v1/software/civi-members/providers/",
        {
            "organisation": {"slug": "camplight"},
            "services": ["host"],
            "countries": ["FR"],
            "rate_min": "40.00",
            "rate_max": "60.00",
            "currency": "EUR",
        },
        format="json",
    )
    assert provider.status_code == 200, provider.json()
    assert provider.json()["providers"][0]["countries"] == ["FR"]
    use = api_client.post(
        "/api/v1/software/civi-members/uses/",
        {"organisation": {"slug": "camplight"}, "use_case": "Our members", "rating": 5},
        format="json",
    )
    assert use.json()["uses"][0]["rating"] == 5
    removed = api_client.post(
        "/api/v1/software/civi-members/providers/remove/",
        {"organisation": {"slug": "camplight"}},
        format="json",
    )
    assert removed.json()["providers"] == []


def test_importing_a_publiccode_yml_makes_a_draft(
    api_client, member, membership_function, accounting
):
    membership_function.slug = "membership"
    api_client.force_login(member.user)
    response = api_client.post("/api/v1/software/import/", {"publiccode": VALID}, format="json")
    assert response.status_code == 201, response.json()
    entry = response.json()
    assert (entry["name"], entry["status"], entry["licence"]) == (
        "Open Members",
        "draft",
        "AGPL-3.0-or-later",
    )
    assert sorted(entry["categories"]) == ["accounting", "membership"]
    assert entry["maturity"] == "stable" and entry["last_version"] == "2.1.0"
    assert entry["features"] == ["Member register", "Share capital"]
    assert entry["managed"] is False  # nobody provides hosting yet
    again = api_client.post("/api/v1/software/import/", {"publiccode": VALID}, format="json")
    assert again.status_code == 400  # the same source code is in the catalogue already


def test_a_publiccode_yml_missing_required_keys_names_each_of_them(api_client, member):
    api_client.force_login(member.user)
    text = "publiccodeYmlVersion: '0.4'\nname: Half\nlegal: {}\n"
    response = api_client.post("/api/v1/software/import/", {"publiccode": text}, format="json")
    assert response.status_code == 400
    problems = " ".join(response.json()["errors"]["publiccode"])
    for key in (
        "url",
        "platforms",
        "developmentStatus",
        "softwareType",
        "description",
        "legal.license",
        "maintenance.type",
        "localisation.availableLanguages",
    ):
        assert key in problems
    assert not Software.objects.exists()


@pytest.mark.parametrize(
    "text", ["name: [unclosed", "- a list\n- not a mapping", "!!python/object:os.system ls"]
)
def test_yaml_that_is_not_a_publiccode_file_is_a_problem_not_a_500(api_client, member, text):
    api_client.force_login(member.user)
    response = api_client.post("/api/v1/software/import/", {"publiccode": text}, format="json")
    assert response.status_code == 400


def test_an_address_off_this_machine_is_refused_here(api_client, member):
    api_client.force_login(member.user)
    for url in ("https://example.com/publiccode.yml", "http://169.254.169.254/latest"):
        response = api_client.post("/api/v1/software/import/", {"url": url}, format="json")
        assert response.status_code == 400
        assert "url" in response.json()["errors"]


def test_importing_from_an_address_fetches_the_file(api_client, member, live_server_file):
    api_client.force_login(member.user)
    url = live_server_file(VALID.encode())
    response = api_client.post("/api/v1/software/import/", {"url": url}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["publiccode_url"] == url


def test_a_file_too_large_is_refused_while_it_is_read(api_client, member, live_server_file):
    api_client.force_login(member.user)
    url = live_server_file(b"name: x\n" + b"#" * (300 * 1024))
    response = api_client.post("/api/v1/software/import/", {"url": url}, format="json")
    assert response.status_code == 400
    assert "KiB" in " ".join(response.json()["errors"]["url"])


def test_the_list_costs_the_same_queries_at_two_sizes(
    api_client, make_software, coop, count_queries
):
    make_software("First", m2m={"makers": [coop]})
    with count_queries() as small:
        assert api_client.get("/api/v1/software/").status_code == 200
    for n in range(6):
        entry = make_software(f"Entry {n}", m2m={"makers": [coop]})
        other = OrganisationFactory(name=f"Provider {n}")
        admin = PersonFactory(organisation=other, is_coop_admin=True)
        from catalogue import services

        services.provider_save(
            actor=admin.user, software=entry, organisation=other, data={"services": ["host"]}
        )
        services.use_save(
            actor=admin.user,
            software=entry,
            organisation=other,
            data={"use_case": "x", "rating": 3},
        )
    with count_queries() as large:
        assert len(api_client.get("/api/v1/software/").json()["results"]) == 7
    assert large.count == small.count, large.report()


def test_a_partner_fetches_the_entries_to_compare_by_address_and_drafts_stay_hidden(
    api_client, make_software
):
    make_software("Loomio")
    make_software("Decidim")
    make_software("Civi Members")
    make_software("Secret Draft", status=Software.Status.DRAFT)
    response = api_client.get("/api/v1/software/?slug=loomio,decidim,secret-draft,nowhere")
    assert response.status_code == 200
    assert sorted(e["slug"] for e in response.json()["results"]) == ["decidim", "loomio"]
    everything = api_client.get("/api/v1/software/").json()["results"]
    assert len(everything) == 3


def test_a_maintainer_names_themselves_through_the_api_and_withdraws(
    api_client, make_software, other_coop
):
    """What the entry page's button does, a partner tool does for its person."""
    import yaml

    person = PersonFactory(
        organisation=other_coop, display_name="Mae Maintainer", profile_visibility="public"
    )
    entry = make_software("Loomio")
    api_client.force_login(person.user)
    named = api_client.post(f"/api/v1/software/{entry.slug}/contacts/", {}, format="json")
    assert named.status_code == 200
    assert [c["name"] for c in named.json()["contacts"]] == ["Mae Maintainer"]
    exported = yaml.safe_load(api_client.get(f"/api/v1/software/{entry.slug}/publiccode/").content)
    assert exported["maintenance"]["type"] == "community"
    assert [c["name"] for c in exported["maintenance"]["contacts"]] == ["Mae Maintainer"]

    again = api_client.post(f"/api/v1/software/{entry.slug}/contacts/", {}, format="json")
    assert again.status_code == 200 and len(again.json()["contacts"]) == 1  # once, on retry

    gone = api_client.post(f"/api/v1/software/{entry.slug}/contacts/remove/", {}, format="json")
    assert gone.status_code == 200 and gone.json()["contacts"] == []
    twice = api_client.post(f"/api/v1/software/{entry.slug}/contacts/remove/", {}, format="json")
    assert twice.status_code == 404
    assert twice["Content-Type"].startswith("application/problem+json")
