"""Incremental sync as a partner tool does it: fetch a list once, then only what changed since
(`updated_since`), and learn what was deleted from `/api/v1/changes/`. Every change here goes
through the API or a service, as it would in production; nothing sets `updated_at` itself."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import URLPattern, get_resolver
from django.utils import timezone
from rest_framework.request import Request

from accounts import services as account_services
from accounts.models import ApiToken
from circles.models import CircleMembership
from fund import services as fund_services
from members.models import Person
from patio.sync import sync_field
from privacy import services as privacy_services
from sync.models import Tombstone
from sync.resources import RESOURCES
from sync.tasks import purge_tombstones
from tests.api_helpers import assert_problem, documented_paths
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import OrganisationFactory, PersonFactory, SkillFactory
from tests.matrix import reauthenticated

pytestmark = pytest.mark.django_db

LONG_AGO = "2024-01-15"


def fetch(client, path: str, **params: str) -> list[dict]:
    """Every row of a list, page after page, as a partner's sync loop reads it."""
    query = "&".join(f"{key}={quote(value)}" for key, value in params.items())
    url: str | None = f"{path}?{query}" if query else path
    rows: list[dict] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        rows += body["results"]
        url = body["next"]
    return rows


def checkpoint() -> str:
    """The instant a partner remembers, as it would send it."""
    return timezone.now().isoformat()


@pytest.fixture
def as_admin(api_client, network_admin):
    api_client.force_login(network_admin)
    return api_client


@pytest.fixture
def as_member(api_client, member):
    api_client.force_login(member.user)
    return api_client


# Lists: only what changed ----------------------------------------------------------------------
def test_a_partner_fetches_only_the_organisations_edited_since_its_last_sync(as_admin, coop):
    edited, untouched = OrganisationFactory(name="Edited"), OrganisationFactory(name="Untouched")
    assert {row["slug"] for row in fetch(as_admin, "/api/v1/organisations/")} >= {
        edited.slug,
        untouched.slug,
    }
    since = checkpoint()

    response = as_admin.patch(
        f"/api/v1/organisations/{edited.slug}/", {"short_description": "New words"}, format="json"
    )
    assert response.status_code == 200

    rows = fetch(as_admin, "/api/v1/organisations/", updated_since=since)
    assert [row["slug"] for row in rows] == [edited.slug]
    assert rows[0]["short_description"] == "New words"


def test_a_person_whose_skills_alone_changed_is_fetched_again(as_admin, member):
    skill = SkillFactory(name="Rust")
    since = checkpoint()

    response = as_admin.patch(
        f"/api/v1/people/{member.pk}/",
        {"skills": [{"skill": skill.slug, "level": 3}]},
        format="json",
    )
    assert response.status_code == 200, response.content

    assert [row["id"] for row in fetch(as_admin, "/api/v1/people/", updated_since=since)] == [
        member.pk
    ]


def test_a_membership_ended_through_the_api_is_fetched_again(as_admin, member, colleague):
    circle = CircleFactory(slug="comms")
    ended = CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    CircleMembershipFactory(circle=circle, person=colleague, start_date=LONG_AGO)
    since = checkpoint()

    assert as_admin.post(f"/api/v1/circle-memberships/{ended.pk}/end/", {}).status_code == 200

    rows = fetch(as_admin, "/api/v1/circle-memberships/", updated_since=since)
    assert [(row["id"], row["end_date"] is not None) for row in rows] == [(ended.pk, True)]


def test_an_ended_pledge_is_fetched_again_and_the_others_are_not(api_client, coop, network_admin):
    def pledge():
        return fund_services.pledge_create(
            actor=network_admin,
            organisation=coop,
            amount="10",
            currency="EUR",
            frequency="monthly",
            next_due_on=timezone.now().date(),
        )

    ending, _kept = pledge(), pledge()
    api_client.force_login(network_admin)
    since = checkpoint()

    assert api_client.post(f"/api/v1/fund/pledges/{ending.pk}/end/", {}).status_code == 200

    rows = fetch(api_client, "/api/v1/fund/pledges/", updated_since=since)
    assert [(row["id"], row["active"]) for row in rows] == [(ending.pk, False)]


