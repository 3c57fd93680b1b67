"""Reads shared by the opportunity pages, the API, the feed and the notification tasks."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from circles.models import Circle
from circles.permissions import coordinated_circles
from members.models import Organisation, Person, PersonLanguage, PersonSkill
from members.permissions import is_member, is_network_admin, person_of
from patio.dates import network_today
from projects import matching
from projects.models import (
    Interest,
    MatchRun,
    Opportunity,
    OpportunityNotification,
    OpportunityRole,
    Project,
    RoleSkill,
    TeamMembership,
    TeamRole,
    TeamRoleSkill,
)


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


def unfilled_roles(opportunity: Opportunity) -> list[dict]:
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


def alert_recipients(opportunity: Opportunity) -> QuerySet[Person]:
    """Who is told about the opportunity when it opens: the people it fits, except those who
    chose never. The fan-out records exactly these, so the preview and the emails agree."""
    return people_fitting(opportunity).exclude(opportunity_notifications=Person.Notify.NEVER)


def alert_preview(opportunity: Opportunity) -> dict[str, int]:
    """How many people opening the opportunity would alert now, and in the weekly digest."""
    notify = Person.Notify
    return alert_recipients(opportunity).aggregate(
        now=Count("pk", filter=Q(opportunity_notifications=notify.IMMEDIATELY)),
        weekly=Count("pk", filter=Q(opportunity_notifications=notify.WEEKLY)),
    )


def alerts_of(opportunity: Opportunity) -> dict[str, int]:
    """What the fan-out did for an opened opportunity, from its notification rows: emailed now,
    still waiting to be emailed now, in the weekly digest (and how many digests went out)."""
    notify = Person.Notify
    return OpportunityNotification.objects.filter(opportunity=opportunity).aggregate(
        sent=Count("pk", filter=Q(channel=notify.IMMEDIATELY, sent_at__isnull=False)),
        pending=Count("pk", filter=Q(channel=notify.IMMEDIATELY, sent_at__isnull=True)),
        weekly=Count("pk", filter=Q(channel=notify.WEEKLY)),
        weekly_sent=Count("pk", filter=Q(channel=notify.WEEKLY, sent_at__isnull=False)),
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
            digests_sent=sent["weekly_sent"],
        )
        return counts
    if opportunity.can_move_to(Opportunity.Status.OPEN):
        preview = alert_preview(opportunity)
        counts.update(will_alert_now=preview["now"], will_alert_in_digest=preview["weekly"])
        return counts
    return None


def core_hours_in(opportunity: Opportunity, zone_name: str, on: dt.date | None = None):
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


# Projects and teams -----------------------------------------------------------------------------
def projects_visible_to(user) -> QuerySet[Project]:
    """Admins and members see every project; visitors the public ones."""
    if is_member(user):
        return Project.objects.all()
    return Project.objects.filter(visibility=Opportunity.Visibility.PUBLIC)


def _live_memberships() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=TeamMembership.objects.filter(status__in=TeamMembership.LIVE)
        .select_related("person__organisation")
        .order_by("id"),
        to_attr="live_memberships",
    )


def _team_roles() -> Prefetch:
    return Prefetch(
        "roles",
        queryset=TeamRole.objects.prefetch_related(
            Prefetch(
                "skills", queryset=TeamRoleSkill.objects.select_related("skill").order_by("id")
            ),
            "languages",
            _live_memberships(),
        ).order_by("position", "id"),
    )


def project_list(user) -> QuerySet[Project]:
    return (
        projects_visible_to(user)
        .select_related("circle", "lead_coop", "opportunity")
        .prefetch_related(_team_roles())
        .order_by("-created_at", "-id")
    )


def project_detail(user) -> QuerySet[Project]:
    return (
        projects_visible_to(user)
        .select_related("circle", "lead_coop", "source_coop", "client_organisation", "opportunity")
        .prefetch_related(_team_roles(), "leads__organisation")
    )


def team_roles(user) -> QuerySet[TeamRole]:
    return (
        TeamRole.objects.filter(project__in=projects_visible_to(user))
        .select_related("project")
        .prefetch_related(
            Prefetch(
                "skills", queryset=TeamRoleSkill.objects.select_related("skill").order_by("id")
            ),
            "languages",
        )
        .order_by("project_id", "position", "id")
    )


def team_memberships(user) -> QuerySet[TeamMembership]:
    """Members see accepted teams of visible projects; their own invitations; the managers of
    a project everything of it. Proposals are for the managers only."""
    queryset = TeamMembership.objects.select_related(
        "person__organisation", "role", "project"
    ).order_by("project_id", "role__position", "role_id", "id")
    if is_network_admin(user):
        return queryset
    visible = Q(project__in=projects_visible_to(user), status=TeamMembership.Status.ACCEPTED)
    person = person_of(user)
    if person is not None:
        visible |= Q(person=person) & ~Q(status=TeamMembership.Status.PROPOSED)
        managed = Project.objects.filter(
            Q(circle__in=coordinated_circles(user).values("pk")) | Q(leads=person)
        ).values("pk")
        visible |= Q(project__in=managed)
    return queryset.filter(visible)


def my_teams(user) -> QuerySet[TeamMembership]:
    person = person_of(user)
    if person is None:
        return TeamMembership.objects.none()
    return (
        TeamMembership.objects.filter(person=person)
        .exclude(status=TeamMembership.Status.PROPOSED)
        .select_related("project__circle", "role")
        .order_by("-created_at", "-id")
    )


def open_roles(project: Project) -> QuerySet[TeamRole]:
    """Roles nobody has accepted or been invited to."""
    taken = TeamMembership.objects.filter(role=OuterRef("pk"), status__in=TeamMembership.COMMITTED)
    return project.roles.filter(filled=False).exclude(Exists(taken)).order_by("position", "id")


def latest_run(project: Project) -> MatchRun | None:
    return project.match_runs.select_related("role").order_by("-created_at", "-id").first()


def proposed_memberships(project: Project) -> QuerySet[TeamMembership]:
    return (
        TeamMembership.objects.filter(project=project, status=TeamMembership.Status.PROPOSED)
        .select_related("person__organisation", "role")
        .order_by("role__position", "role_id")
    )


def committed_hours(person_ids, on: dt.date) -> dict[int, int]:
    """Hours a week each person has promised to teams still at work on the given date."""
    from django.db.models import Sum

    rows = (
        TeamMembership.objects.filter(
            person_id__in=person_ids,
            status__in=TeamMembership.COMMITTED,
            project__status__in=Project.BUSY_STATUSES,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .filter(Q(project__end_date__isnull=True) | Q(project__end_date__gte=on))
        .values("person_id")
        .annotate(total=Sum("hours_per_week"))
    )
    return {row["person_id"]: row["total"] for row in rows}


def matching_input(project: Project, roles: list[TeamRole], *, today: dt.date | None = None):
    """The matcher's plain input for these open roles of the project: (Team, Pool).

    A constant number of queries whatever the network's size: people, their levels in the
    required skills, their languages, committed hours, and who already said no."""
    roles = list(
        TeamRole.objects.filter(pk__in=[r.pk for r in roles])
        .prefetch_related(
            Prefetch("skills", queryset=TeamRoleSkill.objects.select_related("skill")),
            "languages",
        )
        .order_by("position", "id")
    )
    start = project.start_date or today or network_today()
    skill_ids = {s.skill_id for role in roles for s in role.skills.all()}
    language_ids = {lang.pk for role in roles for lang in role.languages.all()}
    # The team as it stands outside the roles being matched: invited and accepted people, and
    # those proposed for the other roles (a one-role run keeps the rest of the proposal).
    in_team = list(
        TeamMembership.objects.filter(project=project, status__in=TeamMembership.LIVE)
        .exclude(role_id__in=[role.pk for role in roles])
        .values_list("person_id", "person__organisation_id")
        .distinct()
    )
    fixed_coops: dict[int, int] = {}
    for _person, coop in in_team:
        fixed_coops[coop] = fixed_coops.get(coop, 0) + 1
    declined = set(
        TeamMembership.objects.filter(
            project=project, status=TeamMembership.Status.DECLINED
        ).values_list("person_id", flat=True)
    )
    people = list(
        Person.objects.values_list(
            "pk",
            "organisation_id",
            "organisation__status",
            "user__is_active",
            "hours_per_week",
            "available_from",
            "timezone",
            "workday_start",
            "workday_end",
            "open_to_matching",
        ).order_by("pk")
    )
    levels: dict[int, dict[int, int]] = {}
    for person_id, skill_id, level in PersonSkill.objects.filter(
        skill_id__in=skill_ids
    ).values_list("person_id", "skill_id", "level"):
        levels.setdefault(person_id, {})[skill_id] = level
    spoken: dict[int, dict[int, int]] = {}
    for person_id, language_id, proficiency in PersonLanguage.objects.filter(
        language_id__in=language_ids
    ).values_list("person_id", "language_id", "proficiency"):
        spoken.setdefault(person_id, {})[language_id] = proficiency
    busy = committed_hours([p[0] for p in people], start)
    for person_id, hours in (
        TeamMembership.objects.filter(project=project, status=TeamMembership.Status.PROPOSED)
        .exclude(role_id__in=[role.pk for role in roles])
        .values_list("person_id", "hours_per_week")
    ):
        busy[person_id] = busy.get(person_id, 0) + hours  # proposed here for another role
    pool = matching.Pool.of(
        [
            matching.Person(
                id=pk,
                coop=coop,
                free_hours=max(0, hours - busy.get(pk, 0)),
                skills=levels.get(pk, {}),
                languages=spoken.get(pk, {}),
                timezone=zone,
                workday=(workday_start, workday_end),
                available_from=available_from,
                opted_in=opted_in,
                declined=pk in declined,
                # Listed in a member co-op, with or without an account: a deactivated
                # account is someone who left, a missing one someone not invited yet.
                active=is_active is not False and coop_status == Organisation.Status.MEMBER,
            )
            for (
                pk,
                coop,
                coop_status,
                is_active,
                hours,
                available_from,
                zone,
                workday_start,
                workday_end,
                opted_in,
            ) in people
        ]
    )
    core = None
    if project.core_hours_start_utc is not None and project.core_hours_end_utc is not None:
        core = (project.core_hours_start_utc, project.core_hours_end_utc)
    team = matching.Team(
        roles=tuple(
            matching.Role(
                id=role.pk,
                title=role.title,
                hours=role.hours_per_week,
                requirements=tuple(
                    matching.Requirement(s.skill_id, s.min_level, s.weight, s.skill.name)
                    for s in sorted(role.skills.all(), key=lambda s: s.pk)
                ),
                languages=frozenset(lang.pk for lang in role.languages.all()),
            )
            for role in roles
        ),
        team_size=project.roles.count(),
        core_hours=core,
        min_overlap_minutes=project.min_overlap_hours * 60 if core else 0,
        start=start,
        end=project.end_date,
        min_coops=project.min_coops,
        max_per_coop=project.max_per_coop,
        source_coop=project.source_coop_id,
        fixed_coops=fixed_coops,
        fixed_people=frozenset(p for p, _c in in_team),
    )
    return team, pool


def team_people(project: Project) -> list[tuple[int, int, int]]:
    """(person, home co-op, role) of everyone proposed for, invited to or in the team."""
    return list(
        TeamMembership.objects.filter(project=project, status__in=TeamMembership.LIVE)
        .values_list("person_id", "person__organisation_id", "role_id")
        .order_by("id")
    )


def swap_breaks(
    project: Project,
    people: list[tuple[int, int, int]],
    *,
    team_size: int,
    role_id: int,
    person_id: int,
    coop_id: int,
) -> set[str]:
    """The team rules (matching.MIN_COOPS, matching.MAX_PER_COOP) the team would break with
    `person_id` proposed for the role instead of whoever is proposed now, and does not already
    break. `people` is `team_people(project)`."""

    def coops(entries) -> list[int]:
        return list({person: coop for person, coop, _role in entries}.values())

    rules = {
        "team_size": team_size,
        "min_coops": project.min_coops,
        "max_per_coop": project.max_per_coop,
    }
    now = matching.team_rule_breaks(coops(people), **rules)
    after = [entry for entry in people if entry[2] != role_id] + [(person_id, coop_id, role_id)]
    return matching.team_rule_breaks(coops(after), **rules) - now


def person_teams(user, person: Person) -> QuerySet[TeamMembership]:
    """A person's accepted places in teams of projects the reader may see."""
    return (
        TeamMembership.objects.filter(
            person=person,
            status=TeamMembership.Status.ACCEPTED,
            project__in=projects_visible_to(user),
        )
        .select_related("project", "role")
        .order_by("-created_at", "-id")
    )


def opportunities_fitting(user) -> QuerySet[Opportunity]:
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
