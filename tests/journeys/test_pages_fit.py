"""The key pages fit a phone and a desktop, and pass axe-core (issue 17).

Over the demo network, as a visitor (the public pages and login), as the demo member, as the
demo coordinator on the run page of the assembly she facilitates and on the forms she fills,
as the demo admin creating a circle, and as the demo network admin on the styleguide (every
component on one page), at 390x844 and at 1280x800, each page must:

- not scroll sideways: `document.documentElement.scrollWidth <= window.innerWidth`;
- show its `h1` on the first screen: the heading's top is above the bottom of the viewport;
- pass axe-core (tests/browser/vendor/axe-core) for WCAG 2.0, 2.1 and 2.2 A and AA.

A failure lists everything wrong with the page at once: the overflow with the outermost elements
that stick out, where the heading is, and each axe rule with its first targets.

One browser context per role and viewport, kept for the module and logged in once, so the whole
file takes about a minute. The pages are read, never changed: the objects are the demo's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, Route

from assemblies import selectors as assembly_selectors
from assemblies.demo import TODAY_TITLE
from casestudies.models import CaseStudy, ProjectSoftware
from circles import selectors as circle_selectors
from discussions.models import Thread
from feedback.models import FeedbackRequest
from intake.demo import FROM_CATALOGUE
from intake.models import HelpRequest
from intake.views import thanks_address
from mediation.models import Case
from members import selectors as member_selectors
from members.models import Organisation
from offers import selectors as offer_selectors
from policies import selectors as policy_selectors
from polls.models import Poll
from projects import permissions as project_permissions
from projects.models import Opportunity, Project
from projects.selectors import opportunities as opportunity_selectors
from projects.selectors import teams as team_selectors
from tests.browser.conftest import TIMEOUT_MS
from tests.journeys.conftest import DEMO_ADMIN, DEMO_COORDINATOR, DEMO_MEMBER

pytestmark = pytest.mark.browser

AXE = Path(__file__).parents[1] / "browser" / "vendor" / "axe-core" / "axe.min.js"
# Served from the site's own origin (see `_serve_axe`): the Content-Security-Policy allows
# scripts from 'self' only, so an inline copy would be refused, and bypassing the policy would
# test a page the browser never shows anyone.
AXE_URL = "/__tests__/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
VISITOR, MEMBER, COORDINATOR, ADMIN = "visitor", "member", "coordinator", "admin"
ACCOUNTS = {MEMBER: DEMO_MEMBER, COORDINATOR: DEMO_COORDINATOR, ADMIN: DEMO_ADMIN}

# (page, role): which pages each reader opens. Visitors see the public pages and log in; the
# demo member sees the member's pages; the coordinator runs the assembly she facilitates and opens
# the forms she fills (her co-op, an opportunity, a team's roles); the admin creates a circle and
# opens the styleguide, where every component stands together.
PUBLIC = [
    "home",
    "directory",
    "coop",
    "people",
    "person",
    "circles",
    "circle",
    "opportunities",
    "opportunity",
    "request-help",
    "request-help-thanks",
    "policies",
    "policy",
    "policy-diff",
    "transparency",
    "open-data",
    "hub",
    "guide",
    "learning-path",
    "offers",
    "offer",
    "catalogue",
    "software",
    "compare",
    "case-studies",
    "case-study",
    "hire",
    "discussions",
]
# Most team pages are for members only; issue 17 found the team table 722 px wide on a phone.
MEMBER_PAGES = [
    "team",
    "assemblies",
    "assembly",
    "fund",
    "profile-edit",
    "guide-new",
    "offer-new",
    "offer-searches",
    "offer-search-edit",
    "polls",
    "poll-new",
    "poll-proposal",
    "poll-ranked",
    "poll-time",
    "poll-dot",
    "poll-score",
    "case-study-edit",
    "project-software",
    "discussion",
    "discussion-new",
    "mediation",
    "mediation-new",
    "mediation-case",
    "feedback",
    "feedback-ask",
    "feedback-request",
    "feedback-answer",
    "notifications",
    "email-settings",
]
CASES = [
    *[(name, VISITOR) for name in [*PUBLIC, "login"]],
    *[(name, MEMBER) for name in [*PUBLIC, *MEMBER_PAGES]],
    ("assembly-run", COORDINATOR),
    # The next assembly of the series: delegating a vote, the rotation (the admin confirms it).
    ("assembly-next", MEMBER),
    ("assembly-next", ADMIN),
    ("styleguide", ADMIN),
    # The forms whose long lists are searchable checkboxes (issue 17).
    *[(name, COORDINATOR) for name in ["coop-edit", "opportunity-new", "team-roles"]],
    # The demo coordinator mediates: the queue, and a new case with its forms.
    *[(name, COORDINATOR) for name in ["mediation-queue", "mediation-received"]],
    ("circle-new", ADMIN),
]

# The outermost elements that reach past the right edge of the viewport, outside any scrolling
# or clipping box: what makes the page scroll sideways.
OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const describe = (el) => {
    const parts = [];
    for (let node = el; node && node !== document.body && parts.length < 3;
         node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) part += '#' + node.id;
      else if (node.classList.length) part += '.' + [...node.classList].join('.');
      parts.unshift(part);
      if (node.id) break;
    }
    return parts.join(' > ');
  };
  const clipped = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).overflowX !== 'visible') return true;
    }
    return false;
  };
  const sticksOut = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 0.5;
  };
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticksOut(el) || clipped(el)) continue;
    if (el.parentElement !== document.body && sticksOut(el.parentElement)) continue;
    const box = el.getBoundingClientRect();
    const heading = el.closest('section, article, aside, nav, header, footer, form, main')
      ?.querySelector('h1, h2, h3')?.textContent.trim().slice(0, 40);
    found.push(`${describe(el)}${heading ? ` under "${heading}"` : ''} ` +
               `(${Math.round(box.width)} px wide, right edge at ${Math.round(box.right)} px)`);
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: width,
    culprits: found.slice(0, 6),
  };
}"""

