"""Journey: the demo coordinator matches teams from the demo network, and someone listed by
their co-op without an account joins through the emailed link, accepting their seat."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import User
from members.models import Invitation, Person
from projects import matching
from projects.models import MatchRun, Project, TeamMembership
from projects.selectors.matching_runs import proposed_memberships, team_people
from projects.selectors.teams import open_roles
from projects.services.teams import project_create
from tests.journeys.conftest import DEMO_COORDINATOR

MATCHING_MS = 60_000  # a run on the 2,000 people, by the worker, on a busy machine
RARE_ROLE = "Payroll migration from the old system"  # needs COBOL: nobody in the demo has it
NEW_PASSWORD = "a long enough passphrase 42"


def _projects_with_open_roles() -> list[Project]:
    """The demo projects staffing now (forming or active) with a role nobody holds."""
    staffing = Project.objects.filter(status__in=[Project.Status.FORMING, Project.Status.ACTIVE])
    return [p for p in staffing.order_by("pk") if open_roles(p).exists()]


@pytest.fixture(autouse=True)
def _coordinator_reads_english():
    """The demo coordinator prefers Spanish; these steps read the English page."""
    person = Person.objects.get(user__email=DEMO_COORDINATOR)
    before = person.language
    Person.objects.filter(pk=person.pk).update(language="en")
    yield
    Person.objects.filter(pk=person.pk).update(language=before)


@pytest.fixture
def keep_proposals():
    """Matching here replaces the demo's proposals: put them back afterwards."""
    projects = _projects_with_open_roles()
    runs = set(MatchRun.objects.values_list("pk", flat=True))
    proposed = list(
        TeamMembership.objects.filter(
            project__in=projects, status=TeamMembership.Status.PROPOSED
        ).values(
            "project_id",
            "role_id",
            "person_id",
            "hours_per_week",
            "start_date",
            "end_date",
            "match_run_id",
            "score",
        )
    )
    yield projects
    TeamMembership.objects.filter(
        project__in=projects, status=TeamMembership.Status.PROPOSED
    ).delete()
    MatchRun.objects.filter(project__in=projects).exclude(pk__in=runs).delete()
    TeamMembership.objects.bulk_create(
        TeamMembership(status=TeamMembership.Status.PROPOSED, **row) for row in proposed
    )


def _match_in_the_browser(page: Page, project: Project) -> None:
    page.set_default_timeout(MATCHING_MS)  # the 2-core machine is shared: be patient
    page.goto(f"/projects/{project.pk}/matching/")
    page.get_by_role("button", name="Match all open roles").click()
    # The worker runs it; the page polls and reloads with the proposal.
    expect(page.get_by_role("heading", name="Proposal")).to_be_visible(timeout=MATCHING_MS)
    # The run's own status: when it finishes before the page is shown, the page also carries the
    # "Matching has started." message, another status.
    progress = page.locator("#match-progress[role=status]")
    expect(progress).to_contain_text("Done", timeout=MATCHING_MS)


def _team_coops(project: Project) -> list[int]:
    people = {person: coop for person, coop, _role in team_people(project)}
    return list(people.values())


def test_matching_fills_every_fillable_demo_role_and_keeps_the_team_rules(
    page: Page, log_in_as, demo_worker, keep_proposals
):
    projects = keep_proposals
    assert projects, "the demo has projects with open roles"
    log_in_as(page, DEMO_COORDINATOR)
    figures = []
    for project in projects:
        roles = list(open_roles(project))
        _match_in_the_browser(page, project)

        run = MatchRun.objects.filter(project=project).order_by("-created_at", "-id").first()
        assert run.status == MatchRun.Status.DONE
        proposed = {m.role_id: m for m in proposed_memberships(project)}
        for role in roles:
            chosen = proposed.get(role.pk)
            figures.append(
                f"{project.name} / {role.title}: "
                + (
                    f"{chosen.person.display_name} ({chosen.person.organisation.name})"
                    if chosen
                    else "nobody"
                )
            )
            if role.title == RARE_ROLE:
                assert chosen is None
                gaps = page.get_by_role("region", name="Roles nobody could fill")
                expect(gaps.get_by_role("heading", name=RARE_ROLE)).to_be_visible()
                expect(gaps).to_contain_text("COBOL")
            else:
                assert chosen is not None, f"nobody proposed for {role.title} of {project}"
                expect(page.get_by_role("heading", name=role.title, exact=True)).to_be_visible()
                expect(page.get_by_text(chosen.person.display_name).first).to_be_visible()
        broken = matching.team_rule_breaks(
            _team_coops(project),
            team_size=project.roles.count(),
            min_coops=project.min_coops,
            max_per_coop=project.max_per_coop,
        )
        assert broken == set(), f"{project} breaks {broken}"
        assert "min_coops" not in run.result["dropped"]
    assert any(RARE_ROLE in line for line in figures), "the demo keeps its one unfillable role"
    print("\nPeople proposed per role of each demo project:\n  " + "\n  ".join(figures))


