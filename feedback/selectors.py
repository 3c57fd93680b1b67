"""Reads of feedback that the pages (and the person page's section) share."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import AnyUser
from circles.models import CircleMembership
from feedback.models import FeedbackInvite, FeedbackRequest
from members.models import Person
from members.permissions import is_member, person_of
from projects.models import Project, TeamMembership

# Places in a team that make someone a teammate: working in it now, or having worked in it.
TEAMMATE_STATUSES = (TeamMembership.Status.ACCEPTED, TeamMembership.Status.LEFT)


def team_projects(person: Person) -> QuerySet[Project]:
    """The projects whose team the person is or was in."""
    return Project.objects.filter(
        memberships__person=person, memberships__status__in=TEAMMATE_STATUSES
    ).distinct()


def askable(person: Person, *, project: Project | None = None) -> QuerySet[Person]:
    """Whom `person` may ask for feedback. About a project: the others who are or were in its
    team. At any time: anyone who is or was in a team with them, or who holds a current
    membership in a circle they are in now. Only people with an active account can answer."""
    if project is not None:
        teammates = Q(
            team_memberships__project=project, team_memberships__status__in=TEAMMATE_STATUSES
        )
        found = Person.objects.filter(teammates)
    else:
        circles = CircleMembership.objects.current().filter(person=person).values("circle_id")
        in_circle = CircleMembership.objects.current().filter(
            person=OuterRef("pk"), circle_id__in=circles
        )
        in_team = TeamMembership.objects.filter(
            person=OuterRef("pk"),
            status__in=TEAMMATE_STATUSES,
            project__in=team_projects(person).values("pk"),
        )
        found = Person.objects.filter(Exists(in_circle) | Exists(in_team))
    return (
        found.filter(user__isnull=False, user__is_active=True)
        .exclude(pk=person.pk)
        .select_related("organisation")
        .distinct()
        .order_by("display_name", "pk")
    )


def request_detail(user: AnyUser | None) -> QuerySet[FeedbackRequest]:
    """The requests the reader may open: their own, those they were asked in, and (for the
    network's members) those shared."""
    person = person_of(user)
    seen = Q(shared=True) if is_member(user) else Q(pk__in=[])
    if person is not None:
        asked = FeedbackInvite.objects.filter(request=OuterRef("pk"), respondent=person)
        seen |= Q(asker=person) | Q(Exists(asked))
    return FeedbackRequest.objects.filter(seen).select_related("asker__organisation", "project")


def _with_counts(requests: QuerySet[FeedbackRequest]) -> QuerySet[FeedbackRequest]:
    return requests.annotate(
        asked_count=Count("invites", distinct=True),
        answered_count=Count(
            "invites", filter=Q(invites__answered_at__isnull=False), distinct=True
        ),
    )


def requests_of(person: Person) -> QuerySet[FeedbackRequest]:
    """The person's own requests, newest first, with how many were asked and have answered."""
    return _with_counts(
        FeedbackRequest.objects.filter(asker=person).select_related("project")
    ).order_by("-created_at", "-id")


def shared_requests_of(person: Person) -> QuerySet[FeedbackRequest]:
    return _with_counts(
        FeedbackRequest.objects.filter(asker=person, shared=True).select_related("project")
    ).order_by("-created_at", "-id")


def waiting_for(person: Person) -> QuerySet[FeedbackInvite]:
    """What the person was asked and has not answered, while it is open, soonest to close first."""
    return (
        FeedbackInvite.objects.filter(
            respondent=person, answered_at__isnull=True, request__closes_at__gt=timezone.now()
        )
        .select_related("request__asker", "request__project")
        .order_by("request__closes_at", "pk")
    )


def given_by(person: Person) -> QuerySet[FeedbackInvite]:
    """Every request the person was asked in, answered or not, newest first."""
    return (
        FeedbackInvite.objects.filter(respondent=person)
        .select_related("request__asker", "request__project")
        .order_by("-request__created_at", "-pk")
    )


def invites_of(request: FeedbackRequest) -> QuerySet[FeedbackInvite]:
    return request.invites.select_related("respondent__organisation").order_by(
        "respondent__display_name", "pk"
    )


def received_count(person: Person) -> int:
    """How many answers the person has received, over all their requests."""
    return FeedbackInvite.objects.filter(request__asker=person, answered_at__isnull=False).count()


def unanswered(request: FeedbackRequest) -> QuerySet[FeedbackInvite]:
    return request.invites.filter(answered_at__isnull=True)


def own_requests(user: AnyUser | None) -> QuerySet[FeedbackRequest]:
    """The caller's own requests, with everyone asked (for the API)."""
    person = person_of(user)
    if person is None:
        return FeedbackRequest.objects.none()
    invites = FeedbackInvite.objects.select_related("respondent").order_by("pk")
    return FeedbackRequest.objects.filter(asker=person).prefetch_related(
        Prefetch("invites", queryset=invites)
    )
