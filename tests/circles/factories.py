"""Factories for circles."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from circles.models import Circle, CircleMembership, MembershipRequest
from tests.factories import PersonFactory


class CircleFactory(DjangoModelFactory):
    class Meta:
        model = Circle
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Circle {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    purpose = "Work that matters to the network."
    domain = "What the circle owns."
    accountabilities = factory.LazyFunction(lambda: ["Meet monthly", "Report to the assembly"])
    status = Circle.Status.ACTIVE
    meeting_rhythm = "Every second Tuesday"


class CircleMembershipFactory(DjangoModelFactory):
    class Meta:
        model = CircleMembership
        skip_postgeneration_save = True

    circle = factory.SubFactory(CircleFactory)
    person = factory.SubFactory(PersonFactory)
    role = CircleMembership.Role.MEMBER
    hours_per_month = 4

    @factory.post_generation
    def _participation(membership, create, extracted, **kwargs):
        """The participation rule follows the membership, as the services make it."""
        if create:
            from circles.services import participation_refresh

            participation_refresh([membership.person_id])
            membership.person.refresh_from_db(fields=["participation"])


class CoordinatorFactory(CircleMembershipFactory):
    role = CircleMembership.Role.COORDINATOR


class MembershipRequestFactory(DjangoModelFactory):
    class Meta:
        model = MembershipRequest

    circle = factory.SubFactory(CircleFactory)
    person = factory.SubFactory(PersonFactory)
    kind = MembershipRequest.Kind.JOIN
