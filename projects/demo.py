"""Demo job opportunities for `seed_demo`: a handful, in different states, posted by the demo
circles' coordinators. Idempotent: an opportunity whose title exists is left alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from circles.models import CircleMembership
from members import vocabulary
from members.demo_data import DEMO_ACCOUNTS
from members.models import Language, Person, PersonSkill, Skill
from notifications.models import Notification
from notifications.services import notification_record
from patio.dates import network_today
from patio.emails import message_id
from projects.emails import opportunity_alert
from projects.models import (
    Interest,
    MatchRun,
    Opportunity,
    OpportunityTransition,
    Project,
    TeamMembership,
    TeamRole,
    TeamRoleSkill,
)
from projects.selectors.opportunities import opportunities_fitting
from projects.selectors.teams import open_roles
from projects.services.matching_runs import match_run_claim, match_run_execute
from projects.services.opportunities import opportunity_create
from projects.services.teams import project_create, project_from_opportunity

S = Opportunity.Status
# (title, status, visibility, budget, currency, languages, roles: (title, hours, [(skill, level)]))
SPECS = (
    (
        "Member portal for a housing co-op",
        S.OPEN,
        "public",
        "24000",
        "EUR",
        ("en", "es"),
        (
            ("Backend developer", 20, (("Django", 3), ("PostgreSQL", 2))),
            ("Interaction designer", 10, (("Interaction design", 3),)),
        ),
    ),
    (
        "Accessibility audit of a bakery's shop",
        S.OPEN,
        "members",
        "3500",
        "EUR",
        ("en",),
        (("Accessibility auditor", 8, (("Accessibility", 3),)),),
    ),
    (
        "Odoo for a cleaning co-op",
        S.MATCHING,
        "members",
        "18000",
        "ARS",
        ("es",),
        (
            ("Odoo consultant", 6, (("Odoo", 2),)),
            ("Trainer", 5, (("Bookkeeping", 2),)),
            # Nobody in the network knows COBOL: the one role the gap report explains.
            ("Payroll migration from the old system", 6, (("COBOL", 3),)),
        ),
    ),
    (
        "Brand refresh for a worker-owned café",
        S.TEAM_PROPOSED,
        "public",
        "6000",
        "GBP",
        ("en",),
        (("Brand designer", 10, (("Branding", 3),)),),
    ),
    (
        "Hosting migration for a federation",
        S.STAFFED,
        "members",
        "9000",
        "EUR",
        (),
        (("Sysadmin", 12, (("Linux administration", 3), ("Docker", 2))),),
    ),
    (
        "Security training for a newsroom co-op",
        S.CLOSED,
        "public",
        "2500",
        "USD",
        ("en", "fr"),
        (("Trainer", 6, (("Digital security training", 3),)),),
    ),
    # A draft sized so opening it alerts people: a network has a few Flutter developers with 20
    # free hours a week, but more with 10.
    (
        "Mobile app for a farmers' market",
        S.DRAFT,
        "members",
        "30000",
        "EUR",
        ("en",),
        (("Flutter developer", 10, (("Flutter", 2),)), ("Backend developer", 8, (("Django", 2),))),
    ),
    (
        "Data dashboard for a credit union",
        S.CANCELLED,
        "members",
        None,
        "EUR",
        ("en",),
        (("Data analyst", 10, (("Python", 2),)),),
    ),
)

# Each target status is reached along the allowed path, so the history reads as it happened.
PATHS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (),
    S.OPEN: (S.OPEN,),
    S.MATCHING: (S.OPEN, S.MATCHING),
    S.TEAM_PROPOSED: (S.OPEN, S.MATCHING, S.TEAM_PROPOSED),
    S.STAFFED: (S.OPEN, S.MATCHING, S.TEAM_PROPOSED, S.STAFFED),
    S.CLOSED: (S.OPEN, S.MATCHING, S.TEAM_PROPOSED, S.STAFFED, S.CLOSED),
    S.CANCELLED: (S.CANCELLED,),
}


def _coordinators() -> list[CircleMembership]:
    return list(
        CircleMembership.objects.current()
        .filter(role=CircleMembership.Role.COORDINATOR, person__user__isnull=False)
        .select_related("circle", "person__user")
        .order_by("-circle__triages_help_requests", "circle__name", "id")
    )


def _move(opportunity: Opportunity, status: str, actor, at) -> None:
    """Demo history written directly: seeding must not queue notification emails."""
    previous = opportunity.status
    for step, to_status in enumerate(PATHS[status]):
        when = at + dt.timedelta(days=3 * step)
        OpportunityTransition.objects.create(
            opportunity=opportunity,
            from_status=previous,
            to_status=to_status,
            actor=actor,
            at=when,
        )
        previous = to_status
    if PATHS[status]:
        Opportunity.objects.filter(pk=opportunity.pk).update(
            status=status, opened_at=at if S.OPEN in PATHS[status] else None
        )


@transaction.atomic
def seed(*, say=print) -> None:
    coordinators = _coordinators()
    if not coordinators:
        say("projects: there are no circles with coordinators yet; no opportunities added.")
        return
    english = vocabulary.column("name", vocabulary.ENGLISH)  # the demo names skills in English
    skills = {getattr(s, english): s for s in Skill.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    today = network_today()
    added = 0
    for number, (title, status, visibility, budget, currency, codes, roles) in enumerate(SPECS):
        if Opportunity.objects.filter(title=title).exists():
            continue
        poster = coordinators[number % len(coordinators)]
        role_data = [
            {
                "title": role_title,
                "headcount": 1,
                "hours_per_week": hours,
                "skills": [
                    {"skill": skills[name], "min_level": level, "weight": 3}
                    for name, level in needs
                    if name in skills
                ],
            }
            for role_title, hours, needs in roles
        ]
        assert poster.person.user is not None  # coordinators are picked among accounts
        opportunity = opportunity_create(
            actor=poster.person.user,
            circle=poster.circle,
            data={
                "title": title,
                "description": f"{title}. The client is a co-op outside the network; "
                "see the roles below for who we are looking for.",
                "client_name": "A co-op outside the network",
                "visibility": visibility,
                "budget": Decimal(budget) if budget else None,
                "currency": currency,
                "start_date": today + dt.timedelta(days=14 + 7 * number),
                "deadline": today + dt.timedelta(days=120 + 7 * number),
                "core_hours_start_utc": dt.time(13),
                "core_hours_end_utc": dt.time(16),
                "working_languages": [languages[c] for c in codes if c in languages],
            },
            roles=role_data,
        )
        _move(opportunity, status, poster.person.user, timezone.now() - dt.timedelta(days=30))
        if status in (S.STAFFED, S.CLOSED):
            _complete_team(opportunity, status, poster.person.user)
        if status in (S.OPEN, S.MATCHING):
            _add_interests(opportunity, exclude=poster.person)
        added += 1
    say(f"projects: {added} job opportunities added.")
    _seed_projects(coordinators, skills, languages, today, say)
    _seed_past_projects(coordinators, skills, languages, today, say)
    _list_alerts_of_demo_accounts(say)


def _list_alerts_of_demo_accounts(say) -> None:
    """The demo accounts' notifications list the open opportunities that fit them, as their
    alert put them there (notifications.services.notification_record, the path every event
    email takes), unread, so the bell shows a count. Seeding sends no email: each alert is
    recorded, not sent."""
    people = list(
        Person.objects.filter(
            user__email__in=[account.email for account in DEMO_ACCOUNTS]
        ).select_related("user")
    )
    listed = Notification.objects.filter(recipient__in=people)
    before = listed.count()
    for person in people:
        for opportunity in opportunities_fitting(person.user)[:3]:
            alert = opportunity_alert(
                person, opportunity, message_id=message_id(opportunity, "demo-alert", person.pk)
            )
            notification_record(alert)  # listed once: the alert's Message-ID is its key
    if added := listed.count() - before:
        say(f"projects: {added} opportunity alerts listed in the demo accounts' notifications.")


# Standalone projects, the network's own work, in different phases:
# (name, phase, status, description, roles: (title, phase, hours, [(skill, level)]))
P = Project.Phase
STANDALONE = (
    (
        "Patio upkeep",
        P.MAINTENANCE,
        Project.Status.ACTIVE,
        "Keeping this platform running and translated.",
        (
            ("Django maintainer", P.MAINTENANCE, 6, (("Django", 3),)),
            ("Translator", P.MARKETING, 4, ()),
        ),
    ),
    (
        "Network handbook",
        P.DESIGN,
        Project.Status.FORMING,
        "A handbook for new member co-ops: how the network works, who does what.",
        (
            ("Interaction designer", P.DESIGN, 8, (("Interaction design", 2),)),
            ("Writer", P.DESIGN, 5, ()),
        ),
    ),
    (
        "Shared invoicing service",
        P.DEVELOPMENT,
        Project.Status.FORMING,
        "One invoicing service the small co-ops can share instead of each paying for its own.",
        # One skill: the demo draws each person's skills apart, so two at once are rarer than in a
        # real network (where Django experts know PostgreSQL) and the role would stay empty.
        (("Backend developer", P.DEVELOPMENT, 8, (("Django", 3),)),),
    ),
    (
        "Co-op tech fair",
        P.IDEA,
        Project.Status.FORMING,
        "An idea: a yearly fair where member co-ops show their work to clients.",
        (),
    ),
    (
        "Member stories campaign",
        P.MARKETING,
        Project.Status.PAUSED,
        "Short stories of member co-ops for the network's newsletter and social media.",
        (("Copywriter", P.MARKETING, 4, ()),),
    ),
)
FROM_OPPORTUNITY = "Odoo for a cleaning co-op"


def _seed_projects(coordinators, skills, languages, today, say) -> None:
    """A project formed from the demo opportunity in "matching" and standalone ones for the
    network's own work, each with a matching run done where it has open roles. Each once."""
    added = 0
    opportunity = Opportunity.objects.filter(title=FROM_OPPORTUNITY).first()
    if opportunity is not None and not Project.objects.filter(opportunity=opportunity).exists():
        actor = opportunity.posted_by.user if opportunity.posted_by else None
        assert actor is not None  # the demo posts it as a coordinator with an account
        project = project_from_opportunity(actor=actor, opportunity=opportunity)
        Project.objects.filter(pk=project.pk).update(phase=Project.Phase.DEVELOPMENT)
        _propose_team(project, actor)
        added += 1
    for number, (name, phase, status, description, roles) in enumerate(STANDALONE):
        if Project.objects.filter(name=name).exists():
            continue
        lead = coordinators[number % len(coordinators)]
        standalone = project_create(
            actor=lead.person.user,
            circle=lead.circle,
            data={
                "name": name,
                "phase": phase,
                "status": status,
                "description": description,
                "lead_coop": lead.person.organisation,
                "start_date": today + dt.timedelta(days=14 * number),
            },
            roles=[
                {
                    "title": title,
                    "phase": role_phase,
                    "hours_per_week": hours,
                    "languages": [languages[c] for c in ("en",) if c in languages],
                    "skills": [
                        {"skill": skills[n], "min_level": lv, "weight": 3}
                        for n, lv in needs
                        if n in skills
                    ],
                }
                for title, role_phase, hours, needs in roles
            ],
        )
        _propose_team(standalone, lead.person.user)
        added += 1
    say(f"projects: {added} projects added.")


