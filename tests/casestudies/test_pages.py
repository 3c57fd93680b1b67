"""The case-study pages as people use them: the list and its search, a case study's page and
its JSON-LD, drafting one from a finished project, the form error when the permission is
missing, the sections on co-op and catalogue pages, "Hire the network" and the sitemap."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casestudies import services
from casestudies.models import CaseStudy
from intake.models import HelpRequest
from tests.casestudies.conftest import build_team
from tests.factories import OrganisationFactory, PersonFactory
from tests.linked_data import expand_checked, negotiated, page_document, values
from tests.projects.factories import TeamMembershipFactory, TeamRoleFactory

pytestmark = pytest.mark.django_db


def _bigger(coop, other_coop, entries, make_published, n: int) -> list[CaseStudy]:
    made = []
    for number in range(n):
        team = build_team(coop, other_coop, entries, name=f"More work {number}")
        for _ in range(3):
            TeamMembershipFactory(
                role=TeamRoleFactory(project=team.project),
                person=PersonFactory(organisation=OrganisationFactory()),
            )
        made.append(make_published(team))
    return made


def test_a_visitor_reads_a_published_case_study_with_its_facts(client, team, make_published):
    case_study = make_published(team)
    response = client.get(case_study.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Federation of Care Co-ops" in html
    assert team.lead.organisation.name in html
    assert 'href="/catalogue/loomio/"' in html
    assert "8 weeks" in html
    assert "<strong>met</strong>" in html  # the story's Markdown, rendered
    assert "For the project's leads" not in html  # no controls for a visitor


def test_markdown_in_the_story_is_sanitised(client, team, make_published):
    case_study = make_published(team)
    services.case_study_update(
        actor=team.lead.user,
        case_study=case_study,
        data={"story": "Hi <script>alert(1)</script> [x](javascript:alert(2))"},
    )
    html = client.get(case_study.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html


def test_the_page_carries_schema_org_json_ld(client, team, make_published):
    case_study = make_published(team)
    document = page_document(client.get(case_study.get_absolute_url()))
    top = expand_checked(document, "Article", ("headline", "contributor", "about"))
    assert len(values(top, "contributor")) == 3
    assert negotiated(client, case_study.get_absolute_url())["Content-Type"].startswith(
        "application/ld+json"
    )


def test_the_list_searches_story_software_and_coops(
    client, coop, other_coop, entries, team, make_published
):
    make_published(team)
    services.case_study_update(
        actor=team.lead.user,
        case_study=CaseStudy.objects.get(),
        data={"story": "Cooperativas de vivienda"},
    )
    for query, found in [("vivienda", 1), ("loom", 1), ("Camplight", 1), ("nothingatall", 0)]:
        response = client.get("/case-studies/", {"q": query})
        assert len(response.context["page"].object_list) == found, query


def test_a_lead_drafts_from_the_project_with_its_facts_shown_first(client, team):
    client.force_login(team.lead.user)
    listing = client.get("/case-studies/").content.decode()
    url = reverse("casestudies:new", args=[team.project.pk])
    assert url in listing  # the finished project waits for its case study
    form = client.get(url)
    html = form.content.decode()
    assert "Argentina" in html  # the countries of the team's co-ops
    assert team.worker.organisation.name in html
    assert set(form.context["form"].initial["software"]) == {team.loomio, team.decidim}
    response = client.post(url, {"title": "Deciding together", "software": [team.loomio.pk]})
    case_study = CaseStudy.objects.get()
    assert response["Location"] == reverse("casestudies:edit", args=[case_study.slug])
    assert [e.name for e in case_study.software.all()] == ["Loomio"]


def test_publishing_without_the_permission_is_a_clear_form_error(client, team):
    case_study = services.case_study_create(actor=team.lead.user, project=team.project)
    client.force_login(team.lead.user)
    response = client.post(reverse("casestudies:publish", args=[case_study.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Record the client&#x27;s permission before publishing" in html
    assert 'role="alert"' in html
    case_study.refresh_from_db()
    assert case_study.status == CaseStudy.Status.DRAFT


def test_case_studies_show_on_the_coops_and_catalogue_pages(client, team, make_published):
    case_study = make_published(team)
    coop_page = client.get(team.worker.organisation.get_absolute_url()).content.decode()
    assert case_study.get_absolute_url() in coop_page
    entry_page = client.get("/catalogue/decidim/").content.decode()
    assert case_study.get_absolute_url() in entry_page
    services.case_study_withdraw(actor=team.lead.user, case_study=case_study)
    assert case_study.get_absolute_url() not in client.get("/catalogue/decidim/").content.decode()


def test_the_sitemap_lists_published_case_studies_and_catalogue_entries(
    client, team, make_published, coop, other_coop, entries
):
    shown = make_published(team)
    draft_team = build_team(coop, other_coop, entries, name="Not yet")
    draft = services.case_study_create(actor=draft_team.lead.user, project=draft_team.project)
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-case-studies.xml" in index
    assert "/sitemap-catalogue.xml" in index
    studies = client.get("/sitemap-case-studies.xml").content.decode()
    assert shown.get_absolute_url() in studies
    assert draft.get_absolute_url() not in studies
    catalogue = client.get("/sitemap-catalogue.xml").content.decode()
    assert "/catalogue/loomio/" in catalogue
    assert "/catalogue/quiet-draft/" not in catalogue


def test_hire_the_network_shows_services_case_studies_and_the_request_form(
    client, team, make_published, coop, coop_admin
):
    from catalogue import services as catalogue_services

    catalogue_services.provider_save(
        actor=coop_admin.user,
        software=team.loomio,
        organisation=coop,
        data={"services": ["host", "train"]},
    )
    case_study = make_published(team)
    response = client.get("/hire/")
    html = response.content.decode()
    assert response.status_code == 200
    assert case_study.get_absolute_url() in html
    assert [(row["code"], row["coops"]) for row in response.context["services"]] == [
        ("host", 1),
        ("train", 1),
    ]
    assert f'action="{reverse("intake:new")}"' in html
    assert reverse("catalogue:list") in html
    assert reverse("hire") in client.get("/").content.decode()  # linked for visitors
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize("path", ["/case-studies/", "detail", "/hire/", "coop", "entry"])
def test_pages_cost_the_same_queries_at_two_sizes(
    client, coop, other_coop, entries, team, make_published, count_queries, path
):
    first = make_published(team)
    client.force_login(team.lead.user)
    urls = {
        "detail": first.get_absolute_url(),
        "coop": team.worker.organisation.get_absolute_url(),
        "entry": "/catalogue/loomio/",
    }
    url = urls.get(path, path)
    client.get(url)  # the network at a glance is counted once, then read from the cache
    with count_queries() as small:
        assert client.get(url).status_code == 200
    more = _bigger(coop, other_coop, entries, make_published, 6)
    if path == "detail":
        url = more[-1].get_absolute_url()
    client.get(url)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count, large.report()


def test_a_finished_projects_page_offers_its_lead_to_write_the_case_study_then_links_it(
    client, team, make_published
):
    project_url = team.project.get_absolute_url()
    write = reverse("casestudies:new", args=[team.project.pk])

    client.force_login(team.lead.user)
    assert write in client.get(project_url).content.decode()
    client.force_login(team.worker.user)  # worked in it, but does not lead it
    assert write not in client.get(project_url).content.decode()

    case_study = make_published(team)
    for user in (team.lead.user, team.worker.user):
        client.force_login(user)
        html = client.get(project_url).content.decode()
        assert case_study.get_absolute_url() in html and write not in html
