"""Who may read, add and update a policy's translations, through the pages and the API.

Whoever may propose amendments may translate: any person of the network, for any policy they
can read, and they may update any translation, not only their own (a translation binds nothing,
and the audit log keeps who changed what). Visitors read public policies in every language and
never write; a network admin has no person to sign a translation with, as for amendments.

`translator` made the Spanish translation; `member` and `owner` (a coordinator of the owning
circle) did not. Token roles send `Authorization: Bearer …` for tokens of `member`: pages ignore
tokens, so there a token holder is a visitor. Cells: a status code, LOGIN (sent to the login
page) or SAVED (the page saved and redirected). Every refused write leaves the database as it
was, with no audit event.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from policies import services
from policies.models import Policy, PolicyTranslation
from tests import matrix
from tests.matrix import LOGIN, SAVED, TOKEN_ROLES
from tests.policies.factories import PolicyVersionFactory

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "translator", "member", "owner", "network_admin", *TOKEN_ROLES)

#                                  visitor translator member owner n-admin tok-r tok-w
MATRIX = {
    "page: public policy in Spanish": (200, 200, 200, 200, 200, 200, 200),
    "page: members-only policy in Spanish": (404, 200, 200, 200, 200, 404, 404),
    "page: open the new translation form": (LOGIN, 200, 200, 200, 403, LOGIN, LOGIN),
    "page: add a translation": (LOGIN, SAVED, SAVED, SAVED, 403, LOGIN, LOGIN),
    "page: add to a members-only policy": (LOGIN, SAVED, SAVED, SAVED, 403, LOGIN, LOGIN),
    "page: open the update form": (LOGIN, 200, 200, 200, 403, LOGIN, LOGIN),
    "page: update a translation": (LOGIN, SAVED, SAVED, SAVED, 403, LOGIN, LOGIN),
    "api: read the translations": (200, 200, 200, 200, 200, 200, 200),
    "api: members-only policy's translations": (404, 200, 200, 200, 200, 200, 200),
    "api: add a translation": (401, 201, 201, 201, 403, 403, 201),
    "api: update a translation": (401, 200, 200, 200, 403, 403, 200),
}

READS = {
    "page: public policy in Spanish",
    "page: members-only policy in Spanish",
    "page: open the new translation form",
    "page: open the update form",
    "api: read the translations",
    "api: members-only policy's translations",
}


@dataclass(kw_only=True)
class World(matrix.Cast):
    public_policy: Policy
    policy: Policy
    spanish: PolicyTranslation


@pytest.fixture
def world(member, colleague, owner, network_admin, policy, public_policy) -> World:
    for translated in (public_policy, policy):
        services.translation_add(
            actor=member.user,
            policy=translated,
            language="es",
            title="Traducción",
            text="Texto traducido.",
        )
    # The original moved on: updating is what brings the translation back to it.
    PolicyVersionFactory(policy=public_policy, number=2, text="Feedback is kind and soon.")
    return World(
        public_policy=public_policy,
        policy=policy,
        spanish=PolicyTranslation.objects.get(policy=public_policy, language="es"),
        users={
            "translator": member.user,
            "member": colleague.user,
            "owner": owner.user,
            "network_admin": network_admin,
        },
        secrets=matrix.api_tokens(user=colleague.user),
    )


def _snapshot() -> tuple:
    return tuple(
        PolicyTranslation.objects.order_by("pk").values_list(
            "pk", "language", "title", "text", "source_version_id", "translator_id"
        )
    )


FRENCH = {"language": "fr", "title": "Retours", "text": "Les retours sont bienveillants."}
UPDATE = {"title": "Pautas", "text": "La retroalimentación es amable y pronta."}


def _run(action: str, world: World, role: str) -> matrix.Outcome:
    page, api = world.clients(role)
    public, members_only = world.public_policy.slug, world.policy.slug
    match action:
        case "page: public policy in Spanish":
            url = reverse("policies:policy", args=[public])
            return matrix.outcome(page.get(url, {"language": "es"}))
        case "page: members-only policy in Spanish":
            url = reverse("policies:policy", args=[members_only])
            return matrix.outcome(page.get(url, {"language": "es"}))
        case "page: open the new translation form":
            return matrix.outcome(page.get(reverse("policies:translation_new", args=[public])))
        case "page: add a translation":
            url = reverse("policies:translation_new", args=[public])
            return matrix.outcome(page.post(url, FRENCH))
        case "page: add to a members-only policy":
            url = reverse("policies:translation_new", args=[members_only])
            return matrix.outcome(page.post(url, FRENCH))
        case "page: open the update form":
            url = reverse("policies:translation_edit", args=[public, "es"])
            return matrix.outcome(page.get(url))
        case "page: update a translation":
            url = reverse("policies:translation_edit", args=[public, "es"])
            return matrix.outcome(page.post(url, UPDATE))
        case "api: read the translations":
            response = api.get(reverse("api:policy-detail", args=[public]))
            assert response.status_code != 200 or response.json()["translations"]
            return response.status_code
        case "api: members-only policy's translations":
            return api.get(reverse("api:policy-detail", args=[members_only])).status_code
        case "api: add a translation":
            url = reverse("api:policy-translate", args=[public])
            return _api_post(api, url, FRENCH)
        case "api: update a translation":
            url = reverse("api:policy-update-translation", args=[public, "es"])
            return _api_post(api, url, UPDATE)
    raise AssertionError(action)


def _api_post(api, url: str, body: dict) -> int:
    response = api.post(url, body, format="json")
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/problem+json")
    return response.status_code


@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, role) == expected


def test_an_update_moves_the_translation_to_the_current_version_whoever_made_it(world, colleague):
    """Not only its translator: the member who updates it becomes its translator."""
    page, _api = world.clients("member")
    page.post(reverse("policies:translation_edit", args=[world.public_policy.slug, "es"]), UPDATE)
    world.spanish.refresh_from_db()
    assert (world.spanish.source_version.number, world.spanish.translator) == (2, colleague)