def _propose_team(project: Project, actor) -> None:
    """A matching run done here (not queued), so the demo opens on a proposed team."""
    if project.status not in (Project.Status.FORMING, Project.Status.ACTIVE):
        return  # a paused or finished project is not staffing
    if not open_roles(project).exists():
        return
    run = MatchRun.objects.create(project=project, requested_by=actor)
    if match_run_claim(run_id=run.pk):
        match_run_execute(run_id=run.pk, time_limit=5)


def _complete_team(opportunity: Opportunity, status: str, actor) -> None:
    """A staffed (or since closed) opportunity has its team, every seat accepted: "staffed"
    means that. Written directly, as the history is: no invitation emails while seeding."""
    Opportunity.objects.filter(pk=opportunity.pk).update(status=S.TEAM_PROPOSED)
    opportunity.status = S.TEAM_PROPOSED
    project = project_from_opportunity(actor=actor, opportunity=opportunity)
    Opportunity.objects.filter(pk=opportunity.pk).update(status=status)
    taken: set[int] = set()
    now = timezone.now()
    for role in project.roles.prefetch_related("skills"):
        wanted = [requirement.skill_id for requirement in role.skills.all()]
        person = (
            Person.objects.filter(
                pk__in=PersonSkill.objects.filter(skill_id__in=wanted).values("person_id")
            )
            .exclude(pk__in=taken)
            .order_by("pk")
            .first()
        ) or Person.objects.exclude(pk__in=taken).order_by("pk").first()
        assert person is not None  # the demo network has more people than seats
        taken.add(person.pk)
        TeamMembership.objects.create(
            project=project,
            role=role,
            person=person,
            status=TeamMembership.Status.ACCEPTED,
            hours_per_week=role.hours_per_week,
            invited_at=now - dt.timedelta(days=20),
            invitation_sent_at=now - dt.timedelta(days=20),
            responded_at=now - dt.timedelta(days=18),
        )
    project.roles.update(filled=True)
    done = Project.Status.FINISHED if status == S.CLOSED else Project.Status.ACTIVE
    Project.objects.filter(pk=project.pk).update(status=done, phase=Project.Phase.DEVELOPMENT)


