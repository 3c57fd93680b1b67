"""Reads shared by the policy pages and the API, scoped to what the reader may see."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet

from circles.permissions import coordinated_circles
from members.models import Person
from members.permissions import is_member, person_of
from patio.dates import network_today
from policies import permissions, services
from policies.models import (
    Amendment,
    AmendmentComment,
    ConsentResponse,
    ConsentRound,
    Policy,
    PolicyTranslation,
    PolicyVersion,
)

if TYPE_CHECKING:
    from accounts.models import AnyUser


def visible_policies(user: AnyUser | None) -> QuerySet[Policy]:
    """Public policies for everyone, all of them for members."""
    policies = Policy.objects.all()
    if not is_member(user):
        policies = policies.filter(visibility=Policy.Visibility.PUBLIC)
    return policies


def with_versions(policies: QuerySet[Policy]) -> QuerySet[Policy]:
    """Policies as the API serves them: with their versions, newest first, and their
    translations (webhook events read them the same way)."""
    return policies.select_related("circle").prefetch_related(
        Prefetch("versions", queryset=PolicyVersion.objects.order_by("-number")),
        Prefetch("translations", queryset=translations_of()),
    )


def policy_index(user: AnyUser | None) -> QuerySet[Policy]:
    """With each policy's current version number and the languages it can be read in (the
    translations' titles, never their texts)."""
    current = PolicyVersion.objects.filter(policy=OuterRef("pk")).order_by("-number")
    return (
        visible_policies(user)
        .select_related("circle")
        .annotate(
            current_number=Max("versions__number"),
            current_version_id=current.values("pk")[:1],
            open_amendments=Count(
                "amendments", filter=Q(amendments__status__in=Amendment.OPEN), distinct=True
            ),
        )
        .prefetch_related(
            Prefetch(
                "translations",
                queryset=PolicyTranslation.objects.only(
                    "pk", "policy_id", "language", "title", "source_version_id"
                ).order_by("language"),
            )
        )
        .order_by("category", "title", "id")
    )


def translations_of(*, with_translator: bool = False) -> QuerySet[PolicyTranslation]:
    """A policy's translations with the version each was made from (and who made it, for the
    readers who may see that)."""
    related = ["source_version", "translator"] if with_translator else ["source_version"]
    return PolicyTranslation.objects.select_related(*related).order_by("language")


def _versions() -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.select_related(
        "decision__assembly", "consent_round", "amendment__proposer"
    ).order_by("-number")


def policy_detail(user: AnyUser | None) -> QuerySet[Policy]:
    return (
        visible_policies(user)
        .select_related("circle")
        .prefetch_related(
            Prefetch("versions", queryset=_versions()),
            Prefetch(
                "translations",
                queryset=translations_of(with_translator=permissions.can_see_translators(user)),
            ),
        )
    )


def open_amendments(policy: Policy) -> QuerySet[Amendment]:
    return policy.amendments.filter(status__in=Amendment.OPEN).select_related("proposer")


def visible_amendments(user: AnyUser | None) -> QuerySet[Amendment]:
    """Amendments are for members (the policy's visibility does not open the reworking)."""
    if not is_member(user):
        return Amendment.objects.none()
    return Amendment.objects.select_related("policy", "proposer", "base_version")


def amendment_list(user: AnyUser | None) -> QuerySet[Amendment]:
    return visible_amendments(user).order_by("-id")


def amendment_detail(user: AnyUser | None) -> QuerySet[Amendment]:
    responses = ConsentResponse.objects.select_related("person").order_by("created_at", "id")
    return visible_amendments(user).prefetch_related(
        Prefetch(
            "comments", queryset=AmendmentComment.objects.select_related("author").order_by("id")
        ),
        Prefetch(
            "rounds",
            queryset=ConsentRound.objects.order_by("-number").prefetch_related(
                Prefetch("responses", queryset=responses)
            ),
        ),
        "transitions__actor",
    )


def rounds_to_answer(person: Person | None) -> QuerySet[ConsentRound]:
    """Open consent rounds this person (an active member: they answer rounds) has not answered,
    the soonest to close first."""
    if person is None or person.participation != person.Participation.ACTIVE:
        return ConsentRound.objects.none()
    answered = ConsentResponse.objects.filter(round=OuterRef("pk"), person=person)
    return (
        ConsentRound.objects.filter(
            closed_at__isnull=True, amendment__status=Amendment.Status.CONSENT
        )
        .exclude(Exists(answered))
        .select_related("amendment__policy")
        .order_by("closes_at", "id")
    )


def waiting_for(user: AnyUser | None, today: date | None = None) -> dict[str, Any]:
    """What waits for this person: rounds to answer, their objections and amendments, and the
    policies their circles own that are due for review."""
    person = person_of(user)
    if person is None:
        return {"to_answer": [], "mine": [], "objections": [], "reviews": []}
    today = today or network_today()
    open_objections = ConsentResponse.objects.filter(
        round=OuterRef("pk"), answer=ConsentResponse.Answer.OBJECTION, resolution=""
    )
    rounds = ConsentRound.objects.filter(
        closed_at__isnull=True, amendment__status=Amendment.Status.CONSENT
    ).select_related("amendment__policy")
    to_answer = list(rounds_to_answer(person))
    mine = list(
        Amendment.objects.filter(proposer=person, status__in=Amendment.OPEN)
        .select_related("policy")
        .order_by("-id")
    )
    objections = list(
        rounds.filter(amendment__proposer=person).filter(Exists(open_objections)).order_by("id")
    )
    reviews = list(
        Policy.objects.filter(
            circle__in=coordinated_circles(user),
            review_date__lte=today + services.review_lead(),
        ).order_by("review_date")
    )
    return {"to_answer": to_answer, "mine": mine, "objections": objections, "reviews": reviews}