HEADING_JS = """() => {
  const h1 = document.querySelector('h1');
  if (!h1) return null;
  const box = h1.getBoundingClientRect();
  return {top: Math.round(box.top + window.scrollY), text: h1.textContent.trim().slice(0, 60)};
}"""

AXE_JS = """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(
  (results) => ({
    passes: results.passes.length,
    violations: results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((node) => ({
        target: node.target.join(' '),
        html: node.html.replace(/\\s+/g, ' ').slice(0, 100),
      })),
    })),
  })
)"""


@dataclass(frozen=True)
class Reader:
    role: str
    viewport: str


@pytest.fixture(scope="module")
def urls(demo_network, django_db_blocker) -> dict[str, str]:
    """The pages, with objects the demo member and (where public) a visitor can both open."""
    visitor = AnonymousUser()
    with django_db_blocker.unblock():
        member = get_user_model().objects.get(email=DEMO_MEMBER)
        coop = (
            member_selectors.organisation_list(visitor)
            .filter(kind__in=[Organisation.Kind.WORKER_COOP, Organisation.Kind.OTHER_COOP])
            .first()
        )
        person = (
            member_selectors.person_directory(visitor)
            .filter(user__isnull=False)
            .order_by("display_name", "id")
            .first()
        )
        circle = (
            circle_selectors.circle_list(visitor).order_by("-member_count", "name", "id").first()
        )
        opportunity = opportunity_selectors.opportunity_list(visitor).first()
        policy = policy_selectors.policy_index(visitor).filter(current_number__gte=2).first()
        versions = list(policy.versions.order_by("number").values_list("number", flat=True))
        # The active team with the most roles: the widest team table.
        team = (
            team_selectors.project_list(member)
            .filter(status=Project.Status.ACTIVE)
            .annotate(role_count=Count("roles"))
            .order_by("-role_count", "id")
            .first()
        )
        assembly = assembly_selectors.past(member).first()
        coordinator = get_user_model().objects.get(email=DEMO_COORDINATOR)
        coordinators_coop = coordinator.person.organisation
        coordinators_team = next(
            project
            for project in Project.objects.select_related("opportunity").order_by("id")
            if project_permissions.can_edit_project(coordinator, project)
            # A staffed opportunity locks its team's roles: that page has no form to check.
            and getattr(project.opportunity, "status", None) != Opportunity.Status.STAFFED
        )
        today = assembly_selectors.upcoming(member).filter(title=TODAY_TITLE).first()
        following = (
            assembly_selectors.upcoming(member)
            .filter(series__isnull=False, status="planned")
            .first()
        )
        offer = offer_selectors.post_list(visitor).first()
        asked_from_catalogue = HelpRequest.objects.get(organisation_name=FROM_CATALOGUE)
        assert asked_from_catalogue.providers.exists()
        led = CaseStudy.objects.get(slug="decision-making-tools-for-a-federation").project
        assert ProjectSoftware.objects.filter(project=led).exists()
        own_search = offer_selectors.saved_searches_of(member).first()
        polls = {p.kind: p for p in Poll.objects.order_by("-pk")}
        # The pay policy's thread: nested replies, reactions, a hidden comment.
        discussion = (
            Thread.objects.filter(policy__isnull=False).select_related("policy").order_by("id")
        ).first()
        own_case = Case.objects.filter(requester__user=member).order_by("id").first()
        received = (
            Case.objects.filter(state=Case.State.RECEIVED)
            .exclude(requester__user=coordinator)
            .exclude(involved__user=coordinator)
            .order_by("id")
            .first()
        )
        # The demo member's answered request, and the one the coordinator asked of them.
        asked = FeedbackRequest.objects.filter(asker__user__email=DEMO_MEMBER).first()
        to_answer = FeedbackRequest.objects.filter(
            invites__respondent__user__email=DEMO_MEMBER
        ).first()
    assert offer and discussion and own_case and received and asked and to_answer
    assert {"proposal", "ranked", "time", "dot", "score"} <= polls.keys()
    assert coop and person and circle and opportunity and policy and team and assembly and today
    assert following
    return {
        "home": reverse("home"),
        "directory": reverse("members:organisations"),
        "coop": coop.get_absolute_url(),
        "people": reverse("members:people"),
        "person": reverse("members:person", args=[person.pk]),
        "circles": reverse("circles:list"),
        "circle": reverse("circles:circle", args=[circle.slug]),
        "opportunities": reverse("projects:opportunities"),
        "opportunity": reverse("projects:opportunity", args=[opportunity.pk]),
        "request-help": reverse("intake:new"),
        # The page a visitor lands on after asking from an entry: who was told.
        "request-help-thanks": thanks_address(asked_from_catalogue),
        "catalogue": reverse("catalogue:list"),
        "software": reverse("catalogue:software", args=["civicrm"]),
        "compare": reverse("catalogue:compare")
        + "?entries=civicrm&entries=odoo&entries=dolibarr&entries=erpnext",
        "policies": reverse("policies:index"),
        "policy": reverse("policies:policy", args=[policy.slug]),
        "policy-diff": reverse("policies:compare", args=[policy.slug])
        + f"?a={versions[0]}&b={versions[-1]}",
        "transparency": reverse("fund:transparency"),
        "open-data": reverse("opendata:index"),
        "login": reverse("account_login"),
        "team": reverse("projects:project", args=[team.pk]),
        "assemblies": reverse("assemblies:list"),
        "assembly": reverse("assemblies:detail", args=[assembly.pk]),
        "assembly-run": reverse("assemblies:run", args=[today.pk]),
        "assembly-next": reverse("assemblies:detail", args=[following.pk]),
        "fund": reverse("fund:overview"),
        "profile-edit": reverse("members:profile"),
        "styleguide": reverse("styleguide"),
        "coop-edit": reverse("members:organisation_edit", args=[coordinators_coop.slug]),
        "opportunity-new": reverse("projects:opportunity_new"),
        "team-roles": reverse("projects:project_roles", args=[coordinators_team.pk]),
        "circle-new": reverse("circles:new"),
        # The hub's pages: a guide of the demo with its translations, the suggested path.
        "hub": reverse("hub:index"),
        "guide": reverse("hub:guide", args=["consent-decisions-step-by-step"]),
        "learning-path": reverse("hub:path", args=["start-here"]),
        "guide-new": reverse("hub:guide_new"),
        "offers": reverse("offers:board"),
        "offer": offer.get_absolute_url(),
        "offer-new": reverse("offers:new"),
        "offer-searches": reverse("offers:searches"),
        "offer-search-edit": reverse("offers:search_edit", args=[own_search.pk]),
        # The demo's polls: the time poll's week grid turns into a list per day on a phone.
        "polls": reverse("polls:list"),
        "poll-new": reverse("polls:new"),
        **{
            f"poll-{kind}": polls[kind].get_absolute_url()
            for kind in ("proposal", "ranked", "time", "dot", "score")
        },
        # A case study of the demo, and its form for its lead (the demo member).
        "case-studies": reverse("casestudies:list"),
        "case-study": reverse("casestudies:detail", args=["member-portal-for-vivienda-sur"]),
        "hire": reverse("hire"),
        "case-study-edit": reverse(
            "casestudies:edit", args=["decision-making-tools-for-a-federation"]
        ),
        # The finished project the member led: its software used, with the form to change it.
        "project-software": reverse("projects:project", args=[led.pk]),
        "discussions": reverse("discussions:list"),
        "discussion": discussion.get_absolute_url(),
        "discussion-new": reverse("discussions:new") + f"?policy={discussion.policy.slug}",
        # Conflict resolution: the member's own case, and a received one for a mediator.
        "mediation": reverse("mediation:mine"),
        "mediation-new": reverse("mediation:new"),
        "mediation-case": own_case.get_absolute_url(),
        "mediation-queue": reverse("mediation:queue"),
        "mediation-received": received.get_absolute_url(),
        "feedback": reverse("feedback:list"),
        "feedback-ask": reverse("feedback:ask"),
        "feedback-request": asked.get_absolute_url(),
        "feedback-answer": reverse("feedback:answer", args=[to_answer.pk]),
        # The demo member's notifications (her fitting opportunities) and a choice per kind.
        "notifications": reverse("notifications:list"),
        "email-settings": reverse("members:email_preferences"),
    }


