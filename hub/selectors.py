"""Reads shared by the hub's pages and the API, scoped to what the reader may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone, translation

from circles.models import CircleMembership
from hub.models import Guide, GuideDone, GuideTranslation, LearningPath, PathStep
from members.models import Person
from members.permissions import is_network_admin, person_of
from patio.translations import Reading, reading

if TYPE_CHECKING:
    from accounts.models import AnyUser

PUBLISHED = Guide.Status.PUBLISHED
# Whose account is younger than this is a new member, who is suggested a learning path.
NEWCOMER_DAYS = 90


def _authored_by(person: Person) -> Exists:
    return Exists(
        Guide.authors.through.objects.filter(guide_id=OuterRef("pk"), person_id=person.pk)
    )


def _reviewing_circles(person: Person) -> QuerySet[CircleMembership, Any]:
    return CircleMembership.objects.current().filter(person=person).values("circle_id")


def guide_reading(
    guide: Guide, *, requested: str | None = None, text: str = ""
) -> Reading[GuideTranslation]:
    """The guide's text to show: the language asked for, else a translation into the reader's
    own language, else the original (whose text is `text`: a list never reads it).
    Translations are prefetched by the selectors."""
    return reading(
        original_language=guide.language,
        original_title=guide.title,
        original_text=text,
        translations=list(guide.translations.all()),
        requested=requested,
        preferred=translation.get_language(),
        is_outdated=lambda made: made.is_older_than(guide),
    )


def guides_visible_to(user: AnyUser | None) -> QuerySet[Guide]:
    """Published guides for everyone; a draft for its authors; a guide in review for its
    authors and the members of its reviewing circle; every guide for network admins."""
    if is_network_admin(user):
        return Guide.objects.all()
    person = person_of(user)
    if person is None:
        return Guide.objects.filter(status=PUBLISHED)
    return Guide.objects.filter(
        Q(status=PUBLISHED)
        | _authored_by(person)
        | Q(status=Guide.Status.IN_REVIEW, reviewer_circle__in=_reviewing_circles(person))
    )


def _authors() -> Prefetch[str, QuerySet[Person], str]:
    return Prefetch(
        "authors",
        queryset=Person.objects.select_related("organisation").order_by("display_name", "id"),
    )


def translation_titles() -> QuerySet[GuideTranslation]:
    """Translations as a list shows them: their titles and summaries, never their texts."""
    return GuideTranslation.objects.defer("text").order_by("language")


def with_cards(guides: QuerySet[Guide]) -> QuerySet[Guide]:
    """What a guide's card shows: authors and their co-ops, tags, the languages and titles of
    its translations. A constant number of queries whatever the number of guides."""
    return (
        guides.select_related("reviewer_circle")
        .defer("body", "search_vector")
        .prefetch_related(_authors(), "tags", Prefetch("translations", translation_titles()))
    )


def guide_list(user: AnyUser | None) -> QuerySet[Guide]:
    """The hub's list: published guides, newest first (the API lists every guide the caller
    may see, through `guide_api_list`)."""
    return with_cards(guides_visible_to(user).filter(status=PUBLISHED)).order_by(
        "-published_at", "-id"
    )


def with_everything(guides: QuerySet[Guide]) -> QuerySet[Guide]:
    """Guides with all a page or the API shows of them: authors and their co-ops, tags, and
    every translation with its translator."""
    return (
        guides.select_related("reviewer_circle", "reviewed_by")
        .defer("search_vector")
        .prefetch_related(
            _authors(),
            "tags",
            Prefetch(
                "translations",
                GuideTranslation.objects.select_related("translator").order_by("language"),
            ),
        )
    )


def guide_api_list(user: AnyUser | None) -> QuerySet[Guide]:
    """Every guide the caller may see, whatever its status."""
    return with_everything(guides_visible_to(user))


def guide_detail(user: AnyUser | None) -> QuerySet[Guide]:
    """One guide with everything its page shows."""
    return with_everything(guides_visible_to(user))


def my_unpublished(user: AnyUser | None) -> QuerySet[Guide]:
    """The reader's own drafts and guides in review."""
    person = person_of(user)
    if person is None:
        return Guide.objects.none()
    return with_cards(
        Guide.objects.filter(_authored_by(person)).exclude(status=PUBLISHED)
    ).order_by("-updated_at", "-id")


def waiting_review(user: AnyUser | None) -> QuerySet[Guide]:
    """Guides in review by a circle the reader is in, that they did not write (every guide in
    review for a network admin)."""
    in_review = Guide.objects.filter(status=Guide.Status.IN_REVIEW)
    if not is_network_admin(user):
        person = person_of(user)
        if person is None:
            return Guide.objects.none()
        in_review = in_review.filter(reviewer_circle__in=_reviewing_circles(person)).exclude(
            _authored_by(person)
        )
    return with_cards(in_review).order_by("submitted_at", "id")


def done_guide_ids(user: AnyUser | None, guides: list[Guide] | None = None) -> set[int]:
    """The ids of the guides the reader marked done (among `guides`, when given)."""
    person = person_of(user)
    if person is None:
        return set()
    done = GuideDone.objects.filter(person=person)
    if guides is not None:
        done = done.filter(guide__in=[g.pk for g in guides])
    return set(done.values_list("guide_id", flat=True))


# Learning paths -------------------------------------------------------------------------------
def path_list(user: AnyUser | None) -> QuerySet[LearningPath]:
    """Every path, with its steps' guides as the reader may see them (visitors: published)."""
    visible = guides_visible_to(user).filter(status=PUBLISHED)
    steps = PathStep.objects.filter(guide__in=visible).order_by("position")
    return LearningPath.objects.prefetch_related(
        Prefetch("steps", queryset=steps.select_related("guide"), to_attr="visible_steps")
    ).order_by("-suggested_to_newcomers", "title", "id")


def path_detail(user: AnyUser | None) -> QuerySet[LearningPath]:
    visible = with_cards(guides_visible_to(user).filter(status=PUBLISHED))
    steps = PathStep.objects.filter(guide__in=visible.values("pk")).order_by("position")
    return LearningPath.objects.prefetch_related(
        Prefetch(
            "steps",
            queryset=steps.prefetch_related(Prefetch("guide", queryset=visible)),
            to_attr="visible_steps",
        )
    )


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.done >= self.total


def progress(path: LearningPath, done_ids: set[int]) -> Progress:
    steps = path.visible_steps  # type: ignore[attr-defined]
    return Progress(done=sum(1 for s in steps if s.guide_id in done_ids), total=len(steps))


def is_newcomer(user: AnyUser | None) -> bool:
    """Joined in the last NEWCOMER_DAYS: the home page suggests them a learning path."""
    if person_of(user) is None or user is None or isinstance(user, AnonymousUser):
        return False
    days = getattr(settings, "HUB_NEWCOMER_DAYS", NEWCOMER_DAYS)
    return user.date_joined >= timezone.now() - timedelta(days=days)


def suggested_path(user: AnyUser | None) -> LearningPath | None:
    return path_list(user).filter(suggested_to_newcomers=True).first()
