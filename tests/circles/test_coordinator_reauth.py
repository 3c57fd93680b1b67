"""Granting a guarding role in a circle asks for the password again (accounts.reauth): making
someone a coordinator, or giving them any place in the finance circle (every member of it is a
finance approver), on the pages and through the API alike. Adding or editing an ordinary member
of another circle does not. An API token cannot grant those roles at all."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from circles.models import CircleMembership, MembershipRequest
from tests.api_helpers import assert_problem
from tests.circles.conftest import LONG_AGO
from tests.circles.factories import CircleMembershipFactory
from tests.matrix import api_tokens, reauthenticated

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
REAUTH = "/accounts/reauthenticate/"


def _add(role: str, person) -> dict[str, str]:
    return {
        "add-person": str(person.pk),
        "add-role": role,
        "add-hours_per_month": "0",
        "add-start_date": "2025-01-01",
    }


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_adding_a_coordinator_asks_for_the_password(circle, coordinator, member):
    client = _signed_in(coordinator.user)
    url = reverse("circles:members", args=[circle.slug])

    response = client.post(url, _add("coordinator", member))

    assert response.status_code == 302 and response["Location"].startswith(REAUTH)
    assert not CircleMembership.objects.filter(person=member).exists()
    client.post(response["Location"], {"password": PASSWORD})
    assert CircleMembership.objects.get(person=member).role == "coordinator"


def test_adding_a_member_does_not_ask(circle, coordinator, member):
    client = _signed_in(coordinator.user)
    response = client.post(reverse("circles:members", args=[circle.slug]), _add("member", member))
    assert response.status_code == 302 and not response["Location"].startswith(REAUTH)
    assert CircleMembership.objects.get(person=member).role == "member"


def test_making_a_member_coordinator_asks_for_the_password(circle, coordinator, member):
    membership = CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    client = _signed_in(coordinator.user)
    url = reverse("circles:membership_change", args=[circle.slug, membership.pk])
    data = {f"m{membership.pk}-role": "coordinator", f"m{membership.pk}-hours_per_month": "0"}

    response = client.post(url, data)

    assert response.status_code == 302 and response["Location"].startswith(REAUTH)
    assert CircleMembership.objects.current().get(person=member).role == "member"
    client.post(response["Location"], {"password": PASSWORD})
    assert CircleMembership.objects.current().get(person=member).role == "coordinator"


def test_adding_a_member_to_the_finance_circle_asks_for_the_password(
    other_circle, outsider, member
):
    client = _signed_in(outsider.user)
    url = reverse("circles:members", args=[other_circle.slug])

    response = client.post(url, _add("member", member))

    assert response.status_code == 302 and response["Location"].startswith(REAUTH)
    assert not CircleMembership.objects.filter(person=member).exists()
    client.post(response["Location"], {"password": PASSWORD})
    assert CircleMembership.objects.get(person=member, circle=other_circle).role == "member"


def test_approving_a_request_to_join_the_finance_circle_asks_for_the_password(
    other_circle, outsider, member
):
    join = MembershipRequest.objects.create(circle=other_circle, person=member, kind="join")
    client = _signed_in(outsider.user)
    url = reverse("circles:request_decide", args=[other_circle.slug, join.pk])

    declined_freely = client.post(url, {"decision": "decline"})
    assert not declined_freely["Location"].startswith(REAUTH)

    join = MembershipRequest.objects.create(circle=other_circle, person=member, kind="join")
    url = reverse("circles:request_decide", args=[other_circle.slug, join.pk])
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302 and response["Location"].startswith(REAUTH)
    assert not CircleMembership.objects.filter(person=member).exists()
    client.post(response["Location"], {"password": PASSWORD})
    assert CircleMembership.objects.current().filter(person=member, circle=other_circle).exists()


def test_approving_a_request_to_join_another_circle_does_not_ask(circle, coordinator, member):
    join = MembershipRequest.objects.create(circle=circle, person=member, kind="join")
    client = _signed_in(coordinator.user)
    url = reverse("circles:request_decide", args=[circle.slug, join.pk])
    response = client.post(url, {"decision": "approve"})
    assert not response["Location"].startswith(REAUTH)
    assert CircleMembership.objects.current().filter(person=member, circle=circle).exists()


# Through the API ---------------------------------------------------------------------------------
MEMBERSHIPS = "/api/v1/circle-memberships/"


def _session_api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, data: dict):
    return client.post(url, data, content_type="application/json")


def test_the_api_asks_a_session_to_reauthenticate_before_it_adds_a_finance_member(
    other_circle, outsider, member
):
    client = _session_api(outsider.user)
    data = {"circle": other_circle.slug, "person": {"id": member.pk}}

    stale = _post(client, MEMBERSHIPS, data)

    assert assert_problem(stale, 403)["type"].endswith("/reauthentication-required")
    assert not CircleMembership.objects.filter(person=member).exists()
    reauthenticated(client)
    assert _post(client, MEMBERSHIPS, data).status_code == 201
    assert CircleMembership.objects.get(person=member).circle == other_circle


def test_the_api_asks_a_session_to_reauthenticate_before_it_makes_a_coordinator(
    circle, coordinator, member
):
    membership = CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    client = _session_api(coordinator.user)
    url = f"{MEMBERSHIPS}{membership.pk}/"

    hours = client.patch(url, {"hours_per_month": 5}, content_type="application/json")
    assert hours.status_code == 200, "editing hours grants nothing"
    stale = client.patch(url, {"role": "coordinator"}, content_type="application/json")
    assert assert_problem(stale, 403)["type"].endswith("/reauthentication-required")
    assert CircleMembership.objects.current().get(person=member).role == "member"

    reauthenticated(client)
    fresh = client.patch(url, {"role": "coordinator"}, content_type="application/json")
    assert fresh.status_code == 200, fresh.content
    assert CircleMembership.objects.current().get(person=member).role == "coordinator"


@pytest.mark.parametrize("grant", ["coordinator", "finance member"])
def test_a_write_token_cannot_grant_a_guarding_role(
    grant, circle, other_circle, coordinator, outsider, member
):
    holder = coordinator if grant == "coordinator" else outsider
    secret = api_tokens(user=holder.user)["token_write"]
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    target = circle if grant == "coordinator" else other_circle
    role = "coordinator" if grant == "coordinator" else "member"

    response = _post(
        client, MEMBERSHIPS, {"circle": target.slug, "person": {"id": member.pk}, "role": role}
    )

    assert assert_problem(response, 403)["type"].endswith("/session-required")
    assert not CircleMembership.objects.filter(person=member).exists()


def test_a_write_token_still_adds_an_ordinary_member(circle, coordinator, member):
    secret = api_tokens(user=coordinator.user)["token_write"]
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    response = _post(client, MEMBERSHIPS, {"circle": circle.slug, "person": {"id": member.pk}})
    assert response.status_code == 201, response.content
