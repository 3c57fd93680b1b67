"""Factories for assemblies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from assemblies.models import (
    ActionItem,
    AgendaItem,
    Assembly,
    AssemblySeries,
    CircleUpdate,
    Decision,
)
from tests.circles.factories import CircleFactory


class SeriesFactory(DjangoModelFactory):
    class Meta:
        model = AssemblySeries

    title = "Monthly assembly"
    nth = 1
    weekday = 3  # Thursday
    slots = factory.LazyFunction(lambda: ["15:00"])
    starts_on = date(2026, 1, 1)


class AssemblyFactory(DjangoModelFactory):
    class Meta:
        model = Assembly

    title = factory.Sequence(lambda n: f"Assembly {n}")
    start = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
    )
    duration_minutes = 90
    link = "https://meet.example.coop/assembly"


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    assembly = factory.SubFactory(AssemblyFactory)
    kind = AgendaItem.Kind.DISCUSSION
    title = factory.Sequence(lambda n: f"Item {n}")
    order = factory.Sequence(lambda n: (n + 1) * 10)


class CircleUpdateFactory(DjangoModelFactory):
    class Meta:
        model = CircleUpdate

    assembly = factory.SubFactory(AssemblyFactory)
    circle = factory.SubFactory(CircleFactory)
    done = "Moved the servers."
    next = "Backups."


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    assembly = factory.SubFactory(AssemblyFactory)
    text = factory.Sequence(lambda n: f"We adopt proposal {n}.")
    method = Decision.Method.CONSENT
    outcome = Decision.Outcome.ADOPTED


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    assembly = factory.SubFactory(AssemblyFactory)
    description = factory.Sequence(lambda n: f"Do task {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
