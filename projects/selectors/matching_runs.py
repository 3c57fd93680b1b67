"""Reads for matching: the matcher's input, the latest run and its proposal, the team rules a
swap would break."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from patio.lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")
from django.db.models import Prefetch, Q, QuerySet, Sum

from members.models import Organisation, Person, PersonLanguage, PersonSkill
from patio.dates import network_today
from projects import matching
from projects.models import MatchRun, Project, TeamMembership, TeamRole, TeamRoleSkill


def latest_run(project: Project) -> MatchRun | None:
    return project.match_runs.select_related("role").order_by("-created_at", "-id").first()


def proposed_memberships(project: Project) -> QuerySet[TeamMembership]:
    return (
        TeamMembership.objects.filter(project=project, status=TeamMembership.Status.PROPOSED)
        .select_related("person__organisation", "role")
        .order_by("role__position", "role_id")
    )


def committed_hours(person_ids: Iterable[int] | None, on: dt.date) -> dict[int, int]:
    """Hours a week each person has promised to teams still at work on the given date.

    `None` reads everyone's: the matcher wants the whole network, and one join is far cheaper
    than sending 100,000 ids as parameters (Django builds each one; PostgreSQL parses them)."""
    rows = TeamMembership.objects.filter(
        status__in=TeamMembership.COMMITTED,
        project__status__in=Project.BUSY_STATUSES,
    )
    if person_ids is not None:
        rows = rows.filter(person_id__in=person_ids)
    totals = (
        rows.filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .filter(Q(project__end_date__isnull=True) | Q(project__end_date__gte=on))
        .values("person_id")
        .annotate(total=Sum("hours_per_week"))
    )
    return {row["person_id"]: row["total"] for row in totals}


# The columns of a person the matcher reads, in the order `_columns` unpacks them.
PERSON_COLUMNS = (
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
)


def matching_input(
    project: Project, roles: list[TeamRole], *, today: dt.date | None = None
) -> tuple[matching.Team, matching.Pool]:
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
    in_team = _team_outside(project, roles)
    pool = _pool(project, roles, start)
    return _team(project, roles, start, in_team), pool


def _other_roles(project: Project, roles: list[TeamRole]) -> QuerySet[TeamMembership]:
    """The project's memberships outside the roles being matched."""
    return TeamMembership.objects.filter(project=project).exclude(
        role_id__in=[role.pk for role in roles]
    )


def _team_outside(project: Project, roles: list[TeamRole]) -> list[tuple[int, int]]:
    """(person, home co-op) of the team as it stands outside the roles being matched: invited
    and accepted people, and those proposed for the other roles (a one-role run keeps the rest
    of the proposal)."""
    return list(
        _other_roles(project, roles)
        .filter(status__in=TeamMembership.LIVE)
        .order_by()
        .values_list("person_id", "person__organisation_id")
        .distinct()
    )


def _pool(project: Project, roles: list[TeamRole], start: dt.date) -> matching.Pool:
    """Everyone listed in the network, as the matcher sees them for these roles."""
    skill_ids = {s.skill_id for role in roles for s in role.skills.all()}
    language_ids = {lang.pk for role in roles for lang in role.languages.all()}
    declined = set(
        TeamMembership.objects.filter(
            project=project, status=TeamMembership.Status.DECLINED
        ).values_list("person_id", flat=True)
    )
    people = list(Person.objects.values_list(*PERSON_COLUMNS).order_by("pk"))
    levels = PersonSkill.objects.filter(skill_id__in=skill_ids).values_list(
        "person_id", "skill_id", "level"
    )
    spoken = PersonLanguage.objects.filter(language_id__in=language_ids).values_list(
        "person_id", "language_id", "proficiency"
    )
    busy = committed_hours(None, start)
    for person_id, hours in (
        _other_roles(project, roles)
        .filter(status=TeamMembership.Status.PROPOSED)
        .values_list("person_id", "hours_per_week")
    ):
        busy[person_id] = busy.get(person_id, 0) + hours  # proposed here for another role
    return _columns(people, levels=levels, spoken=spoken, busy=busy, declined=declined)


