"""Reads of job opportunities shared by the pages, the API, the feed and the notification tasks:
who may see which, who an opportunity fits and alerts, and what fits a reader."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from circles.models import Circle
from circles.permissions import coordinated_circles
from members.models import Organisation, Person, PersonLanguage, PersonSkill
from members.permissions import is_member, is_network_admin, person_of
from patio.dates import network_today
from projects.models import (
    Interest,
    Opportunity,
    OpportunityNotification,
    OpportunityRole,
    OpportunityTransition,
    Project,
    RoleSkill,
    TeamMembership,
)

if TYPE_CHECKING:
    from accounts.models import AnyUser


def opportunities_visible_to(user: AnyUser | None) -> QuerySet[Opportunity]:
    """Admins see everything; drafts only their circle's coordinators; members-only ones members."""
    queryset = Opportunity.objects.all()
    if is_network_admin(user):
        return queryset
    published = ~Q(status=Opportunity.Status.DRAFT)
    if is_member(user):
        own_circles = coordinated_circles(user).values("pk")
        return queryset.filter(published | Q(circle__in=own_circles))
    return queryset.filter(published, visibility=Opportunity.Visibility.PUBLIC)


def _roles_prefetch() -> Prefetch[str, QuerySet[OpportunityRole], str]:
    return Prefetch(
        "roles",
        queryset=OpportunityRole.objects.prefetch_related(
            Prefetch("skills", queryset=RoleSkill.objects.select_related("skill").order_by("id"))
        ),
    )


