"""Journey: projects have pages. The demo coordinator starts a standalone project, moves it to
the design phase and adds a role; then, on an opportunity of their circle whose team has one
seat accepted and one still empty, "staffed" is refused until they close staffing with the
empty role recorded as unfilled, and that record shows on the opportunity and on its project.

The demo coordinator reads the site in Spanish: the journey finds controls by their names and
addresses, and checks what a person relies on (the data on the page), not the wording.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from accounts.models import User
from members.demo_data import DEMO_PASSWORD
from members.models import Person
from projects.models import Opportunity, Project, TeamMembership
from projects.services.opportunities import opportunity_create
from projects.services.staffing import membership_respond
from projects.services.teams import project_from_opportunity
from tests.journeys.conftest import DEMO_COORDINATOR

S = Opportunity.Status


def _log_in(page: Page, email: str) -> None:
    """The login page in whatever language the account reads the site in."""
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("form[action='/accounts/logout/']")).to_be_attached()


@pytest.fixture
def owned():
    """What this journey creates, removed afterwards: the demo stays as other journeys meet it."""
    made = {"projects": [], "opportunities": []}
    yield made
    Project.objects.filter(pk__in=made["projects"]).delete()
    Opportunity.objects.filter(pk__in=made["opportunities"]).delete()


def test_the_coordinator_starts_a_project_changes_its_phase_and_adds_a_role(page: Page, owned):
    name = f"Shared calendar {uuid.uuid4().hex[:6]}"
    _log_in(page, DEMO_COORDINATOR)

    page.goto("/projects/")
    page.locator("a[href='/projects/new/']").click()
    page.locator("select[name=circle]").select_option(label="Job opportunities")
    page.locator("input[name=name]").fill(name)
    page.locator("textarea[name=description]").fill("A calendar the member co-ops share.")
    page.locator("select[name=phase]").select_option("idea")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/projects/\d+/roles/$"))
    project = Project.objects.get(name=name)
    owned["projects"].append(project.pk)
    assert project.opportunity is None and project.phase == "idea"
    assert project.leads.filter(user__email=DEMO_COORDINATOR).exists()

    page.goto(project.get_absolute_url())
    page.locator(f"a[href='/projects/{project.pk}/edit/']").click()
    page.locator("select[name=phase]").select_option("design")
    page.locator("select[name=status]").select_option("active")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    project.refresh_from_db()
    assert (project.phase, project.status) == ("design", "active")
    with translation.override(project.leads.get().language):  # in the reader's language
        design = str(Project.Phase.DESIGN.label)
    expect(page.locator("main .meta").first).to_contain_text(design)

    page.locator(f"a[href='/projects/{project.pk}/roles/']").first.click()
    page.locator("input[name=new-title]").fill("Calendar developer")
    page.locator("select[name=new-phase]").select_option("development")
    page.locator("input[name=new-hours_per_week]").fill("10")
    page.locator("main form:has(input[name=new-title]) button[type=submit]").click()

    expect(page.locator(".card h2", has_text="Calendar developer")).to_be_visible()
    assert list(project.roles.values_list("title", "phase", "hours_per_week")) == [
        ("Calendar developer", "development", 10)
    ]
    page.goto(project.get_absolute_url())
    expect(page.locator("#team-heading + table")).to_contain_text("Calendar developer")


def test_staffed_is_refused_while_a_role_is_empty_and_closing_records_it(page: Page, owned):
    coordinator = User.objects.get(email=DEMO_COORDINATOR)
    circle = coordinator.person.circle_memberships.get(
        role="coordinator", circle__slug="job-opportunities"
    ).circle
    opportunity = opportunity_create(
        actor=coordinator,
        circle=circle,
        data={
            "title": f"Journey: website for a bakery {uuid.uuid4().hex[:6]}",
            "description": "A small website.",
            "visibility": "members",
        },
        roles=[
            {"title": "Web developer", "hours_per_week": 10, "skills": []},
            {"title": "Photographer", "hours_per_week": 4, "skills": []},
        ],
    )
    owned["opportunities"].append(opportunity.pk)
    # Matching ran and the invitations went out (written directly: the journey is what follows).
    Opportunity.objects.filter(pk=opportunity.pk).update(status=S.MATCHING)
    opportunity.refresh_from_db()
    project = project_from_opportunity(actor=coordinator, opportunity=opportunity)
    owned["projects"].append(project.pk)
    Opportunity.objects.filter(pk=opportunity.pk).update(status=S.TEAM_PROPOSED)
    invitee = (
        Person.objects.filter(user__isnull=False).exclude(user=coordinator).order_by("pk").first()
    )
    seat = TeamMembership.objects.create(
        project=project,
        role=project.roles.get(title="Web developer"),
        person=invitee,
        status=TeamMembership.Status.INVITED,
        hours_per_week=10,
    )
    membership_respond(actor=invitee.user, membership=seat, accept=True)

    _log_in(page, DEMO_COORDINATOR)
    page.goto(opportunity.get_absolute_url())
    staffed = page.locator("form.unfilled-close:has(input[name=to_status][value=staffed])")
    expect(staffed.locator("li")).to_have_text(["Photographer"])

    staffed.locator("button[type=submit]").click()  # without saying the role stays unfilled
    expect(page.locator(".errorlist[role=alert]")).to_contain_text("Photographer")
    opportunity.refresh_from_db()
    assert opportunity.status == S.TEAM_PROPOSED

    page.goto(opportunity.get_absolute_url())
    staffed.locator("input[name=leave_unfilled]").check()
    staffed.locator("input[name=note]").fill("The bakery opens next week.")
    staffed.locator("button[type=submit]").click()

    opportunity.refresh_from_db()
    assert opportunity.status == S.STAFFED
    step = opportunity.transitions.get(to_status=S.STAFFED)
    assert [role["title"] for role in step.unfilled_roles] == ["Photographer"]
    expect(page.locator("#history-heading + ol .unfilled")).to_contain_text("Photographer")
    page.goto(project.get_absolute_url())
    expect(page.locator("section[aria-labelledby=unfilled-heading] li")).to_have_text(
        ["Photographer"]
    )