def test_a_revoked_token_is_fetched_again_by_its_owner(api_client, member):
    token, _secret = account_services.token_create(
        actor=member.user, user=member.user, name="Calendar sync", scope=ApiToken.Scope.WRITE
    )
    account_services.token_create(
        actor=member.user, user=member.user, name="Other", scope=ApiToken.Scope.READ
    )
    since = checkpoint()
    api_client.force_login(member.user)
    reauthenticated(api_client)  # tokens are revoked only from a session that just signed in

    assert api_client.post(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 200

    rows = fetch(api_client, "/api/v1/tokens/", updated_since=since)
    assert [(row["id"], row["revoked_at"] is not None) for row in rows] == [(token.pk, True)]


def test_a_row_changed_in_the_instant_asked_for_is_included(as_admin):
    """`>=`: asking from the last `updated_at` seen never misses a row changed in that same
    instant; the partner gets the last row again and replaces its copy."""
    OrganisationFactory(name="First")
    rows = fetch(as_admin, "/api/v1/organisations/", updated_since="2000-01-01T00:00:00Z")
    last = rows[-1]

    again = fetch(as_admin, "/api/v1/organisations/", updated_since=last["updated_at"])

    assert last["slug"] in [row["slug"] for row in again]


def test_the_list_comes_oldest_change_first_and_its_cursor_follows(as_admin):
    orgs = [OrganisationFactory(name=f"Co-op {n}") for n in range(5)]
    # Changed in another order than they were made: the list follows the changes.
    for org in [orgs[3], orgs[0], orgs[4]]:
        response = as_admin.patch(
            f"/api/v1/organisations/{org.slug}/", {"city": "Bilbao"}, format="json"
        )
        assert response.status_code == 200
    since = "2000-01-01T00:00:00Z"

    rows = fetch(as_admin, "/api/v1/organisations/", updated_since=since, page_size="2")

    stamps = [(row["updated_at"], row["id"]) for row in rows]
    assert stamps == sorted(stamps)
    assert [row["slug"] for row in rows][-3:] == [orgs[3].slug, orgs[0].slug, orgs[4].slug]
    assert len({row["id"] for row in rows}) == len(rows)


def test_a_row_changed_while_the_partner_pages_comes_again_later(as_admin):
    orgs = [OrganisationFactory(name=f"Co-op {n}") for n in range(4)]
    since = "2000-01-01T00:00:00Z"
    first = as_admin.get(f"/api/v1/organisations/?updated_since={since}&page_size=2").json()
    seen = [row["slug"] for row in first["results"]]

    as_admin.patch(f"/api/v1/organisations/{seen[0]}/", {"city": "Lyon"}, format="json")
    rest = fetch(as_admin, first["next"])

    assert rest[-1]["slug"] == seen[0] and rest[-1]["city"] == "Lyon"
    assert {org.slug for org in orgs} <= {*seen, *(row["slug"] for row in rest)}


def test_a_member_only_list_keeps_its_visibility_with_updated_since(api_client):
    response = api_client.get("/api/v1/fund/pledges/?updated_since=2000-01-01T00:00:00Z")
    assert response.status_code == 401


# Bad timestamps ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        "2026-12-01T09:30:00",  # no timezone: which instant?
        "2026-12-01",
        "yesterday",
        "2026-13-01T09:30:00Z",
        "0001-01-01T00:00:00+05:00",  # before the year 1 in UTC
        "2026-12-01T25:00:00Z",
    ],
)
def test_a_timestamp_the_api_cannot_read_is_a_problem(as_admin, value):
    response = as_admin.get(f"/api/v1/organisations/?updated_since={quote(value)}")
    assert "updated_since" in assert_problem(response, 400)["errors"]


def test_a_plus_sent_without_percent_encoding_still_reads_as_an_offset(as_admin, coop):
    response = as_admin.get("/api/v1/organisations/?updated_since=2000-01-01T02:00:00+02:00")
    assert response.status_code == 200
    assert coop.slug in [row["slug"] for row in response.json()["results"]]


