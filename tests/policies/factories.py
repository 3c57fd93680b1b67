"""Factories for policies."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from policies.models import Amendment, Policy, PolicyVersion
from tests.factories import PersonFactory


class PolicyFactory(DjangoModelFactory):
    class Meta:
        model = Policy

    title = factory.Sequence(lambda n: f"Policy {n}")
    slug = factory.Sequence(lambda n: f"policy-{n}")
    category = Policy.Category.DECISION_MAKING
    visibility = Policy.Visibility.MEMBERS


class PolicyVersionFactory(DjangoModelFactory):
    class Meta:
        model = PolicyVersion

    policy = factory.SubFactory(PolicyFactory)
    number = 1
    text = "We decide by consent."
    summary = "Founding text"
    effective_date = factory.LazyFunction(timezone.localdate)


class AmendmentFactory(DjangoModelFactory):
    class Meta:
        model = Amendment

    policy = factory.SubFactory(PolicyFactory)
    title = factory.Sequence(lambda n: f"Amendment {n}")
    text = "We decide by consent, within seven days."
    rationale = "Clearer timing."
    proposer = factory.SubFactory(PersonFactory)
