"""The opportunities API: posting, editing, moving, interest; bad input as problem JSON."""

from __future__ import annotations

import pytest

from projects.models import Interest, Opportunity, OpportunityRole
from tests.projects.factories import OpportunityFactory, RoleFactory, RoleSkillFactory

pytestmark = pytest.mark.django_db
S = Opportunity.Status
URL = "/api/v1/opportunities/"


@pytest.fixture
def as_coordinator(api_client, coordinator):
    api_client.force_login(coordinator.user)
    return api_client


def _body(circle, **changes):
    return {
        "circle": circle.slug,
        "title": "Portal for Vivienda Sur",
        "description": "Sign-in and documents.",
        "budget": "24000.00",
        "currency": "EUR",
        "working_languages": ["en"],
        "start_date": "2030-03-01",
        "deadline": "2030-09-30",
        "core_hours_start_utc": "13:00",
        "core_hours_end_utc": "17:00",
        "roles": [
            {
                "title": "Backend developer",
                "headcount": 2,
                "hours_per_week": 20,
                "skills": [{"skill": "django", "min_level": 3, "weight": 5}],
            },
            {"title": "Designer", "hours_per_week": 8, "skills": [{"skill": "figma"}]},
        ],
        **changes,
    }


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def test_a_coordinator_posts_a_draft_and_opens_it(
    as_coordinator, circle, django_skill, figma, english
):
    created = as_coordinator.post(URL, _body(circle), format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "draft"
    assert data["budget"] == "24000.00"
    assert data["working_languages"] == ["en"]
    assert [r["title"] for r in data["roles"]] == ["Backend developer", "Designer"]
    assert data["roles"][0]["skills"] == [
        {"skill": "django", "skill_name": "Django", "min_level": 3, "weight": 5}
    ]

    opened = as_coordinator.post(
        f"{URL}{data['id']}/transition/", {"to_status": "open"}, format="json"
    )
    assert opened.status_code == 200
    assert opened.json()["status"] == "open"
    assert opened.json()["opened_at"] is not None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"budget": "-1"}, "budget"),
        ({"budget": "10000000.01"}, "budget"),
        ({"budget": "1e400"}, "budget"),
        ({"currency": "XXX"}, "currency"),
        ({"deadline": "2030-01-01"}, "deadline"),
        ({"description": "x" * 20_001}, "description"),
        (
            {"roles": [{"title": "Dev", "hours_per_week": 10, "skills": [{"skill": "cobol"}]}]},
            "roles",
        ),
        (
            {
                "roles": [
                    {
                        "title": "Dev",
                        "hours_per_week": 10,
                        "skills": [{"skill": "django"}, {"skill": "django"}],
                    }
                ]
            },
            "roles",
        ),
        ({"roles": [{"title": "Dev", "hours_per_week": 0}]}, "roles"),
        ({"status": "open"}, "status"),
        ({"working_languages": ["xx"]}, "working_languages"),
    ],
    ids=[
        "negative budget",
        "absurd budget",
        "overflowing budget",
        "unknown currency",
        "deadline before start",
        "oversized description",
        "unknown skill",
        "skill twice",
        "no hours",
        "status is not writable",
        "unknown language",
    ],
)
def test_bad_input_is_problem_json_naming_the_field_and_nothing_is_saved(
    as_coordinator, circle, django_skill, figma, english, changes, field
):
    problem = _problem(as_coordinator.post(URL, _body(circle, **changes), format="json"), 400)
    assert field in problem["errors"]
    assert not Opportunity.objects.exists()
    assert not OpportunityRole.objects.exists()


def test_a_script_tag_is_stored_as_typed_and_returned_as_data(
    as_coordinator, circle, django_skill, figma, english
):
    text = "<script>alert(1)</script>"
    response = as_coordinator.post(URL, _body(circle, description=text), format="json")
    assert response.json()["description"] == text


def test_patching_roles_replaces_them(as_coordinator, circle, django_skill):
    opportunity = OpportunityFactory(circle=circle, status=S.DRAFT)
    RoleFactory(opportunity=opportunity, title="Old")
    response = as_coordinator.patch(
        f"{URL}{opportunity.pk}/",
        {"roles": [{"title": "New", "hours_per_week": 4, "skills": [{"skill": "django"}]}]},
        format="json",
    )
    assert response.status_code == 200
    assert [r["title"] for r in response.json()["roles"]] == ["New"]


def test_patching_the_circle_is_refused(as_coordinator, circle, other_circle):
    opportunity = OpportunityFactory(circle=circle, status=S.DRAFT)
    problem = _problem(
        as_coordinator.patch(f"{URL}{opportunity.pk}/", {"circle": other_circle.slug}), 400
    )
    assert "circle" in problem["errors"]


@pytest.mark.parametrize(
    ("src", "dst"),
    [("draft", "staffed"), ("closed", "open"), ("cancelled", "draft"), ("open", "nonsense")],
)
def test_an_illegal_transition_is_problem_json(as_coordinator, circle, src, dst):
    opportunity = OpportunityFactory(circle=circle, status=src)
    RoleFactory(opportunity=opportunity)
    problem = _problem(
        as_coordinator.post(f"{URL}{opportunity.pk}/transition/", {"to_status": dst}), 400
    )
    assert "to_status" in problem["errors"]
    opportunity.refresh_from_db()
    assert opportunity.status == src


def test_interest_is_expressed_once_and_withdrawn(api_client, member, circle):
    opportunity = OpportunityFactory(circle=circle)
    role = RoleFactory(opportunity=opportunity)
    api_client.force_login(member.user)
    url = f"{URL}{opportunity.pk}/interest/"

    created = api_client.post(url, {"role": role.pk, "note": "Hi"}, format="json")
    assert created.status_code == 201
    assert created.json()["role"] == role.pk
    duplicate = _problem(api_client.post(url, {}, format="json"), 400)
    assert "already" in str(duplicate["errors"])
    assert Interest.objects.count() == 1

    assert api_client.delete(url).status_code == 204
    assert not Interest.objects.exists()
    _problem(api_client.delete(url), 400)


def test_interest_in_a_role_of_another_opportunity_is_refused(api_client, member, circle):
    opportunity = OpportunityFactory(circle=circle)
    other_role = RoleFactory(opportunity=OpportunityFactory(circle=circle))
    api_client.force_login(member.user)
    problem = _problem(
        api_client.post(f"{URL}{opportunity.pk}/interest/", {"role": other_role.pk}), 400
    )
    assert "role" in problem["errors"]


def test_the_list_filters_like_the_page(api_client, member, circle, django_skill):
    wanted = OpportunityFactory(circle=circle, title="Wanted")
    RoleSkillFactory(role=RoleFactory(opportunity=wanted), skill=django_skill)
    OpportunityFactory(circle=circle, title="Other")
    api_client.force_login(member.user)
    response = api_client.get(f"{URL}?skill=django")
    assert [o["title"] for o in response.json()["results"]] == ["Wanted"]
    assert _problem(api_client.get(f"{URL}?budget_min=-1"), 400)


def test_the_openapi_schema_documents_every_opportunity_endpoint(api_client, db):
    schema = api_client.get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/opportunities/"])
    assert {"get", "patch"} <= set(paths["/api/v1/opportunities/{id}/"])
    assert "post" in paths["/api/v1/opportunities/{id}/transition/"]
    assert {"post", "delete"} <= set(paths["/api/v1/opportunities/{id}/interest/"])
    for operations in (paths[p] for p in paths if p.startswith("/api/v1/opportunities/")):
        for operation in operations.values():
            assert operation.get("summary"), operation.get("operationId")
