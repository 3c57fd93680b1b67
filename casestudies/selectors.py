"""Reads shared by the case-study pages, their sections on other apps' pages and the API: what
a reader may see, with what each page shows prefetched, so a page costs the same few queries
whatever its size."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet

from casestudies.models import CaseStudy
from casestudies.permissions import WORKED
from catalogue.models import Provider, Service, Software
from members.models import Organisation, Person, Skill
from members.permissions import is_network_admin, person_of
from members.vocabulary import by_name
from projects.models import Project, TeamMembership, TeamRoleSkill

if TYPE_CHECKING:
    from accounts.models import AnyUser

SERVICES_KEY = "casestudies:hire:services"
SERVICES_SECONDS = 600


def case_studies_visible_to(user: AnyUser | None) -> QuerySet[CaseStudy]:
    """Published ones for everyone; drafts and withdrawn ones for their project's team (leads
    and the people who worked in it) and network admins."""
    queryset = CaseStudy.objects.all()
    if is_network_admin(user):
        return queryset
    published = Q(status=CaseStudy.Status.PUBLISHED)
    person = person_of(user)
    if person is None:
        return queryset.filter(published)
    worked = TeamMembership.objects.filter(person=person, status__in=WORKED).values("project_id")
    return queryset.filter(
        published | Q(project__leads=person) | Q(project_id__in=worked)
    ).distinct()


def public_case_studies() -> QuerySet[CaseStudy]:
    """What a visitor may open: for the sitemap and the sections of other pages."""
    return CaseStudy.objects.filter(status=CaseStudy.Status.PUBLISHED)


def _coops() -> QuerySet[Organisation]:
    # A co-op's name is shown whatever its directory visibility: the client agreed to the
    # story, and the team's co-ops are part of it. Only public fields are read.
    return Organisation.objects.only("id", "slug", "name", "country", "status", "kind").order_by(
        "name", "id"
    )


def case_study_list(user: AnyUser | None) -> QuerySet[CaseStudy]:
    """As lists show them: co-ops and software named, newest first."""
    return (
        case_studies_visible_to(user)
        .prefetch_related(
            Prefetch("coops", queryset=_coops()),
            Prefetch(
                "software",
                queryset=Software.objects.filter(status=Software.Status.PUBLISHED)
                .only("id", "slug", "name", "status")
                .order_by("name", "id"),
            ),
        )
        .order_by("-published_at", "-id")
    )


def case_study_detail(user: AnyUser | None) -> QuerySet[CaseStudy]:
    """One case study with everything its page, its API answer and its JSON-LD show."""
    return (
        case_study_list(user)
        .select_related("project", "consent_recorded_by", "created_by")
        .prefetch_related(
            Prefetch("skills", queryset=by_name(Skill.objects.all())),
            Prefetch("project__leads", queryset=Person.objects.only("id", "user_id")),
        )
    )


def published_for_coop(organisation: Organisation, limit: int = 10) -> list[CaseStudy]:
    return list(
        public_case_studies()
        .filter(coops=organisation)
        .only("id", "slug", "title", "summary", "client_name", "published_at")
        .order_by("-published_at", "-id")[:limit]
    )


def published_for_software(software: Software, limit: int = 10) -> list[CaseStudy]:
    return list(
        public_case_studies()
        .filter(software=software)
        .only("id", "slug", "title", "summary", "client_name", "published_at")
        .order_by("-published_at", "-id")[:limit]
    )


def featured(limit: int = 3) -> list[CaseStudy]:
    return list(case_study_list(None)[:limit])


def projects_to_write_up(user: AnyUser | None) -> QuerySet[Project]:
    """Finished projects the reader leads (every one, for a network admin) with no case study
    yet: where the list page offers to start one."""
    queryset = Project.objects.filter(status=Project.Status.FINISHED, case_study__isnull=True)
    if not is_network_admin(user):
        person = person_of(user)
        if person is None:
            return queryset.none()
        queryset = queryset.filter(leads=person)
    return queryset.only("id", "name", "client_name", "end_date").order_by("-end_date", "-id")


def project_for_draft(project_id: int) -> Project | None:
    """A project with what its draft copies, prefetched."""
    return (
        Project.objects.filter(pk=project_id)
        .select_related("client_organisation")
        .prefetch_related("leads")
        .first()
    )


# What a finished project was: read once, when its draft is made -----------------------------
def team_people(project: Project) -> list[Person]:
    return list(
        Person.objects.filter(
            team_memberships__project=project, team_memberships__status__in=WORKED
        )
        .select_related("organisation")
        .distinct()
        .order_by("id")
    )


def team_skills(project: Project) -> list[Skill]:
    """The skills the team's seats asked for: of the seats someone worked in."""
    worked_roles = TeamMembership.objects.filter(project=project, status__in=WORKED).values(
        "role_id"
    )
    ids = TeamRoleSkill.objects.filter(role_id__in=worked_roles).values("skill_id")
    return list(Skill.objects.filter(pk__in=ids).order_by("id"))