def as_listed(opportunities: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """What the API's representation of an opportunity reads (webhook events use it too)."""
    return opportunities.select_related("circle", "client_organisation").prefetch_related(
        _roles_prefetch(), "working_languages"
    )


def opportunity_list(user: AnyUser | None) -> QuerySet[Opportunity]:
    return as_listed(opportunities_visible_to(user)).order_by("-created_at", "-id")


def opportunity_detail(user: AnyUser | None) -> QuerySet[Opportunity]:
    return (
        opportunities_visible_to(user)
        .select_related("circle", "posted_by__organisation", "source_coop", "client_organisation")
        .prefetch_related(_roles_prefetch(), "working_languages")
    )


def opportunity_history(opportunity: Opportunity) -> QuerySet[OpportunityTransition]:
    return opportunity.transitions.select_related("actor__person").order_by("at", "id")


def unfilled_roles(opportunity: Opportunity) -> list[dict[str, Any]]:
    """The seats of the opportunity nobody has accepted: the team's roles once its project is
    formed, else every seat its roles ask for. [{"title", "hours_per_week"}], in role order."""
    project = Project.objects.filter(opportunity=opportunity).first()
    if project is not None:
        accepted = TeamMembership.objects.filter(
            role=OuterRef("pk"), status=TeamMembership.Status.ACCEPTED
        )
        roles = project.roles.exclude(Exists(accepted)).order_by("position", "id")
        return [{"title": r.title, "hours_per_week": r.hours_per_week} for r in roles]
    seats = []
    for role in opportunity.roles.order_by("position", "id"):
        for seat in range(role.headcount):
            title = role.title if role.headcount == 1 else f"{role.title} ({seat + 1})"
            seats.append({"title": title, "hours_per_week": role.hours_per_week})
    return seats


def interested_people(opportunity: Opportunity) -> QuerySet[Interest]:
    return (
        Interest.objects.filter(opportunity=opportunity)
        .select_related("person__organisation", "role")
        .order_by("created_at", "id")
    )


def interest_of(user: AnyUser | None, opportunity: Opportunity) -> Interest | None:
    person = person_of(user)
    if person is None:
        return None
    return Interest.objects.filter(opportunity=opportunity, person=person).first()


def my_interests(user: AnyUser | None) -> QuerySet[Interest]:
    person = person_of(user)
    if person is None:
        return Interest.objects.none()
    return (
        Interest.objects.filter(person=person)
        .select_related("opportunity__circle", "role")
        .order_by("-created_at", "-id")
    )


def circle_open_opportunities(user: AnyUser | None, circle: Circle) -> QuerySet[Opportunity]:
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
        # Someone we can write to: their active account, or, for people their co-op listed
        # without an account, the contact address the co-op gave.
        Q(user__is_active=True) | (Q(user__isnull=True) & ~Q(contact_email="")),
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


def _opportunity_choice(prefix: str = "") -> str:
    return f"{prefix}email_choices__{Person.OPPORTUNITY_EMAILS}"


def in_a_digest(prefix: str = "") -> Q:
    """People who chose a daily or weekly digest of opportunities (`prefix` reaches the person
    through a relation, such as "person__")."""
    digests = [Person.Notify.DAILY, Person.Notify.WEEKLY]
    return Q(**{f"{_opportunity_choice(prefix)}__in": digests})


def not_in_a_digest(prefix: str = "") -> Q:
    """People who get opportunities at once: they chose so, or never chose (no key: in SQL a
    missing key compares as NULL, so it is asked for on its own)."""
    return Q(**{f"{_opportunity_choice(prefix)}__isnull": True}) | ~in_a_digest(prefix)


def alert_recipients(opportunity: Opportunity) -> QuerySet[Person]:
    """Who is told about the opportunity when it opens: the people it fits, except those who
    chose never. The fan-out records exactly these, so the preview and the emails agree."""
    choice = _opportunity_choice()
    return people_fitting(opportunity).filter(
        Q(**{f"{choice}__isnull": True}) | ~Q(**{choice: Person.Notify.NEVER})
    )


def alert_preview(opportunity: Opportunity) -> dict[str, int]:
    """How many people opening the opportunity would alert now, and in their digest (daily or
    weekly: the key keeps its name for the API)."""
    counts = alert_recipients(opportunity).aggregate(
        everyone=Count("pk"), weekly=Count("pk", filter=in_a_digest())
    )
    return {"now": counts["everyone"] - counts["weekly"], "weekly": counts["weekly"]}


def alerts_of(opportunity: Opportunity) -> dict[str, int]:
    """What the fan-out did for an opened opportunity, from its notification rows and each
    person's choice: emailed now, still waiting to be emailed now, in their digest."""
    now = not_in_a_digest("person__")
    return OpportunityNotification.objects.filter(opportunity=opportunity).aggregate(
        sent=Count("pk", filter=now & Q(sent_at__isnull=False)),
        pending=Count("pk", filter=now & Q(sent_at__isnull=True)),
        weekly=Count("pk", filter=in_a_digest("person__")),
    )


def opportunity_alerts(opportunity: Opportunity) -> dict[str, int | None] | None:
    """The alert counts the opportunity page and the API show its coordinators: the preview
    while it can still be opened for the first time, what was sent once it has been. None when
    neither applies (a draft that cannot open, a cancelled one)."""
    keys = ("will_alert_now", "will_alert_in_digest", "alerted", "alerts_pending", "in_digest")
    counts: dict[str, int | None] = dict.fromkeys((*keys, "digests_sent"))
    if opportunity.opened_at is not None:
        sent = alerts_of(opportunity)
        counts.update(
            alerted=sent["sent"],
            alerts_pending=sent["pending"],
            in_digest=sent["weekly"],
        )
        return counts
    if opportunity.can_move_to(Opportunity.Status.OPEN):
        preview = alert_preview(opportunity)
        counts.update(will_alert_now=preview["now"], will_alert_in_digest=preview["weekly"])
        return counts
    return None


def opportunities_fitting(user: AnyUser | None) -> QuerySet[Opportunity]:
    """Open opportunities that fit the reader, by the rule `people_fitting` applies from the
    other side: for some role with required skills they hold every skill at its minimum level
    and have the hours; they speak a working language (when any are set); they are available
    by the start date (when set); they did not post it. One query, newest first."""
    person = person_of(user)
    if person is None:
        return Opportunity.objects.none()
    missing_skill = RoleSkill.objects.filter(role=OuterRef("pk")).exclude(
        Exists(
            PersonSkill.objects.filter(
                person=person, skill_id=OuterRef("skill_id"), level__gte=OuterRef("min_level")
            )
        )
    )
    fitting_roles = OpportunityRole.objects.filter(
        opportunity=OuterRef("pk"), hours_per_week__lte=person.hours_per_week
    ).filter(Exists(RoleSkill.objects.filter(role=OuterRef("pk"))), ~Exists(missing_skill))
    spoken = PersonLanguage.objects.filter(person=person).values("language_id")
    opportunities = (
        opportunities_visible_to(user)
        .filter(status=Opportunity.Status.OPEN)
        .filter(Exists(fitting_roles))
        .filter(
            ~Exists(
                Opportunity.working_languages.through.objects.filter(opportunity=OuterRef("pk"))
            )
            | Exists(
                Opportunity.working_languages.through.objects.filter(
                    opportunity=OuterRef("pk"), language_id__in=spoken
                )
            )
        )
        .exclude(posted_by=person)
        .select_related("circle")
    )
    if person.available_from:
        opportunities = opportunities.filter(
            Q(start_date__isnull=True) | Q(start_date__gte=person.available_from)
        )
    return opportunities.order_by("-opened_at", "-id")


def core_hours_in(
    opportunity: Opportunity, zone_name: str, on: dt.date | None = None
) -> tuple[dt.datetime, dt.datetime] | None:
    """The core hours window as (start, end) datetimes in the zone, on the given UTC day (today
    by default: the offset changes with daylight saving time). None when no window is set."""
    if opportunity.core_hours_start_utc is None or opportunity.core_hours_end_utc is None:
        return None
    day = on or network_today()
    zone = zoneinfo.ZoneInfo(zone_name)
    start = dt.datetime.combine(day, opportunity.core_hours_start_utc, tzinfo=dt.UTC)
    end = dt.datetime.combine(day, opportunity.core_hours_end_utc, tzinfo=dt.UTC)
    if end <= start:  # the window runs past midnight UTC
        end += dt.timedelta(days=1)
    return start.astimezone(zone), end.astimezone(zone)
