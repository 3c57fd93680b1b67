"""The demo seed: founding policies with two versions each, one written in Spanish, two amendments
in a round, translations (some older than the original); idempotent."""

from __future__ import annotations

import pytest

from members.models import Person
from policies import demo
from policies.models import (
    Amendment,
    ConsentResponse,
    ConsentRound,
    Policy,
    PolicyTranslation,
    PolicyVersion,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _counts() -> tuple:
    models = (Policy, PolicyVersion, Amendment, ConsentRound, ConsentResponse, PolicyTranslation)
    return tuple(m.objects.count() for m in models)


def test_the_demo_has_four_founding_policies_with_two_versions_and_two_open_rounds(coop):
    PersonFactory(organisation=coop, user__email="member@patio.example")
    PersonFactory(organisation=coop, user__email="coordinator@patio.example")
    said = []

    demo.seed(say=said.append)

    assert Policy.objects.count() == 4
    assert all(p.versions.count() == 2 for p in Policy.objects.all())
    assert Amendment.objects.filter(status="consent").count() == 2
    assert ConsentRound.objects.filter(closed_at__isnull=True).count() == 2
    member = Person.objects.get(user__email="member@patio.example")
    # one round the demo member proposed and answered, one still waiting for them
    assert (
        ConsentRound.objects.filter(closed_at__isnull=True, responses__person=member).count() == 1
    )
    assert said and "policies" in said[0]


def test_seeding_twice_adds_nothing(coop):
    PersonFactory(organisation=coop, user__email="member@patio.example")
    demo.seed(say=lambda _m: None)
    before = _counts()

    demo.seed(say=lambda _m: None)

    assert _counts() == before


def test_the_demo_policies_are_mostly_english_one_spanish_and_several_are_translated(coop):
    PersonFactory(organisation=coop, user__email="coordinator@patio.example")

    demo.seed(say=lambda _m: None)

    originals = dict(Policy.objects.values_list("slug", "language"))
    assert sorted(originals.values()) == ["en", "en", "en", "es"]
    translations = PolicyTranslation.objects.select_related("policy", "source_version")
    assert translations.count() >= 5
    assert {t.language for t in translations} >= {"es", "fr", "pt-br", "en"}
    assert all(t.language != t.policy.language for t in translations)
    older = [t for t in translations if t.source_version.number < 2]
    assert older, "at least one translation is older than its original"
    assert all(t.text and "lorem" not in t.text.lower() for t in translations)
