"""The circle pages as people use them: the tree, a circle's page, join/leave requests and the
coordinators' forms. Pages work without JavaScript (plain forms and redirects)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from circles.models import Circle, CircleMembership, MembershipRequest
from members.models import Person
from tests.circles.conftest import LONG_AGO
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import PersonFactory
from tests.matrix import reauthenticated

pytestmark = pytest.mark.django_db
Role = CircleMembership.Role


def test_overview_nests_sub_circles_with_counts_and_coordinators_with_their_coop(
    client, circle, colleague
):
    colleague.profile_visibility = Person.ProfileVisibility.PUBLIC
    colleague.save()
    CircleFactory(name="Tech infrastructure", slug="tech", parent=circle)

    html = client.get(reverse("circles:list")).content.decode()

    outer = html.index("Job opportunities")
    inner = html.index("Tech infrastructure")
    assert outer < inner
    assert html.count('<ul class="circle-tree">') == 2  # the sub-circle sits in a nested list
    assert "1 member" in html and "0 members" in html
    assert "Ivan Colleague" in html and "Camplight" in html


def test_visitors_see_only_members_with_public_profiles_members_see_all(
    client, login, circle, colleague, member
):
    CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    member.profile_visibility = Person.ProfileVisibility.PUBLIC
    member.save()
    # colleague (the coordinator) keeps a members-only profile

    public = client.get(circle.get_absolute_url()).content.decode()
    assert "Mila Member" in public and "Ivan Colleague" not in public

    inside = login(member.user).get(circle.get_absolute_url()).content.decode()
    assert "Mila Member" in inside and "Ivan Colleague" in inside


def test_circle_page_shows_purpose_accountabilities_and_members_by_role_with_coop(
    login, circle, member, outsider
):
    CircleMembershipFactory(
        circle=circle,
        person=outsider,
        role=Role.SECRETARY,
        start_date=LONG_AGO,
        hours_per_month=6,
        duties="Keeps the minutes",
    )

    html = login(member.user).get(circle.get_absolute_url()).content.decode()

    assert "Work that matters to the network." in html
    assert "<li>Meet monthly</li>" in html
    assert html.index("Coordinator") < html.index("Secretary")
    assert "Omar Outsider" in html and "Facttic Sur" in html
    assert "6 hours a month" in html and "Keeps the minutes" in html


def test_script_tags_people_typed_are_shown_escaped(login, circle, coordinator, member):
    circle.purpose = "<script>alert('purpose')</script>"
    circle.accountabilities = ["<script>alert('duty')</script>"]
    circle.save()
    CircleMembershipFactory(
        circle=circle, person=member, start_date=LONG_AGO, duties="<script>alert(1)</script>"
    )

    html = login(member.user).get(circle.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;purpose&#x27;)" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_recent_updates_tell_who_joined_left_and_changed_role(login, circle, member, outsider):
    today = timezone.localdate()
    CircleMembershipFactory(
        circle=circle,
        person=member,
        role=Role.MEMBER,
        start_date=LONG_AGO,
        end_date=today - datetime.timedelta(days=6),
    )
    CircleMembershipFactory(
        circle=circle,
        person=member,
        role=Role.FACILITATOR,
        start_date=today - datetime.timedelta(days=5),
    )
    CircleMembershipFactory(
        circle=circle,
        person=outsider,
        start_date=LONG_AGO,
        end_date=today - datetime.timedelta(days=2),
    )

    html = login(member.user).get(circle.get_absolute_url()).content.decode()

    updates = html[html.index("Recent updates") :]
    assert "changed role from Member to Facilitator" in updates
    assert "left (was Member)" in updates
    assert "joined as Coordinator" in updates


def test_member_asks_to_join_and_the_coordinator_approves_from_the_circle_page(
    client, circle, coordinator, member
):
    client.force_login(member.user)
    page = client.get(circle.get_absolute_url()).content.decode()
    assert "Ask to join this circle" in page

    response = client.post(
        reverse("circles:request", args=[circle.slug]), {"kind": "join", "message": "Hi!"}
    )
    assert response.status_code == 302
    page = client.get(circle.get_absolute_url()).content.decode()
    assert "You asked to join this circle" in page and "Ask to join this circle" not in page

    client.force_login(coordinator.user)
    page = client.get(circle.get_absolute_url()).content.decode()
    assert "Pending requests" in page and "Mila Member" in page
    request = MembershipRequest.objects.get(person=member)
    client.post(
        reverse("circles:request_decide", args=[circle.slug, request.pk]), {"decision": "approve"}
    )

    assert CircleMembership.objects.current().filter(circle=circle, person=member).exists()


def test_coordinator_edits_accountabilities_one_per_line(login, circle, coordinator):
    client = login(coordinator.user)
    data = {
        "name": circle.name,
        "purpose": circle.purpose,
        "domain": circle.domain,
        "accountabilities": "Answer requests\r\n\r\nPost opportunities\r\n",
        "meeting_rhythm": "Mondays",
        "status": "active",
    }

    response = client.post(reverse("circles:edit", args=[circle.slug]), data)

    assert response.status_code == 302
    circle.refresh_from_db()
    assert circle.accountabilities == ["Answer requests", "Post opportunities"]
    assert circle.meeting_rhythm == "Mondays"


def test_edit_form_with_an_oversized_purpose_shows_an_error_and_saves_nothing(
    login, circle, coordinator
):
    client = login(coordinator.user)
    data = {"name": circle.name, "purpose": "x" * 2001, "status": "active", "meeting_rhythm": "X"}

    response = client.post(reverse("circles:edit", args=[circle.slug]), data)

    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    circle.refresh_from_db()
    assert circle.meeting_rhythm == "Every second Tuesday"


def test_adding_an_unknown_person_or_a_current_member_shows_a_form_error(
    login, circle, coordinator
):
    client = login(coordinator.user)
    url = reverse("circles:members", args=[circle.slug])

    unknown = client.post(
        url,
        {
            "add-person": "999999",
            "add-role": "member",
            "add-hours_per_month": "0",
            "add-start_date": "2025-01-01",
        },
    )
    again = client.post(
        url,
        {
            "add-person": str(coordinator.pk),
            "add-role": "member",
            "add-hours_per_month": "0",
            "add-start_date": "2025-01-01",
        },
    )

    assert unknown.status_code == 200 and "Select a valid choice" in unknown.content.decode()
    assert again.status_code == 200 and "already a member" in again.content.decode()
    assert CircleMembership.objects.filter(circle=circle).count() == 1


def test_coordinator_changes_a_role_and_ends_a_membership_from_the_members_page(
    login, circle, coordinator, member
):
    membership = CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    client = login(coordinator.user)

    client.post(
        reverse("circles:membership_change", args=[circle.slug, membership.pk]),
        {
            f"m{membership.pk}-role": "secretary",
            f"m{membership.pk}-hours_per_month": "5",
            f"m{membership.pk}-duties": "Minutes",
        },
    )
    current = CircleMembership.objects.current().get(circle=circle, person=member)
    assert (current.role, current.hours_per_month) == (Role.SECRETARY, 5)

    client.post(reverse("circles:membership_end", args=[circle.slug, current.pk]))
    assert not CircleMembership.objects.current().filter(circle=circle, person=member).exists()
    assert CircleMembership.objects.filter(circle=circle, person=member).count() == 1


def test_ending_with_a_last_day_before_the_start_shows_an_error_and_changes_nothing(
    login, circle, coordinator, member
):
    membership = CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    client = login(coordinator.user)
    response = client.post(
        reverse("circles:membership_end", args=[circle.slug, membership.pk]),
        {f"e{membership.pk}-end_date": "2020-01-01"},
        follow=True,
    )
    assert "cannot end before it starts" in response.content.decode()
    membership.refresh_from_db()
    assert membership.end_date is None


def test_network_admin_creates_a_circle_and_appoints_its_first_coordinator(
    login, network_admin, member
):
    client = reauthenticated(login(network_admin))  # appointing coordinators asks for it
    data = {
        "name": "Communication",
        "purpose": "Tell our story.",
        "status": "active",
        "accountabilities": "Newsletter",
        "coordinators": [str(member.pk)],
    }

    response = client.post(reverse("circles:new"), data)

    circle = Circle.objects.get(name="Communication")
    assert response["Location"] == circle.get_absolute_url()
    assert CircleMembership.objects.get(circle=circle).person == member


def test_unknown_circle_is_a_404(client):
    assert client.get(reverse("circles:circle", args=["nope"])).status_code == 404


# Query counts: constant whatever the number of circles and members ------------------------------
def _grow(n: int, coop) -> None:
    parent = CircleFactory(name=f"Root {n}", slug=f"root-{n}")
    for i in range(n):
        child = CircleFactory(name=f"Circle {n}-{i}", slug=f"circle-{n}-{i}", parent=parent)
        for role in (Role.COORDINATOR, Role.MEMBER):
            person = PersonFactory(organisation=coop, profile_visibility="public")
            CircleMembershipFactory(circle=child, person=person, role=role, start_date=LONG_AGO)
            CircleMembershipFactory(circle=parent, person=person, role=role, start_date=LONG_AGO)


@pytest.mark.parametrize("reader", ["visitor", "member"])
def test_overview_runs_the_same_queries_for_few_and_many_circles(
    client, coop, member, reader, count_queries
):
    if reader == "member":
        client.force_login(member.user)
    _grow(2, coop)
    with count_queries() as small:
        assert client.get(reverse("circles:list")).status_code == 200
    _grow(12, coop)
    with count_queries() as big:
        assert client.get(reverse("circles:list")).status_code == 200
    assert big.count == small.count, big.report()


@pytest.mark.parametrize("reader", ["visitor", "member", "coordinator"])
def test_circle_page_runs_the_same_queries_for_few_and_many_members(
    client, circle, coordinator, coop, member, reader, count_queries, django_assert_max_num_queries
):
    if reader != "visitor":
        client.force_login((coordinator if reader == "coordinator" else member).user)

    def grow(n):
        for _ in range(n):
            person = PersonFactory(organisation=coop, profile_visibility="public")
            CircleMembershipFactory(circle=circle, person=person, start_date=LONG_AGO)
            CircleMembershipFactory(
                circle=circle,
                person=PersonFactory(organisation=coop),
                start_date=LONG_AGO,
                end_date=LONG_AGO + datetime.timedelta(days=30),
            )
            MembershipRequest.objects.create(circle=circle, person=PersonFactory(), kind="join")

    grow(2)
    with count_queries() as small:
        assert client.get(circle.get_absolute_url()).status_code == 200
    grow(15)
    with django_assert_max_num_queries(small.count), count_queries() as big:
        assert client.get(circle.get_absolute_url()).status_code == 200
    assert big.count == small.count, big.report()


def test_members_page_runs_the_same_queries_for_few_and_many_members(
    login, circle, coordinator, coop, count_queries
):
    client = login(coordinator.user)
    url = reverse("circles:members", args=[circle.slug])
    with count_queries() as small:
        assert client.get(url).status_code == 200
    for _ in range(10):
        CircleMembershipFactory(circle=circle, person=PersonFactory(organisation=coop))
    with count_queries() as big:
        assert client.get(url).status_code == 200
    assert big.count == small.count, big.report()
