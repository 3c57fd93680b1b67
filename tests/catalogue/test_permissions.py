"""Who may do what in the technology catalogue, through the pages and the API.

Each role lists its own co-op (a network admin lists Camplight). Columns: `visitor`; `member` (a person of the network, no co-op admin, not the adder);
`adder` (the member who added the entry); `maker_admin` (an admin of the co-op that makes
it); `coop_admin` (an admin of Camplight, which makes nothing here: they list Camplight as a
provider or user); `network_admin`; tokens of `coop_admin`. The entry acted on is published;
a draft is read by people of the network only. Every refused write leaves the database as it
was, with no audit event.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from catalogue import services
from catalogue.models import MaintenanceContact, Provider, Software, SoftwareUse
from tests import matrix
from tests.factories import OrganisationFactory, PersonFactory
from tests.matrix import LOGIN, SAVED, TOKEN_ROLES

ROLES = ("visitor", "member", "adder", "maker_admin", "coop_admin", "network_admin", *TOKEN_ROLES)

#                             visitor member adder maker-a coop-a n-admin tok-r tok-w
MATRIX = {
    "page: read entry": (200, 200, 200, 200, 200, 200, 200, 200),
    "page: read draft": (404, 200, 200, 200, 200, 200, 404, 404),
    "api: read entry": (200, 200, 200, 200, 200, 200, 200, 200),
    "api: read draft": (404, 200, 200, 200, 200, 200, 200, 200),
    "page: open new form": (LOGIN, 200, 200, 200, 200, 200, LOGIN, LOGIN),
    "page: add entry": (LOGIN, SAVED, SAVED, SAVED, SAVED, SAVED, LOGIN, LOGIN),
    "api: add entry": (401, 201, 201, 201, 201, 201, 403, 201),
    "page: open edit form": (LOGIN, 403, 200, 200, 403, 200, LOGIN, LOGIN),
    "page: edit entry": (LOGIN, 403, SAVED, SAVED, 403, SAVED, LOGIN, LOGIN),
    "api: edit entry": (401, 403, 200, 200, 403, 200, 403, 403),
    "page: list coop as provider": (LOGIN, 403, 403, SAVED, SAVED, 403, LOGIN, LOGIN),
    "api: list coop as provider": (401, 403, 403, 200, 200, 200, 403, 200),
    "page: list coop as user": (LOGIN, 403, 403, SAVED, SAVED, 403, LOGIN, LOGIN),
    "api: list coop as user": (401, 403, 403, 200, 200, 200, 403, 200),
    "api: remove coop's use": (401, 403, 403, 403, 200, 200, 403, 200),
    "page: import publiccode": (LOGIN, SAVED, SAVED, SAVED, SAVED, SAVED, LOGIN, LOGIN),
    "api: publiccode.yml": (200, 200, 200, 200, 200, 200, 200, 200),
    "api: publiccode.yml of draft": (404, 200, 200, 200, 200, 200, 200, 200),
    "api: json-ld": (200, 200, 200, 200, 200, 200, 200, 200),
    "api: json-ld of draft": (404, 404, 404, 404, 404, 404, 404, 404),
    # A person names themselves; a network admin's account here has no person.
    "page: name me a contact": (LOGIN, SAVED, SAVED, SAVED, SAVED, 403, LOGIN, LOGIN),
    "page: take a contact off": (LOGIN, 403, SAVED, SAVED, 403, SAVED, LOGIN, LOGIN),
    "api: name me a contact": (401, 200, 200, 200, 200, 403, 403, 200),
    "api: name someone else a contact": (401, 403, 403, 403, 403, 200, 403, 403),
    "api: take a contact off": (401, 403, 200, 200, 403, 200, 403, 403),
}
READS = {
    "api: publiccode.yml",
    "api: publiccode.yml of draft",
    "api: json-ld",
    "api: json-ld of draft",
    "page: read entry",
    "page: read draft",
    "api: read entry",
    "api: read draft",
    "page: open new form",
    "page: open edit form",
}

PUBLICCODE = """publiccodeYmlVersion: "0.4"
name: Matrix Import
url: "https://git.example.coop/matrix-import.git"
platforms: [web]
developmentStatus: beta
softwareType: standalone/web
description:
  en:
    shortDescription: Made by the matrix.
    longDescription: Made by the matrix.
    features: [Permissions]
