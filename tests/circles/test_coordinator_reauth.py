"""Making someone a circle coordinator asks for the password again (accounts.reauth); adding
or editing an ordinary member does not."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from circles.models import CircleMembership
from tests.circles.conftest import LONG_AGO
from tests.circles.factories import CircleMembershipFactory

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