def team_phases(project: Project) -> list[str]:
    worked = set(
        TeamMembership.objects.filter(project=project, status__in=WORKED).values_list(
            "role__phase", flat=True
        )
    )
    found = worked | {project.phase}
    return [code for code in Project.Phase.values if code in found]


def team_dates(project: Project) -> tuple[Any, Any]:
    """The project's own dates, else the first and last day its people worked in it."""
    spans = TeamMembership.objects.filter(project=project, status__in=WORKED).values_list(
        "start_date", "end_date"
    )
    starts = [start for start, _end in spans if start]
    ends = [end for _start, end in spans if end]
    started = project.start_date or (min(starts) if starts else None)
    finished = project.end_date or (max(ends) if ends else None)
    if started and finished and finished < started:
        finished = started
    return started, finished


def software_used(project: Project) -> QuerySet[Software]:
    """The published catalogue entries the project says it uses (`ProjectSoftware`), by name:
    what its page and the API list, and where a case study's draft starts. One query."""
    return Software.objects.filter(
        status=Software.Status.PUBLISHED, project_uses__project=project
    ).order_by("name", "id")


def software_to_add(project: Project) -> QuerySet[Software]:
    """The published entries the project does not list yet: what its managers may add."""
    return (
        Software.objects.filter(status=Software.Status.PUBLISHED)
        .exclude(project_uses__project=project)
        .only("id", "slug", "name")
        .order_by("name", "id")
    )


# Hire the network ----------------------------------------------------------------------------
def services_offered() -> list[dict[str, Any]]:
    """How many network co-ops offer each catalogue service (install, host, support…), and for
    how many entries: one grouped query, kept in the cache for ten minutes."""
    found = cache.get(SERVICES_KEY)
    if found is not None:
        return list(found)
    rows = Provider.objects.filter(
        organisation__status=Organisation.Status.MEMBER,
        software__status=Software.Status.PUBLISHED,
    ).values_list("organisation_id", "software_id", "services")
    coops: dict[str, set[int]] = {}
    entries: dict[str, set[int]] = {}
    for organisation_id, software_id, services in rows:
        for code in services or []:
            coops.setdefault(code, set()).add(organisation_id)
            entries.setdefault(code, set()).add(software_id)
    found = [
        {"code": code, "coops": len(coops[code]), "entries": len(entries[code])}
        for code in Service.values
        if code in coops
    ]
    cache.set(SERVICES_KEY, found, SERVICES_SECONDS)
    return found


def counts() -> dict[str, int]:
    """Published case studies and catalogue entries, for the hire page (one query)."""
    return CaseStudy.objects.aggregate(
        case_studies=Count("id", filter=Q(status=CaseStudy.Status.PUBLISHED)),
    ) | {
        "software": Software.objects.filter(status=Software.Status.PUBLISHED).count(),
    }
