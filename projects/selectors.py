"""Reads shared by the opportunity pages, the API, the feed and the notification tasks."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from circles.models import Circle
from circles.permissions import coordinated_circles
from members.models import Organisation, Person, PersonLanguage, PersonSkill
from members.permissions import is_member, is_network_admin, person_of
from projects.models import Interest, Opportunity, OpportunityRole, RoleSkill


def opportunities_visible_to(user) -> QuerySet[Opportunity]:
    """Admins see everything; drafts only their circle's coordinators; members-only ones members."""
    queryset = Opportunity.objects.all()
    if is_network_admin(user):
        return queryset
    published = ~Q(status=Opportunity.Status.DRAFT)
    if is_member(user):
        own_circles = coordinated_circles(user).values("pk")
        return queryset.filter(published | Q(circle__in=own_circles))
    return queryset.filter(published, visibility=Opportunity.Visibility.PUBLIC)


def _roles_prefetch() -> Prefetch:
    return Prefetch(
        "roles",
        queryset=OpportunityRole.objects.prefetch_related(
            Prefetch("skills", queryset=RoleSkill.objects.select_related("skill").order_by("id"))
        ),
    )


def opportunity_list(user) -> QuerySet[Opportunity]:
    return (
        opportunities_visible_to(user)
        .select_related("circle", "client_organisation")
        .prefetch_related(_roles_prefetch(), "working_languages")
        .order_by("-created_at", "-id")
    )


def opportunity_detail(user) -> QuerySet[Opportunity]:
    return (
        opportunities_visible_to(user)
        .select_related("circle", "posted_by__organisation", "source_coop", "client_organisation")
        .prefetch_related(_roles_prefetch(), "working_languages")
    )


def opportunity_history(opportunity: Opportunity):
    return opportunity.transitions.select_related("actor__person").order_by("at", "id")


def interested_people(opportunity: Opportunity) -> QuerySet[Interest]:
    return (
        Interest.objects.filter(opportunity=opportunity)
        .select_related("person__organisation", "role")
        .order_by("created_at", "id")
    )


def interest_of(user, opportunity: Opportunity) -> Interest | None:
    person = person_of(user)
    if person is None:
        return None
    return Interest.objects.filter(opportunity=opportunity, person=person).first()


def my_interests(user) -> QuerySet[Interest]:
    person = person_of(user)
    if person is None:
        return Interest.objects.none()
    return (
        Interest.objects.filter(person=person)
        .select_related("opportunity__circle", "role")
        .order_by("-created_at", "-id")
    )


def circle_open_opportunities(user, circle: Circle) -> QuerySet[Opportunity]:
    """The circle's open opportunities the reader may see (for the circle page)."""
    return (
        opportunities_visible_to(user)
        .filter(circle=circle, status=Opportunity.Status.OPEN)
        .order_by("-opened_at", "-id")
    )


def public_open_opportunities() -> QuerySet[Opportunity]:
    return (
        Opportunity.objects.filter(
            status=Opportunity.Status.OPEN, visibility=Opportunity.Visibility.PUBLIC
        )
        .select_related("circle")
        .order_by("-opened_at", "-id")
    )


def people_fitting(opportunity: Opportunity) -> QuerySet[Person]:
    """People of the network the opportunity fits.

    A person fits when, for some role, they have every required skill at its minimum level and
    enough hours a week; they speak one of the working languages (when any are set); they are
    available by the start date (when set). Roles with no required skill match nobody: telling
    the whole network about every such role would be noise. The poster is left out."""
    fits_a_role = Q()
    any_role = False
    for role in opportunity.roles.prefetch_related("skills"):
        requirements = list(role.skills.all())
        if not requirements:
            continue
        any_role = True
        fits = Q(hours_per_week__gte=role.hours_per_week)
        for requirement in requirements:
            fits &= Q(
                Exists(
                    PersonSkill.objects.filter(
                        person=OuterRef("pk"),
                        skill_id=requirement.skill_id,
                        level__gte=requirement.min_level,
                    )
                )
            )
        fits_a_role |= fits
    if not any_role:
        return Person.objects.none()
    people = Person.objects.filter(
        fits_a_role,
        user__isnull=False,
        user__is_active=True,
        organisation__status=Organisation.Status.MEMBER,
    )
    languages = list(opportunity.working_languages.values_list("pk", flat=True))
    if languages:
        people = people.filter(
            Exists(PersonLanguage.objects.filter(person=OuterRef("pk"), language_id__in=languages))
        )
    if opportunity.start_date:
        people = people.filter(
            Q(available_from__isnull=True) | Q(available_from__lte=opportunity.start_date)
        )
    if opportunity.posted_by_id:
        people = people.exclude(pk=opportunity.posted_by_id)
    return people.order_by("pk")


def core_hours_in(opportunity: Opportunity, zone_name: str, on: dt.date | None = None):
    """The core hours window as (start, end) datetimes in the zone, on the given UTC day (today
    by default: the offset changes with daylight saving time). None when no window is set."""
    if opportunity.core_hours_start_utc is None or opportunity.core_hours_end_utc is None:
        return None
    day = on or timezone.now().date()
    zone = zoneinfo.ZoneInfo(zone_name)
    start = dt.datetime.combine(day, opportunity.core_hours_start_utc, tzinfo=dt.UTC)
    end = dt.datetime.combine(day, opportunity.core_hours_end_utc, tzinfo=dt.UTC)
    if end <= start:  # the window runs past midnight UTC
        end += dt.timedelta(days=1)
    return start.astimezone(zone), end.astimezone(zone)