def _add_interests(opportunity: Opportunity, *, exclude: Person) -> None:
    """Two or three people with a needed skill say they are interested."""
    wanted = [rs.skill_id for role in opportunity.roles.all() for rs in role.skills.all()]
    people = (
        Person.objects.filter(
            pk__in=PersonSkill.objects.filter(skill_id__in=wanted).values("person_id")
        )
        .exclude(pk=exclude.pk)
        .order_by("pk")[:3]
    )
    for person in people:
        Interest.objects.get_or_create(
            opportunity=opportunity, person=person, defaults={"role": opportunity.roles.first()}
        )


# Client work the network finished, for the case studies: (name, client, lead's demo email, days
# since it started, weeks it lasted, description, roles: (title, phase, hours, [(skill, level)])).
# The descriptions name the catalogue entries the teams used, as a lead would.
PAST = (
    (
        "Member portal for Vivienda Sur",
        "Cooperativa de Vivienda Sur",
        "coordinator@patio.example",
        400,
        16,
        "A members' portal for a housing co-op of 300 households: dues, assemblies and repair "
        "requests, on CiviCRM with a WordPress front, hosted on Nextcloud for the documents.",
        (
            ("Project lead", P.DESIGN, 6, (("Project management", 2),)),
            ("Backend developer", P.DEVELOPMENT, 20, (("PHP", 3),)),
            ("Interaction designer", P.DESIGN, 10, (("Interaction design", 3),)),
            ("Accessibility auditor", P.DEVELOPMENT, 4, (("Accessibility", 3),)),
        ),
    ),
    (
        "Odoo for Panadería La Espiga",
        "Panadería La Espiga (worker co-op)",
        "coordinator@patio.example",
        330,
        10,
        "Moving a bakery co-op's orders, stock and bookkeeping from spreadsheets to Odoo, with "
        "training for the twelve worker-members.",
        (
            ("Project lead", P.DESIGN, 4, (("Project management", 2),)),
            ("Odoo consultant", P.DEVELOPMENT, 12, (("Odoo", 3),)),
            ("Trainer", P.MAINTENANCE, 5, (("Bookkeeping", 2),)),
        ),
    ),
    (
        "Decision-making tools for a federation",
        "Federation of Care Co-ops",
        "member@patio.example",
        260,
        8,
        "Setting up Loomio for a federation's 40 member co-ops and Decidim for its yearly "
        "participatory budget, with facilitation guides.",
        (
            ("Project lead", P.DESIGN, 5, (("Project management", 2),)),
            ("Facilitator", P.DESIGN, 6, (("Meeting facilitation", 3),)),
            ("Sysadmin", P.MAINTENANCE, 8, (("Linux administration", 3),)),
        ),
    ),
    (
        "Self-hosted chat for a newsroom",
        "La Voz Cooperativa",
        "member@patio.example",
        200,
        6,
        "Replacing a newsroom co-op's paid chat with a self-hosted Mattermost and BigBlueButton "
        "for interviews, with a security review.",
        (
            ("Project lead", P.DESIGN, 4, (("Project management", 2),)),
            ("Sysadmin", P.MAINTENANCE, 10, (("Docker", 2),)),
            ("Security trainer", P.MAINTENANCE, 4, (("Digital security training", 3),)),
        ),
    ),
    (
        "Brand and website for a cleaning co-op",
        "Limpiezas Unidas",
        "coordinator@patio.example",
        150,
        7,
        "A new name, brand and WordPress website for a cleaning co-op of migrant women, "
        "designed in Penpot with the members.",
        (
            ("Project lead", P.DESIGN, 4, (("Project management", 2),)),
            ("Brand designer", P.DESIGN, 10, (("Branding", 3),)),
            ("WordPress developer", P.DEVELOPMENT, 10, (("WordPress", 3),)),
        ),
    ),
    # No case study yet: the demo's lead writes it (tests/journeys/test_case_studies.py).
    (
        "Shop for a farmers' market co-op",
        "Mercado de Productores del Valle",
        "member@patio.example",
        120,
        9,
        "An online shop for a farmers' market co-op's weekly boxes, on WordPress, with the "
        "accounts in Odoo.",
        (
            ("Project lead", P.DESIGN, 4, (("Project management", 2),)),
            ("WordPress developer", P.DEVELOPMENT, 12, (("WordPress", 3),)),
            ("Odoo consultant", P.DEVELOPMENT, 6, (("Odoo", 2),)),
        ),
    ),
)


