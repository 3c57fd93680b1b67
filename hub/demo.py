"""The demo's knowledge hub, for `seed_demo`: ten published guides in three languages
(hub/demo_data.py), one guide waiting for Education's review, two learning paths (one suggested
to newcomers) and a guide the demo member marked done. Running it twice adds nothing. Needs the
demo directory and circles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from circles.models import Circle
from hub.demo_data import GUIDES, IN_REVIEW, MEMBER_DONE, PATHS, GuideSpec
from hub.models import Guide, GuideDone, GuideTranslation, LearningPath, PathStep, reading_minutes
from hub.search import refresh_guide_vectors
from hub.services import tags_named
from members.models import Organisation, Person

REVIEWERS = "education"


def _people(specs: tuple[GuideSpec, ...]) -> dict[str, Person]:
    """Each author named in the specs: demo accounts by email, others as the Nth person listed
    by a member co-op (fixed by id, so every run names the same)."""
    emails = {a for spec in specs for a in spec.authors if "@" in a}
    found = {
        p.user.email: p
        for p in Person.objects.filter(user__email__in=emails).select_related("user")
        if p.user is not None
    }
    listed = list(
        Person.objects.filter(organisation__status=Organisation.Status.MEMBER, user__isnull=True)
        .order_by("id")
        .only("id")[:20]
    )
    for spec in specs:
        for author in spec.authors:
            if author.startswith("person:") and listed:
                found[author] = listed[int(author.removeprefix("person:")) % len(listed)]
    return found


def _guide(spec: GuideSpec, people, circle, reviewer, *, status: str, when) -> Guide:
    original = spec.texts[spec.language]
    guide = Guide.objects.create(
        slug=spec.slug,
        title=original.title,
        summary=original.summary,
        body=original.body,
        category=spec.category,
        language=spec.language,
        reviewer_circle=circle,
        status=status,
        reading_minutes=reading_minutes(original.body),
        submitted_at=when,
        published_at=when if status == Guide.Status.PUBLISHED else None,
        reviewed_by=reviewer if status == Guide.Status.PUBLISHED else None,
    )
    authors = [people[a] for a in spec.authors if a in people]
    guide.authors.set(authors)
    guide.tags.set(tags_named(spec.tags))
    translator = authors[0]
    GuideTranslation.objects.bulk_create(
        GuideTranslation(
            guide=guide,
            language=language,
            title=text.title,
            summary=text.summary,
            text=text.body,
            source_revision=1,
            translator=translator,
        )
        for language, text in spec.texts.items()
        if language != spec.language
    )
    return guide


@transaction.atomic
def seed(*, say: Callable[[str], None] = print) -> None:
    if Guide.objects.exists():
        say("Hub: already there, nothing added.")
        return
    circle = Circle.objects.filter(slug=REVIEWERS).first()
    people = _people((*GUIDES, IN_REVIEW))
    if circle is None or not people:
        say("Hub: no Education circle or no people, nothing seeded")
        return
    reviewer = people.get("coordinator@patio.example")
    now = timezone.now()
    guides = {}
    for n, spec in enumerate(GUIDES):
        when = now - timedelta(days=3 * (len(GUIDES) - n))
        guides[spec.slug] = _guide(
            spec, people, circle, reviewer, status=Guide.Status.PUBLISHED, when=when
        )
    _guide(IN_REVIEW, people, circle, None, status=Guide.Status.IN_REVIEW, when=now)
    refresh_guide_vectors()
    for slug, (title, description, suggested, steps) in PATHS.items():
        path = LearningPath.objects.create(
            slug=slug,
            title=title,
            description=description,
            suggested_to_newcomers=suggested,
            created_by=reviewer,
        )
        PathStep.objects.bulk_create(
            PathStep(path=path, guide=guides[step], position=n) for n, step in enumerate(steps, 1)
        )
    member = people.get("member@patio.example")
    if member is not None:
        GuideDone.objects.bulk_create(
            GuideDone(person=member, guide=guides[slug]) for slug in MEMBER_DONE
        )
    translations = GuideTranslation.objects.count()
    say(
        f"Hub: {len(guides)} guides published with {translations} translations, one in review, "
        f"{len(PATHS)} learning paths."
    )
