"""Every form whose several choices became checkboxes saves what its checkboxes send, and refuses
what it refused as a `<select multiple>` (issue 17). Each test opens the real page, ticks boxes
the page offers, sends the form as a browser would and reads the row back."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from circles.models import Circle, CircleMembership
from intake.models import HelpRequest
from members.models import Language, Organisation
from projects.models import Opportunity, TeamRole
from tests.circles.factories import CircleFactory, CoordinatorFactory
from tests.factories import LanguageFactory, PersonFactory, SectorFactory
from tests.html_forms import (
    as_dict,
    checkboxes,
    multiple_selects,
    replaced,
    submission,
    ticked,
)
from tests.matrix import reauthenticated
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "999999"


@pytest.fixture
def languages(db) -> dict[str, Language]:
    """More languages than a short list holds, and more than a request may name (20)."""
    names = [
        "Basque",
        "Bulgarian",
        "Catalan",
        "Dutch",
        "English",
        "French",
        "Galician",
        "German",
        "Greek",
        "Irish",
        "Italian",
        "Japanese",
        "Polish",
        "Portuguese",
        "Quechua",
        "Romanian",
        "Russian",
        "Serbian",
        "Spanish",
        "Swahili",
        "Turkish",
        "Welsh",
    ]
    return {name: LanguageFactory(name=name, code=f"q{n:02}") for n, name in enumerate(names)}


def _boxes_by_label(html: str, name: str) -> dict[str, str]:
    return {box.label: box.value for box in checkboxes(html, name)}


def _page(client, url: str, field: str) -> tuple[str, dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert multiple_selects(html) == []
    return html, _boxes_by_label(html, field)


def test_a_coop_saves_the_languages_and_sectors_ticked_and_refuses_an_unknown_one(
    login, coop_admin, coop, languages
):
    SectorFactory(name="Publishing", slug="publishing")
    SectorFactory(name="Consulting", slug="consulting")
    client = login(coop_admin.user)
    url = reverse("members:organisation_edit", args=[coop.slug])
    html, offered = _page(client, url, "languages")
    assert len(offered) == len(languages)  # every language, a long list
    sectors = _boxes_by_label(html, "sectors")
    sent = submission(html, having="languages")
    sent = ticked(sent, "languages", [offered["Welsh"], offered["Basque"]])
    sent = ticked(sent, "sectors", [sectors["Publishing"]])

    assert client.post(url, as_dict(sent)).status_code == 302

    coop.refresh_from_db()
    assert sorted(str(lang) for lang in coop.languages.all()) == ["Basque", "Welsh"]
    assert [sector.name for sector in coop.sectors.all()] == ["Publishing"]
    # The page shows what is saved: sent again as it stands, it changes nothing.
    again = client.get(url).content.decode()
    ticks = [box.label for box in checkboxes(again, "languages") if box.checked]
    assert ticks == ["Basque", "Welsh"]

    refused = client.post(url, as_dict(ticked(sent, "languages", [UNKNOWN])))
    assert refused.status_code == 200
    assert "languages" in refused.context["form"].errors
    assert coop.languages.count() == 2


def test_a_request_for_help_saves_its_languages_and_still_refuses_more_than_twenty(
    client, settings, languages
):
    settings.HELP_REQUEST_MIN_SECONDS = 0
    html, offered = _page(client, reverse("intake:new"), "preferred_languages")
    assert len(offered) == len(languages)
    typed = replaced(
        submission(html, having="preferred_languages"),
        organisation_name="Olla Popular Cerro",
        contact_name="Rosa Acosta",
        contact_email="rosa@olla.example",
        country="UY",
        description="A booking system for our community kitchen.",
        budget_range="5k-20k",
        timeline="soon",
    )
    typed = [*typed, ("need", "build")]

    refused = client.post(
        reverse("intake:new"), as_dict(ticked(typed, "preferred_languages", [*offered.values()]))
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["preferred_languages"] == ["Choose at most 20 languages."]
    assert not HelpRequest.objects.exists()

    chosen = [offered["Spanish"], offered["Quechua"]]
    response = client.post(
        reverse("intake:new"), as_dict(ticked(typed, "preferred_languages", chosen))
    )

    assert response.status_code == 302
    saved = HelpRequest.objects.get()
    assert sorted(lang.name for lang in saved.preferred_languages.all()) == ["Quechua", "Spanish"]


@pytest.fixture
def coordinator(coop):
    circle = CircleFactory(name="Job opportunities", slug="job-opportunities")
    person = PersonFactory(
        organisation=coop, display_name="Cora Coordinator", user__email="cora@camplight.coop"
    )
    CoordinatorFactory(circle=circle, person=person)
    return person


def test_an_opportunity_saves_its_working_languages_and_refuses_an_unknown_one(
    login, coordinator, languages
):
    client = login(coordinator.user)
    url = reverse("projects:opportunity_new")
    html, offered = _page(client, url, "working_languages")
    typed = replaced(
        submission(html, having="working_languages"),
        title="Member portal",
        description="Sign-in and documents.",
        **{"roles-0-title": "Backend developer", "roles-0-hours_per_week": "20"},
    )

    refused = client.post(url, as_dict(ticked(typed, "working_languages", [UNKNOWN])))
    assert refused.status_code == 200
    assert "working_languages" in refused.context["form"].errors
    assert not Opportunity.objects.exists()

    chosen = [offered["English"], offered["Spanish"]]
    response = client.post(url, as_dict(ticked(typed, "working_languages", chosen)))

    opportunity = Opportunity.objects.get()
    assert response["Location"] == opportunity.get_absolute_url()
    assert sorted(str(lang) for lang in opportunity.working_languages.all()) == [
        "English",
        "Spanish",
    ]


def test_a_team_role_saves_its_languages(login, coordinator, languages):
    project = ProjectFactory(circle=Circle.objects.get(slug="job-opportunities"))
    client = login(coordinator.user)
    url = reverse("projects:project_roles", args=[project.pk])
    html, offered = _page(client, url, "new-languages")
    typed = replaced(
        submission(html, having="new-languages"),
        **{"new-title": "Designer", "new-hours_per_week": "10"},
    )

    response = client.post(url, as_dict(ticked(typed, "new-languages", [offered["Portuguese"]])))

    assert response.status_code == 302
    role = TeamRole.objects.get(project=project)
    assert [str(lang) for lang in role.languages.all()] == ["Portuguese"]


def test_a_new_circle_appoints_the_people_ticked(login, network_admin, coop, member):
    others = [PersonFactory(organisation=coop, display_name=f"Person {n:02}") for n in range(9)]
    client = reauthenticated(login(network_admin))
    url = reverse("circles:new")
    html, offered = _page(client, url, "coordinators")
    assert len(offered) == 1 + len(others)  # a long list: it can be filtered
    typed = replaced(
        submission(html, having="coordinators"), name="Communication", purpose="Tell our story."
    )
    chosen = [offered["Mila Member (Camplight)"], offered["Person 03 (Camplight)"]]

    response = client.post(url, as_dict(ticked(typed, "coordinators", chosen)))

    circle = Circle.objects.get(name="Communication")
    assert response["Location"] == circle.get_absolute_url()
    appointed = CircleMembership.objects.filter(circle=circle).values_list(
        "person__display_name", flat=True
    )
    assert sorted(appointed) == ["Mila Member", "Person 03"]


def test_the_coop_directory_answers_the_same_query_the_same_way(client, coop, other_coop):
    """The filters' checkboxes send the repeated keys the select sent; the results follow."""
    page = client.get("/coops/?country=BG&country=AR&kind=worker_coop").content.decode()
    assert [box.value for box in checkboxes(page, "country") if box.checked] == ["AR", "BG"]
    sent = submission(page, having="country")
    assert [value for name, value in sent if name == "country"] == ["AR", "BG"]
    assert ("kind", "worker_coop") in sent
    expected = sorted(
        Organisation.objects.filter(
            country__in=["AR", "BG"], kind="worker_coop", status=Organisation.Status.MEMBER
        ).values_list("name", flat=True)
    )
    assert expected

    again = client.get("/coops/", as_dict(sent)).content.decode()

    found = re.search(r"(\d+) co-ops? found", again)
    assert found and int(found[1]) == len(expected)
    assert all(name in again for name in expected)