def _seed_past_projects(coordinators, skills, languages, today, say) -> None:
    """Finished client projects with their whole team (people of different co-ops, each seat
    accepted), written directly as history is: no invitation emails while seeding. Each once."""
    added = 0
    for name, client, lead_email, days_ago, weeks, description, roles in PAST:
        if Project.objects.filter(name=name).exists():
            continue
        lead = Person.objects.filter(user__email=lead_email).first()
        circle = next(
            (m.circle for m in coordinators if m.person_id == (lead.pk if lead else None)),
            coordinators[0].circle,
        )
        start = today - dt.timedelta(days=days_ago)
        end = start + dt.timedelta(weeks=weeks)
        project = Project.objects.create(
            name=name,
            description=description,
            circle=circle,
            client_name=client,
            phase=Project.Phase.MAINTENANCE,
            status=Project.Status.FINISHED,
            visibility=Opportunity.Visibility.PUBLIC,
            start_date=start,
            end_date=end,
            lead_coop=lead.organisation if lead else None,
        )
        if lead is not None:
            project.leads.add(lead)
        taken: set[int] = set()
        coops_taken: set[int] = set()
        countries_taken: set[str] = set()
        for position, (title, phase, hours, needs) in enumerate(roles):
            role = TeamRole.objects.create(
                project=project,
                title=title,
                phase=phase,
                hours_per_week=hours,
                position=position,
                filled=True,
            )
            role.languages.set([languages[c] for c in ("en",) if c in languages])
            wanted = [skills[n] for n, _level in needs if n in skills]
            TeamRoleSkill.objects.bulk_create(
                TeamRoleSkill(role=role, skill=skill, min_level=level, weight=3)
                for skill, (_n, level) in zip(wanted, needs, strict=False)
            )
            person = lead if position == 0 and lead is not None else None
            if person is None:
                # Someone with the skill, from a country and a co-op not in the team yet where
                # one fits: the network's teams cross borders.
                candidates = (
                    Person.objects.filter(
                        pk__in=PersonSkill.objects.filter(skill__in=wanted).values("person_id"),
                        organisation__isnull=False,
                    )
                    .exclude(pk__in=taken)
                    .order_by("pk")
                )
                person = (
                    candidates.exclude(organisation__country__in=countries_taken)
                    .exclude(organisation_id__in=coops_taken)
                    .first()
                    or candidates.exclude(organisation_id__in=coops_taken).first()
                    or candidates.first()
                    or Person.objects.exclude(pk__in=taken).order_by("pk").first()
                )
            if person is None:  # a network smaller than the team (tests): the seat stays open
                continue
            taken.add(person.pk)
            if person.organisation is not None:
                coops_taken.add(person.organisation.pk)
                countries_taken.add(str(person.organisation.country))
            stamp = timezone.make_aware(dt.datetime.combine(start, dt.time(9)))
            TeamMembership.objects.create(
                project=project,
                role=role,
                person=person,
                status=TeamMembership.Status.ACCEPTED,
                hours_per_week=hours,
                start_date=start,
                end_date=end,
                created_at=stamp - dt.timedelta(days=10),
                invited_at=stamp - dt.timedelta(days=10),
                invitation_sent_at=stamp - dt.timedelta(days=10),
                responded_at=stamp - dt.timedelta(days=8),
            )
        added += 1
    say(f"projects: {added} finished client projects added.")
