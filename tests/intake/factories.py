"""Factories for the intake: circles that triage, and requests for help (invented names)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from circles.models import Circle, CircleMembership
from intake.models import HelpRequest


class TriageCircleFactory(DjangoModelFactory):
    class Meta:
        model = Circle
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Circle {n}")
    slug = factory.Sequence(lambda n: f"circle-{n}")
    purpose = "Finds and staffs work for the network."
    triages_help_requests = True


class CoordinatorFactory(DjangoModelFactory):
    class Meta:
        model = CircleMembership

    role = CircleMembership.Role.COORDINATOR


class HelpRequestFactory(DjangoModelFactory):
    class Meta:
        model = HelpRequest

    organisation_name = factory.Sequence(lambda n: f"Asociación Vecinal {n}")
    contact_name = "Rosa Requester"
    contact_email = factory.Sequence(lambda n: f"rosa{n}@asociacion.example")
    country = "UY"
    need = HelpRequest.Need.BUILD
    description = "We need a booking system for our community kitchen."
    budget_range = HelpRequest.Budget.FROM_5K
    timeline = HelpRequest.Timeline.SOON
    language = "es"