def _columns(
    people: list[tuple[Any, ...]],
    *,
    levels: Iterable[tuple[int, int, int]],
    spoken: Iterable[tuple[int, int, int]],
    busy: dict[int, int],
    declined: set[int],
) -> matching.Pool:
    """The pool built column by column from the `PERSON_COLUMNS` rows: the same pool as
    `Pool.of` over one `matching.Person` each, without a Python object per person (at 100,000 people
    that loop was a third of the read)."""
    if not people:
        return matching.Pool.of([])
    (
        ids,
        coops,
        coop_statuses,
        is_active,
        hours,
        available_from,
        zones,
        workday_start,
        workday_end,
        opted_in,
    ) = (list(column) for column in zip(*people, strict=True))
    n = len(ids)
    position = {pk: i for i, pk in enumerate(ids)}
    skills = _spread(levels, position, n)
    languages = _spread(spoken, position, n)
    names = sorted(set(zones))
    where = {zone: i for i, zone in enumerate(names)}
    member = Organisation.Status.MEMBER
    return matching.Pool(
        ids=ids,
        coops=coops,
        free_hours=[max(0, h - busy.get(pk, 0)) for pk, h in zip(ids, hours, strict=True)],
        skills=skills,
        languages=languages,
        zones=names,
        zone_index=[where[zone] for zone in zones],
        workday_start=[t.hour * 60 + t.minute for t in workday_start],
        workday_end=[t.hour * 60 + t.minute for t in workday_end],
        available_from=[day.toordinal() if day else 0 for day in available_from],
        opted_in=opted_in,
        # Listed in a member co-op, with or without an account: a deactivated account is
        # someone who left, a missing one someone not invited yet.
        active=[
            active is not False and status == member
            for active, status in zip(is_active, coop_statuses, strict=True)
        ],
        declined=[pk in declined for pk in ids],
    )


def _spread(
    rows: Iterable[tuple[int, int, int]], position: dict[int, int], n: int
) -> dict[int, np.ndarray]:
    """{key: a column of values by person} from (person, key, value) rows; 0 where none."""
    found: dict[int, np.ndarray] = {}
    for person_id, key, value in rows:
        at = position.get(person_id)
        if at is None:
            continue
        column = found.get(key)
        if column is None:
            column = found[key] = np.zeros(n, np.int8)
        column[at] = value
    return dict(sorted(found.items()))


def _team(
    project: Project, roles: list[TeamRole], start: dt.date, in_team: list[tuple[int, int]]
) -> matching.Team:
    """The roles to fill, the project's rules, and who is already in the team."""
    fixed_coops: dict[int, int] = {}
    for _person, coop in in_team:
        fixed_coops[coop] = fixed_coops.get(coop, 0) + 1
    core = None
    if project.core_hours_start_utc is not None and project.core_hours_end_utc is not None:
        core = (project.core_hours_start_utc, project.core_hours_end_utc)
    return matching.Team(
        roles=tuple(_matching_role(role) for role in roles),
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


def _matching_role(role: TeamRole) -> matching.Role:
    return matching.Role(
        id=role.pk,
        title=role.title,
        hours=role.hours_per_week,
        requirements=tuple(
            matching.Requirement(s.skill_id, s.min_level, s.weight, s.skill.name)
            for s in sorted(role.skills.all(), key=lambda s: s.pk)
        ),
        languages=frozenset(lang.pk for lang in role.languages.all()),
    )


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

    def coops(entries: list[tuple[int, int, int]]) -> list[int]:
        return list({person: coop for person, coop, _role in entries}.values())

    def breaks(entries: list[tuple[int, int, int]]) -> set[str]:
        return matching.team_rule_breaks(
            coops(entries),
            team_size=team_size,
            min_coops=project.min_coops,
            max_per_coop=project.max_per_coop,
        )

    now = breaks(people)
    after = [entry for entry in people if entry[2] != role_id] + [(person_id, coop_id, role_id)]
    return breaks(after) - now
