"""The circles API as partner tools use it: bad input gets a problem JSON and changes nothing;
lists filter, page by cursor and cost a constant number of queries; the schema documents it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from circles.models import Circle, CircleMembership
from members.models import Person
from tests.api_helpers import assert_problem, documented_paths
from tests.circles.conftest import LONG_AGO
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import PersonFactory
from tests.matrix import reauthenticated

pytestmark = pytest.mark.django_db


def _state() -> dict:
    return {
        "circles": list(Circle.objects.order_by("pk").values()),
        "memberships": list(CircleMembership.objects.order_by("pk").values()),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture
def as_coordinator(api_client, coordinator):
    api_client.force_login(coordinator.user)
    return api_client


@pytest.fixture
def as_admin(api_client, network_admin):
    api_client.force_login(network_admin)
    return api_client


# Bad input -------------------------------------------------------------------------------------
def test_adding_an_unknown_person_is_a_validation_problem(as_coordinator, circle):
    before = _state()
    response = as_coordinator.post(
        "/api/v1/circle-memberships/",
        {"circle": circle.slug, "person": {"id": 999999}},
        format="json",
    )
    assert "person" in assert_problem(response, 400)["errors"]
    assert _state() == before


def test_adding_a_person_twice_is_a_validation_problem(as_coordinator, circle, coordinator):
    before = _state()
    response = as_coordinator.post(
        "/api/v1/circle-memberships/",
        {"circle": circle.slug, "person": {"id": coordinator.pk}},
        format="json",
    )
    assert "person" in assert_problem(response, 400)["errors"]
    assert _state() == before


def test_ending_before_the_start_is_a_validation_problem(as_coordinator, circle, member):
    membership = CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    before = _state()
    response = as_coordinator.post(
        f"/api/v1/circle-memberships/{membership.pk}/end/",
        {"end_date": "2020-01-01"},
        format="json",
    )
    assert "end_date" in assert_problem(response, 400)["errors"]
    assert _state() == before


@pytest.mark.parametrize(
    "body",
    [
        {"purpose": "x" * 2001},
        {"accountabilities": ["x" * 301]},
        {"accountabilities": [f"Duty {i}" for i in range(31)]},
        {"status": "asleep"},
        {"slug": "renamed"},  # read-only here: refused, not ignored
        {"triages_help_requests": True},  # admins only: 403 below
    ],
)
def test_bad_circle_edits_are_refused_and_change_nothing(as_coordinator, circle, body):
    before = _state()
    response = as_coordinator.patch(f"/api/v1/circles/{circle.slug}/", body, format="json")
    assert_problem(response, 403 if "triages_help_requests" in body else 400)
    assert _state() == before


def test_hours_out_of_range_and_oversized_duties_are_refused(as_coordinator, circle, member):
    for body in ({"hours_per_month": 201}, {"hours_per_month": -1}, {"duties": "x" * 1001}):
        response = as_coordinator.post(
            "/api/v1/circle-memberships/",
            {"circle": circle.slug, "person": {"id": member.pk}, **body},
            format="json",
        )
        assert_problem(response, 400)
    assert not CircleMembership.objects.filter(person=member).exists()


def test_script_tags_are_stored_as_typed_and_returned_as_data(as_coordinator, circle):
    text = "<script>alert('x')</script> & more"
    response = as_coordinator.patch(
        f"/api/v1/circles/{circle.slug}/", {"purpose": text}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["purpose"] == text
    circle.refresh_from_db()
    assert circle.purpose == text


def test_admin_creates_a_circle_with_coordinators_through_the_api(as_admin, member):
    reauthenticated(as_admin)  # appointing coordinators asks for it
    response = as_admin.post(
        "/api/v1/circles/",
        {
            "name": "Finance",
            "purpose": "Money",
            "accountabilities": ["Budget"],
            "coordinators": [{"id": member.pk}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "finance" and body["member_count"] == 1
    assert body["coordinators"][0]["person"]["organisation"]["slug"] == "camplight"
    assert Person.objects.get(pk=member.pk).participation == Person.Participation.ACTIVE


def test_changing_a_role_returns_the_new_current_membership(as_coordinator, circle, member):
    old = CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    response = as_coordinator.patch(
        f"/api/v1/circle-memberships/{old.pk}/", {"role": "facilitator"}, format="json"
    )
    body = response.json()
    assert response.status_code == 200
    assert body["id"] != old.pk and body["role"] == "facilitator" and body["is_current"]


# Lists ---------------------------------------------------------------------------------------------
def test_memberships_filter_by_circle_person_role_and_current(
    api_client, circle, other_circle, member, coordinator
):
    api_client.force_login(member.user)
    CircleMembershipFactory(
        circle=circle,
        person=member,
        start_date=LONG_AGO,
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )

    def ids(**params):
        rows = api_client.get("/api/v1/circle-memberships/", params).json()["results"]
        return {(row["circle"], row["person"]["id"]) for row in rows}

    assert ids(circle="job-opportunities") == {
        ("job-opportunities", member.pk),
        ("job-opportunities", coordinator.pk),
    }
    assert ids(person=member.pk) == {("job-opportunities", member.pk)}
    assert ids(role="coordinator", circle="finance") == {
        ("finance", other_circle.memberships.get().person_id)
    }
    assert ids(circle="job-opportunities", current="true") == {
        ("job-opportunities", coordinator.pk)
    }
    assert ids(circle="job-opportunities", current="false") == {("job-opportunities", member.pk)}


def test_visitors_get_memberships_of_public_profiles_only(api_client, circle, colleague, member):
    CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    Person.objects.filter(pk=member.pk).update(profile_visibility="public")
    rows = api_client.get("/api/v1/circle-memberships/").json()["results"]
    assert [row["person"]["display_name"] for row in rows] == ["Mila Member"]


def test_a_bad_filter_value_is_a_validation_problem(api_client, circle):
    assert_problem(api_client.get("/api/v1/circle-memberships/", {"role": "king"}), 400)
    assert_problem(api_client.get("/api/v1/circles/", {"status": "asleep"}), 400)


def _grow(n: int) -> None:
    for i in range(n):
        circle = CircleFactory(name=f"Grown {n}-{i}", slug=f"grown-{n}-{i}")
        for role in ("coordinator", "member"):
            CircleMembershipFactory(
                circle=circle,
                role=role,
                start_date=LONG_AGO,
                person=PersonFactory(profile_visibility="public"),
            )


@pytest.mark.parametrize("url", ["/api/v1/circles/", "/api/v1/circle-memberships/"])
@pytest.mark.parametrize("reader", ["visitor", "member"])
def test_api_lists_run_the_same_queries_for_few_and_many_rows(
    api_client, member, url, reader, count_queries
):
    if reader == "member":
        api_client.force_login(member.user)
    _grow(3)
    with count_queries() as small:
        assert api_client.get(url, {"page_size": 100}).status_code == 200
    _grow(20)
    with count_queries() as big:
        response = api_client.get(url, {"page_size": 100})
    assert len(response.json()["results"]) > 20
    assert big.count == small.count, big.report()


# The schema ------------------------------------------------------------------------------------------
def test_schema_documents_every_circles_endpoint(api_client):
    paths = documented_paths(
        api_client,
        "/api/v1/circles/",
        "/api/v1/circles/{slug}/",
        "/api/v1/circle-memberships/",
        "/api/v1/circle-memberships/{id}/",
        "/api/v1/circle-memberships/{id}/end/",
    )
    assert "post" in paths["/api/v1/circles/"] and "patch" in paths["/api/v1/circles/{slug}/"]