def test_updated_since_with_an_ordering_is_a_problem(as_admin):
    response = as_admin.get(
        "/api/v1/organisations/?updated_since=2000-01-01T00:00:00Z&ordering=name"
    )
    assert "ordering" in assert_problem(response, 400)["errors"]


def test_changes_since_an_instant_older_than_the_retention_is_a_problem(api_client):
    too_old = timezone.now() - timedelta(days=settings.API_TOMBSTONE_RETENTION_DAYS + 1)
    response = api_client.get(f"/api/v1/changes/?since={quote(too_old.isoformat())}")
    assert "since" in assert_problem(response, 400)["errors"]
    assert_problem(api_client.get("/api/v1/changes/?since=soon"), 400)


# Deletions --------------------------------------------------------------------------------------
def test_a_deleted_skill_is_in_the_changes_for_everyone(as_admin, api_client):
    skill = SkillFactory(name="Fortran")
    since = checkpoint()

    assert as_admin.delete(f"/api/v1/skills/{skill.slug}/").status_code == 204

    as_admin.logout()
    rows = fetch(api_client, "/api/v1/changes/", since=since)
    assert [(row["resource"], row["object_id"]) for row in rows] == [("skills", "fortran")]


def test_a_removed_membership_of_a_members_only_profile_is_in_the_changes_for_members_only(
    api_client, member, network_admin
):
    circle = CircleFactory(slug="comms")
    api_client.force_login(network_admin)
    added = api_client.post(
        "/api/v1/circle-memberships/",
        {"circle": circle.slug, "person": {"id": member.pk}},
        format="json",
    )
    assert added.status_code == 201
    since = checkpoint()
    # Started today and ended today: it never was, so it is removed rather than ended.
    removed = api_client.post(f"/api/v1/circle-memberships/{added.json()['id']}/end/", {})
    assert removed.status_code == 204
    api_client.logout()

    assert fetch(api_client, "/api/v1/changes/", since=since) == []
    api_client.force_login(member.user)
    rows = fetch(api_client, "/api/v1/changes/", since=since, resource="circle-memberships")
    assert [row["object_id"] for row in rows] == [str(added.json()["id"])]


def test_purged_tokens_are_in_the_changes_of_their_owner_only(api_client, member, colleague):
    token, _secret = account_services.token_create(
        actor=member.user, user=member.user, name="Old", scope=ApiToken.Scope.READ
    )
    account_services.token_revoke(actor=member.user, token=token)
    since = checkpoint()

    later = timezone.now() + timedelta(days=settings.API_TOKEN_RETENTION_DAYS + 1)
    assert account_services.tokens_purge(now=later) == 1

    api_client.force_login(colleague.user)
    assert fetch(api_client, "/api/v1/changes/", since=since, resource="tokens") == []
    api_client.force_login(member.user)
    rows = fetch(api_client, "/api/v1/changes/", since=since, resource="tokens")
    assert [row["object_id"] for row in rows] == [str(token.pk)]


def test_an_erased_person_and_what_went_with_them_are_in_the_changes(
    api_client, coop, network_admin
):
    person = PersonFactory(
        organisation=coop,
        display_name="Pia Public",
        profile_visibility=Person.ProfileVisibility.PUBLIC,
    )
    token, _secret = account_services.token_create(
        actor=person.user, user=person.user, name="Mine", scope=ApiToken.Scope.READ
    )
    since = checkpoint()

    privacy_services.person_erase(actor=person.user, person=person)

    # The profile was public: every partner that copied it is told to drop it.
    rows = fetch(api_client, "/api/v1/changes/", since=since)
    assert [(row["resource"], row["object_id"]) for row in rows] == [("people", str(person.pk))]
    api_client.force_login(network_admin)
    rows = fetch(api_client, "/api/v1/changes/", since=since)
    assert {(row["resource"], row["object_id"]) for row in rows} == {
        ("people", str(person.pk)),
        ("tokens", str(token.pk)),
    }