@pytest.fixture
def own_project():
    """A copy of the demo's "Patio upkeep" (its circle, its roles) for this journey alone;
    removed afterwards, with the account the invitee made."""
    upkeep = Project.objects.get(name="Patio upkeep")
    coordinator = User.objects.get(email=DEMO_COORDINATOR)
    roles = [
        {
            "title": role.title,
            "phase": role.phase,
            "hours_per_week": role.hours_per_week,
            "languages": list(role.languages.all()),
            "skills": [
                {"skill": s.skill, "min_level": s.min_level, "weight": s.weight}
                for s in role.skills.all()
            ],
        }
        for role in upkeep.roles.order_by("position", "id")
    ]
    project = project_create(
        actor=coordinator,
        circle=upkeep.circle,
        data={
            "name": "Patio upkeep, second team",
            "phase": upkeep.phase,
            "description": "A journey's own project.",
            "lead_coop": upkeep.lead_coop,
            "start_date": upkeep.start_date,
        },
        roles=roles,
    )
    invited_before = set(Invitation.objects.values_list("pk", flat=True))
    yield project
    new_invitations = Invitation.objects.exclude(pk__in=invited_before)
    people = list(new_invitations.values_list("person_id", flat=True))
    User.objects.filter(person__pk__in=people).delete()  # their person stays, account-less
    new_invitations.delete()
    Project.objects.filter(pk=project.pk).delete()


def test_an_invitee_without_an_account_joins_through_the_emailed_link_and_the_seat_is_accepted(
    page: Page, log_in_as, demo_worker, own_project, new_context
):
    project = own_project
    log_in_as(page, DEMO_COORDINATOR)
    _match_in_the_browser(page, project)
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("are invited")).to_be_visible()

    seat = (
        TeamMembership.objects.filter(project=project, person__user__isnull=True)
        .select_related("person", "role")
        .first()
    )
    assert seat is not None and seat.status == TeamMembership.Status.INVITED
    email = seat.person.contact_email
    invitees = {
        m.person.contact_email or m.person.user.email
        for m in project.memberships.select_related("person__user")
    }
    _wait_for_mail(lambda: invitees <= {to for m in mail.outbox for to in m.to})
    message = next(m for m in mail.outbox if m.to == [email])
    # The email names the configured site; the journey follows its path on the live server.
    link = re.search(r"https?://\S+?(/join/\S+/)", message.body).group(1)

    visitor = new_context().new_page()
    visitor.goto(link)
    expect(visitor.get_by_text(f"as {seat.role.title}")).to_be_visible()
    visitor.get_by_role("link", name="Create my account").click()
    # By field name: the signup page follows the browser's language.
    visitor.locator("input[name=email]").fill(email)
    visitor.locator("input[name=password1]").fill(NEW_PASSWORD)
    visitor.locator("input[name=password2]").fill(NEW_PASSWORD)
    visitor.locator("main form button[type=submit]").click()
    # Logged in, in their own language: their teams list the project.
    visitor.wait_for_url(re.compile(r"/$"))
    visitor.goto("/projects/mine/")
    expect(visitor.get_by_role("link", name=project.name)).to_be_visible()
    seat.refresh_from_db()
    seat.person.refresh_from_db()
    assert seat.status == TeamMembership.Status.ACCEPTED
    assert seat.person.user.email == email  # the same person, now with an account

    # The link works once.
    visitor.context.clear_cookies()
    response = visitor.goto(link)
    assert response.status == 410


def _wait_for_mail(done, seconds: float = 20.0) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "the invitation emails did not go out"
        time.sleep(0.2)