legal: {license: MIT}
maintenance: {type: community, contacts: [{name: Neo}]}
localisation: {localisationReady: false, availableLanguages: [en]}
"""


@dataclass(kw_only=True)
class World(matrix.Cast):
    entry: Software
    draft: Software
    coop_slug: str
    outsider_id: int  # a person of the maker co-op none of the roles is


@pytest.fixture
def world(coop, coop_admin, member, colleague, network_admin, membership_function) -> World:
    maker = OrganisationFactory(name="Maker Co-op", slug="maker-coop")
    maker_admin = PersonFactory(organisation=maker, is_coop_admin=True)
    entry = services.software_create(
        actor=colleague.user,
        data={
            "name": "Civi Members",
            "summary": "Members.",
            "licence": "AGPL-3.0-or-later",
            "features": ["Member register"],
            "status": "published",
        },
        m2m={"categories": [membership_function], "makers": [maker]},
    )
    draft = services.software_create(
        actor=colleague.user, data={"name": "Quiet Draft", "summary": "Soon.", "licence": "MIT"}
    )
    services.use_save(
        actor=coop_admin.user,
        software=entry,
        organisation=coop,
        data={"use_case": "Our members", "rating": 4},
    )
    maintainer = PersonFactory(organisation=maker, display_name="Mae Maintainer")
    services.contact_add(actor=maintainer.user, software=entry, person=maintainer)
    outsider = PersonFactory(organisation=maker, display_name="Ola Outsider")
    return World(
        entry=entry,
        draft=draft,
        coop_slug=coop.slug,
        outsider_id=outsider.pk,
        users={
            "member": member.user,
            "adder": colleague.user,
            "maker_admin": maker_admin.user,
            "coop_admin": coop_admin.user,
            "network_admin": network_admin,
        },
        secrets=matrix.api_tokens(user=coop_admin.user),
    )


def _entry_form(**changes) -> dict:
    return {
        "name": "Civi Members",
        "summary": "Members, changed by the matrix.",
        "licence": "AGPL-3.0-or-later",
        "maturity": "stable",
        "features": "Member register",
        "status": "published",
        "categories": ["1"],
    } | changes


def _run(action: str, world: World, role: str) -> matrix.Outcome:
    page, api = world.clients(role)
    slug = world.entry.slug
    own = world.coop_slug
    if role == "maker_admin":
        own = "maker-coop"
    match action:
        case "page: read entry":
            return matrix.outcome(page.get(f"/catalogue/{slug}/"))
        case "page: read draft":
            return matrix.outcome(page.get(f"/catalogue/{world.draft.slug}/"))
        case "api: read entry":
            return api.get(f"/api/v1/software/{slug}/").status_code
        case "api: read draft":
            return api.get(f"/api/v1/software/{world.draft.slug}/").status_code
        case "page: open new form":
            return matrix.outcome(page.get(reverse("catalogue:new")))
        case "page: add entry":
            data = _entry_form(name="Matrix Entry", status="draft")
            data["categories"] = [str(world.entry.categories.first().pk)]
            return matrix.outcome(page.post(reverse("catalogue:new"), data))
        case "api: add entry":
            body = {"name": "Matrix Entry", "summary": "By the matrix.", "licence": "MIT"}
            return api.post("/api/v1/software/", body, format="json").status_code
        case "page: open edit form":
            return matrix.outcome(page.get(reverse("catalogue:edit", args=[slug])))
        case "page: edit entry":
            data = _entry_form(slug=slug)
            data["categories"] = [str(world.entry.categories.first().pk)]
            data["makers"] = [str(m.pk) for m in world.entry.makers.all()]
            return matrix.outcome(page.post(reverse("catalogue:edit", args=[slug]), data))
        case "api: edit entry":
            body = {"summary": "Changed by the matrix."}
            return api.patch(f"/api/v1/software/{slug}/", body, format="json").status_code
        case "page: list coop as provider":
            data = {"services": ["host"], "currency": "EUR", "rate_unit": "hour"}
            return matrix.outcome(page.post(reverse("catalogue:provider", args=[slug]), data))
        case "api: list coop as provider":
            body = {"organisation": {"slug": own}, "services": ["support"]}
            return api.post(f"/api/v1/software/{slug}/providers/", body, format="json").status_code
        case "page: list coop as user":
            data = {"use_case": "Changed by the matrix", "rating": "5"}
            return matrix.outcome(page.post(reverse("catalogue:use", args=[slug]), data))
        case "api: list coop as user":
            body = {"organisation": {"slug": own}, "use_case": "By the matrix", "rating": 2}
            return api.post(f"/api/v1/software/{slug}/uses/", body, format="json").status_code
        case "api: remove coop's use":
            body = {"organisation": {"slug": world.coop_slug}}
            url = f"/api/v1/software/{slug}/uses/remove/"
            return api.post(url, body, format="json").status_code
        case "page: import publiccode":
            from django.core.files.uploadedfile import SimpleUploadedFile

            upload = SimpleUploadedFile("publiccode.yml", PUBLICCODE.encode())
            return matrix.outcome(page.post(reverse("catalogue:import"), {"file": upload}))
        case "api: publiccode.yml":
            return api.get(f"/api/v1/software/{slug}/publiccode/").status_code
        case "api: publiccode.yml of draft":
            return api.get(f"/api/v1/software/{world.draft.slug}/publiccode/").status_code
        case "api: json-ld":
            return api.get(f"/api/v1/software/{slug}/jsonld/").status_code
        case "api: json-ld of draft":
            return api.get(f"/api/v1/software/{world.draft.slug}/jsonld/").status_code
        case "page: name me a contact":
            return matrix.outcome(page.post(reverse("catalogue:contact", args=[slug])))
        case "page: take a contact off":
            maintainer = world.entry.contacts.get().person_id
            url = reverse("catalogue:contact_remove", args=[slug])
            return matrix.outcome(page.post(url, {"person": maintainer}))
        case "api: name me a contact":
            return api.post(f"/api/v1/software/{slug}/contacts/", {}, format="json").status_code
        case "api: name someone else a contact":
            body = {"person": {"id": world.outsider_id}}
            return api.post(f"/api/v1/software/{slug}/contacts/", body, format="json").status_code
        case "api: take a contact off":
            body = {"person": {"id": world.entry.contacts.get().person_id}}
            url = f"/api/v1/software/{slug}/contacts/remove/"
            return api.post(url, body, format="json").status_code
    raise AssertionError(action)


def _snapshot() -> dict:
    return {
        "software": list(Software.objects.order_by("pk").values()),
        "providers": list(Provider.objects.order_by("pk").values()),
        "uses": list(SoftwareUse.objects.order_by("pk").values()),
        "contacts": list(MaintenanceContact.objects.order_by("pk").values()),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, role) == expected
