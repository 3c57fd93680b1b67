"""What the API serves, as the changes feed names it: each model behind a list endpoint, with its
path under /api/v1/, the key the API addresses one by, and who may learn that one was deleted.

A tombstone must not tell a caller about something it could not have seen: the audience is
decided just before the row goes, with the same selectors the API reads through, asked as a
visitor would be. What a visitor could see is public; the rest is for members, and tokens and
requests for help (for their owners and triagers) are private. tests/api/test_sync.py checks that
every list endpoint's model is here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet

from accounts.models import ApiToken
from assemblies.models import ActionItem, AgendaItem, Assembly, CircleUpdate, Correction, Decision
from casestudies.models import CaseStudy
from casestudies.selectors import case_studies_visible_to
from catalogue.models import Software
from catalogue.selectors import software_visible_to
from circles.models import Circle, CircleMembership
from circles.selectors import circle_memberships
from fund.models import Budget, Contribution, PayoutClaim, Pledge
from hub.models import Guide, LearningPath
from hub.selectors import guides_visible_to
from intake.models import HelpRequest
from members.models import Organisation, Person, Skill
from members.selectors import organisations_visible_to, people_visible_to
from policies.models import Amendment, Policy
from policies.selectors import visible_policies
from polls.models import Poll
from projects.models import Opportunity, Project, TeamMembership, TeamRole
from projects.selectors.opportunities import opportunities_visible_to
from projects.selectors.teams import projects_visible_to, team_memberships, team_roles
from sync.models import Tombstone
from webhooks.models import Subscription

# (audience, the one user who may also see a private tombstone)
Audience = tuple[str, int | None]


@dataclass(frozen=True)
class Resource:
    name: str
    lookup: str
    audience: Callable[[Any], Audience]

    def key(self, obj: Model) -> str:
        return str(getattr(obj, self.lookup))


def _always(audience: str) -> Callable[[Any], Audience]:
    return lambda obj: (audience, None)


def _public_if_visitors_see(
    selector: Callable[[Any], QuerySet[Any]],
) -> Callable[[Any], Audience]:
    def audience(obj: Model) -> Audience:
        seen = selector(AnonymousUser()).filter(pk=obj.pk).exists()
        return (Tombstone.Audience.PUBLIC if seen else Tombstone.Audience.MEMBERS, None)

    return audience


def _owner(obj: ApiToken) -> Audience:
    return (Tombstone.Audience.PRIVATE, obj.user_id)


def _token_owner(obj: Subscription) -> Audience:
    return (Tombstone.Audience.PRIVATE, obj.token.user_id)


PUBLIC = _always(Tombstone.Audience.PUBLIC)
MEMBERS = _always(Tombstone.Audience.MEMBERS)
PRIVATE = _always(Tombstone.Audience.PRIVATE)

RESOURCES: dict[type[Model], Resource] = {
    ApiToken: Resource("tokens", "id", _owner),
    Organisation: Resource(
        "organisations", "slug", _public_if_visitors_see(organisations_visible_to)
    ),
    Person: Resource("people", "id", _public_if_visitors_see(people_visible_to)),
    Skill: Resource("skills", "slug", PUBLIC),
    Circle: Resource("circles", "slug", PUBLIC),
    CircleMembership: Resource(
        "circle-memberships", "id", _public_if_visitors_see(circle_memberships)
    ),
    Opportunity: Resource("opportunities", "id", _public_if_visitors_see(opportunities_visible_to)),
    Project: Resource("projects", "id", _public_if_visitors_see(projects_visible_to)),
    TeamRole: Resource("team-roles", "id", _public_if_visitors_see(team_roles)),
    TeamMembership: Resource("team-memberships", "id", _public_if_visitors_see(team_memberships)),
    HelpRequest: Resource("help-requests", "id", PRIVATE),
    Software: Resource("software", "slug", _public_if_visitors_see(software_visible_to)),
    CaseStudy: Resource("case-studies", "slug", _public_if_visitors_see(case_studies_visible_to)),
    Assembly: Resource("assemblies", "id", MEMBERS),
    AgendaItem: Resource("agenda-items", "id", MEMBERS),
    CircleUpdate: Resource("circle-updates", "id", MEMBERS),
    Decision: Resource("decisions", "id", MEMBERS),
    ActionItem: Resource("action-items", "id", MEMBERS),
    Correction: Resource("corrections", "id", MEMBERS),
    Policy: Resource("policies", "slug", _public_if_visitors_see(visible_policies)),
    Amendment: Resource("amendments", "id", MEMBERS),
    Poll: Resource("polls", "id", MEMBERS),
    Contribution: Resource("fund/contributions", "id", MEMBERS),
    Pledge: Resource("fund/pledges", "id", MEMBERS),
    Budget: Resource("fund/budgets", "id", MEMBERS),
    PayoutClaim: Resource("fund/claims", "id", MEMBERS),
    Guide: Resource("guides", "slug", _public_if_visitors_see(guides_visible_to)),
    LearningPath: Resource("learning-paths", "slug", PUBLIC),
    Subscription: Resource("webhooks/subscriptions", "id", _token_owner),
    # Ledger entries are never deleted (a database trigger refuses it): no tombstones.
}

RESOURCE_NAMES = sorted(resource.name for resource in RESOURCES.values())


def register_resource(model: type[Model], resource: Resource) -> Resource:
    """For an app above sync (offers): its list endpoint's model, tracked like the ones above,
    from its AppConfig.ready. Registering it again changes nothing."""
    from django.db.models.signals import post_delete, pre_delete

    from sync import services

    RESOURCES[model] = resource
    if resource.name not in RESOURCE_NAMES:
        RESOURCE_NAMES.append(resource.name)
        RESOURCE_NAMES.sort()
    pre_delete.connect(services.on_pre_delete, sender=model, dispatch_uid="sync-pre")
    post_delete.connect(services.on_post_delete, sender=model, dispatch_uid="sync-post")
    return resource


public_if_visitors_see = _public_if_visitors_see