def _serve_axe(route: Route) -> None:
    route.fulfill(path=AXE, content_type="text/javascript")


@pytest.fixture(scope="module")
def readers(browser: Browser, base_url: str) -> Iterator[Callable[[Reader, Any], Page]]:
    """A page per role and viewport, opened (and logged in) the first time it is asked for."""
    contexts: list[BrowserContext] = []
    pages: dict[Reader, Page] = {}

    def _page(reader: Reader, log_in_as: Any) -> Page:
        if reader not in pages:
            context = browser.new_context(base_url=base_url, viewport=VIEWPORTS[reader.viewport])
            context.set_default_timeout(TIMEOUT_MS)
            context.route(f"{base_url}{AXE_URL}", _serve_axe)
            contexts.append(context)
            page = context.new_page()
            if reader.role in ACCOUNTS:
                log_in_as(page, ACCOUNTS[reader.role])
            pages[reader] = page
        return pages[reader]

    yield _page
    for context in contexts:
        context.close()


def _problems(page: Page, viewport: dict[str, int]) -> list[str]:
    problems = []
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow["scrollWidth"] > overflow["innerWidth"]:
        problems.append(
            f"overflow: the page is {overflow['scrollWidth']} px wide in a "
            f"{overflow['innerWidth']} px viewport; sticking out: "
            + ("; ".join(overflow["culprits"]) or "(no element found)")
        )
    heading = page.evaluate(HEADING_JS)
    if heading is None:
        problems.append("heading: the page has no h1")
    elif not page.locator("h1").first.is_visible():
        problems.append(f"heading: the h1 {heading['text']!r} is not visible")
    elif heading["top"] >= viewport["height"]:
        problems.append(
            f"heading: the h1 {heading['text']!r} starts at {heading['top']} px, below the "
            f"first screen ({viewport['height']} px)"
        )
    page.add_script_tag(url=AXE_URL)
    axe = page.evaluate(AXE_JS, AXE_TAGS)
    assert axe["passes"], "axe-core ran no rule: is it injected?"
    for violation in axe["violations"]:
        nodes = violation["nodes"]
        first = "; ".join(f"{node['target']} {node['html']}" for node in nodes[:3])
        more = f" (+{len(nodes) - 3} more)" if len(nodes) > 3 else ""
        problems.append(
            f"axe {violation['id']} ({violation['impact']}): {violation['help']}; "
            f"{len(nodes)} node(s): {first}{more}"
        )
    return problems


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-as-{r}" for n, r in CASES])
def test_the_page_fits_the_screen_and_passes_axe(
    name: str, role: str, viewport: str, urls, readers, log_in_as, base_url
):
    page = readers(Reader(role, viewport), log_in_as)

    response = page.goto(urls[name])

    # The page itself, not a redirect to the login or a 404 page.
    assert response is not None and response.status == 200, (name, urls[name], response)
    assert page.url == f"{base_url}{urls[name]}", (name, urls[name], page.url)
    problems = _problems(page, VIEWPORTS[viewport])
    size = "x".join(str(n) for n in VIEWPORTS[viewport].values())
    assert not problems, f"{name} ({urls[name]}) at {size} as {role}:\n  " + "\n  ".join(problems)
