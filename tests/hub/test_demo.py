"""The demo's hub: ten published guides, each in English, Spanish and French, one waiting for
Education's review by the demo coordinator, a path suggested to newcomers; idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from hub import demo
from hub.models import Guide, GuideTranslation, LearningPath
from hub.permissions import can_review
from members.models import Person

pytestmark = pytest.mark.xdist_group("hub-demo")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_ten_guides_are_published_each_in_three_languages(seeded, db):
    published = Guide.objects.filter(status=Guide.Status.PUBLISHED)
    assert published.count() == 10
    for guide in published:
        languages = {guide.language, *guide.translations.values_list("language", flat=True)}
        assert languages == {"en", "es", "fr"}, guide.slug
        assert guide.authors.exists() and guide.reading_minutes >= 1
    assert set(published.values_list("category", flat=True)) == set(Guide.Category.values)
    assert GuideTranslation.objects.count() == 20


def test_the_demo_coordinator_has_a_guide_to_review_and_the_member_a_path(seeded, db):
    coordinator = Person.objects.get(user__email="coordinator@patio.example")
    waiting = Guide.objects.get(status=Guide.Status.IN_REVIEW)
    assert can_review(coordinator.user, waiting)
    path = LearningPath.objects.get(suggested_to_newcomers=True)
    assert path.steps.count() == 5


def test_seeding_again_adds_nothing(seeded, db):
    before = (Guide.objects.count(), GuideTranslation.objects.count())
    demo.seed(say=lambda message: None)
    assert (Guide.objects.count(), GuideTranslation.objects.count()) == before