def test_the_changes_come_oldest_first_and_filter_by_resource(as_admin):
    skills = [SkillFactory(name=f"Skill {n}") for n in range(3)]
    for skill in [skills[2], skills[0], skills[1]]:
        assert as_admin.delete(f"/api/v1/skills/{skill.slug}/").status_code == 204

    rows = fetch(as_admin, "/api/v1/changes/", resource="skills", page_size="1")

    assert [row["object_id"] for row in rows] == [skills[i].slug for i in (2, 0, 1)]
    assert_problem(as_admin.get("/api/v1/changes/?resource=nothing"), 400)


# Retention --------------------------------------------------------------------------------------
def test_the_beat_schedule_purges_tombstones_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-tombstones"]
    assert entry["task"] == "sync.tasks.purge_tombstones"
    assert settings.API_TOMBSTONE_RETENTION_DAYS == 90


def test_tombstones_past_the_retention_are_purged_and_recent_ones_stay(as_admin):
    old, recent = SkillFactory(name="Old"), SkillFactory(name="Recent")
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=settings.API_TOMBSTONE_RETENTION_DAYS + 1)):
        assert as_admin.delete(f"/api/v1/skills/{old.slug}/").status_code == 204
    with time_machine.travel(start - timedelta(days=settings.API_TOMBSTONE_RETENTION_DAYS - 1)):
        assert as_admin.delete(f"/api/v1/skills/{recent.slug}/").status_code == 204

    assert purge_tombstones.apply().get() == 1
    assert list(Tombstone.objects.values_list("object_id", flat=True)) == ["recent"]
    assert purge_tombstones.apply().get() == 0  # safe to run twice


# The contract ----------------------------------------------------------------------------------
def _list_endpoints() -> list[tuple[str, type]]:
    """(path under /api/v1/, viewset) of every list endpoint."""
    found = []
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) != "api":
            continue
        for sub in pattern.url_patterns:
            view = getattr(sub, "callback", None)
            actions = getattr(view, "actions", {}) if isinstance(sub, URLPattern) else {}
            if actions.get("get") == "list" and "format" not in str(sub.pattern):
                found.append((str(sub.pattern).lstrip("^").rstrip("$").rstrip("/"), view.cls))
    return found


def test_every_list_is_synced_by_a_field_its_model_has_and_its_deletions_are_tracked():
    endpoints = _list_endpoints()
    assert len(endpoints) > 20
    tracked = {resource.name: model for model, resource in RESOURCES.items()}
    for path, viewset in endpoints:
        if path == "changes":
            continue
        view = viewset(request=Request(RequestFactory().get("/")), action="list", kwargs={})
        view.request.user = AnonymousUser()
        view.swagger_fake_view = True
        model = view.get_queryset().model
        field = sync_field(view)
        assert model._meta.get_field(field).db_index, f"{path}: {field} is not indexed"
        if path != "fund/ledger":  # entries are never deleted
            assert tracked.get(path) is model, f"{path}: deletions of {model} are not tracked"


def test_the_schema_documents_updated_since_on_every_list(api_client):
    paths = documented_paths(api_client, "/api/v1/changes/")
    for path, _viewset in _list_endpoints():
        parameters = paths[f"/api/v1/{path}/"]["get"]["parameters"]
        names = {parameter["name"] for parameter in parameters}
        expected = "since" if path == "changes" else "updated_since"
        assert expected in names, f"/api/v1/{path}/ does not document {expected}"
        found = next(p for p in parameters if p["name"] == expected)
        # Empty means absent, as for every filter (patio.schema says so for all of them).
        assert {"type": "string", "format": "date-time"} in found["schema"]["anyOf"]


def test_memberships_keep_their_updated_at_when_a_service_ends_them_in_bulk(coop):
    """Erasure ends memberships with one UPDATE: the rows still say they changed."""
    person = PersonFactory(organisation=coop)
    membership = CircleMembershipFactory(person=person, start_date=LONG_AGO)
    before = CircleMembership.objects.get(pk=membership.pk).updated_at

    privacy_services.person_erase(actor=person.user, person=person)

    assert CircleMembership.objects.get(pk=membership.pk).updated_at > before
