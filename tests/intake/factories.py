"""Factories for the intake: circles that triage, and requests for help (invented names)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from intake.models import HelpRequest
from tests.circles.factories import CircleFactory


class TriageCircleFactory(CircleFactory):
    triages_help_requests = True


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
