"""Learning paths through the API: put together and changed by those the pages allow (network
admins and circle coordinators, `hub.permissions.can_manage_paths`), and each person's own
progress, marked guide by guide, through the services the pages use.

`coordinator` coordinates a circle; `member` is a person of the network in no such role; the
network admin has no person of their own, so they put paths together but mark nothing done.
Token roles hold tokens of the coordinator: pages ignore tokens, so there a token holder is a
visitor."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from hub import services
from hub.models import Guide, GuideDone, LearningPath, PathStep
from tests import matrix
from tests.api_helpers import assert_problem
from tests.circles.factories import CircleFactory, CoordinatorFactory
from tests.factories import PersonFactory
from tests.hub.conftest import write_guide
from tests.matrix import LOGIN, SAVED, TOKEN_ROLES

API = "/api/v1/learning-paths/"

ROLES = ("visitor", "member", "coordinator", "network_admin", *TOKEN_ROLES)

#                              visitor member  coord   n-admin tok-r   tok-w
MATRIX = {
    "page: new path": (LOGIN, 403, SAVED, SAVED, LOGIN, LOGIN),
    "api: create path": (401, 403, 201, 201, 403, 201),
    "page: edit path": (LOGIN, 403, SAVED, SAVED, LOGIN, LOGIN),
    "api: edit path": (401, 403, 200, 200, 403, 200),
    "api: read path": (200, 200, 200, 200, 200, 200),
    "api: read progress": (401, 200, 200, 200, 200, 200),
    "page: mark done": (LOGIN, SAVED, SAVED, 403, LOGIN, LOGIN),
    "api: mark done in path": (401, 200, 200, 403, 403, 200),
}
READS = {"api: read path", "api: read progress"}


def publish(author, circle, reviewer, **fields) -> Guide:
    guide = write_guide(author, circle, **fields)
    services.guide_submit(actor=author.user, guide=guide)
    return services.guide_publish(actor=reviewer.user, guide=guide)


@pytest.fixture
def coordinator(coop):
    person = PersonFactory(
        organisation=coop, display_name="Cora Coordinator", user__email="cora@camplight.coop"
    )
    CoordinatorFactory(circle=CircleFactory(name="Finance", slug="finance"), person=person)
    return person


@pytest.fixture
def second(member, reviewer, reviewing_circle):
    return publish(member, reviewing_circle, reviewer, title="Pricing co-op work")


@pytest.fixture
def path(network_admin, published, second):
    return services.path_create(
        actor=network_admin, title="Start here", guides=[published, second], description="First."
    )


@dataclass(kw_only=True)
class World(matrix.Cast):
    path: LearningPath
    published: Guide
    second: Guide


@pytest.fixture
def world(outsider, coordinator, network_admin, path, published, second) -> World:
    return World(
        path=path,
        published=published,
        second=second,
        users={
            "member": outsider.user,
            "coordinator": coordinator.user,
            "network_admin": network_admin,
        },
        secrets=matrix.api_tokens(user=coordinator.user),
    )


def _snapshot() -> tuple:
    return (
        sorted(LearningPath.objects.values_list("slug", "title", "description")),
        sorted(PathStep.objects.values_list("path_id", "guide_id", "position")),
        sorted(GuideDone.objects.values_list("person_id", "guide_id")),
    )


def _run(action: str, world: World, role: str) -> matrix.Outcome:
    page, api = world.clients(role)
    one = f"{API}{world.path.slug}/"
    match action:
        case "page: new path":
            data = {"title": "A path", "step_1": world.published.pk}
            return matrix.outcome(page.post(reverse("hub:path_new"), data))
        case "api: create path":
            body = {"title": "A path", "guides": [world.second.slug, world.published.slug]}
            return api.post(API, body, format="json").status_code
        case "page: edit path":
            data = {"title": "Renamed", "step_1": world.second.pk}
            return matrix.outcome(page.post(reverse("hub:path_edit", args=[world.path.slug]), data))
        case "api: edit path":
            return api.patch(one, {"guides": [world.second.slug]}, format="json").status_code
        case "api: read path":
            return api.get(one).status_code
        case "api: read progress":
            return api.get(f"{one}progress/").status_code
        case "page: mark done":
            url = reverse("hub:guide_done", args=[world.second.slug])
            return matrix.outcome(page.post(url, {"done": "1"}))
        case "api: mark done in path":
            body = {"guide": world.second.slug, "done": True}
            return api.post(f"{one}progress/", body, format="json").status_code
    raise AssertionError(action)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, role) == expected


@pytest.mark.django_db
def test_a_refused_path_write_answers_problem_json(world):
    _page, api = world.clients("member")
    assert_problem(api.post(API, {"title": "Mine", "guides": [world.published.slug]}), 403)
    _page, visitor = world.clients("visitor")
    assert_problem(visitor.get(f"{API}{world.path.slug}/progress/"), 401)


# What a coordinator and a reader do ----------------------------------------------------------
@pytest.fixture
def as_coordinator(api_client, coordinator):
    api_client.force_login(coordinator.user)
    return api_client


def test_a_coordinator_puts_a_path_together_and_reorders_it(as_coordinator, published, second):
    body = {"title": "Money matters", "guides": [second.slug, published.slug]}
    made = as_coordinator.post(API, body, format="json")
    assert made.status_code == 201, made.json()
    path = made.json()
    assert path["guides"] == [second.slug, published.slug] and path["done"] == []
    assert path["description"] == "" and path["suggested_to_newcomers"] is False
    assert made["Location"].endswith(f"{API}{path['slug']}/")

    url = f"{API}{path['slug']}/"
    changed = as_coordinator.patch(url, {"guides": [published.slug, second.slug]}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["guides"] == [published.slug, second.slug]
    assert changed.json()["title"] == "Money matters", "what was not sent stays"

    read = as_coordinator.get(url).json()
    writable = ("title", "description", "suggested_to_newcomers", "guides")
    again = as_coordinator.patch(url, {k: read[k] for k in writable}, format="json")
    assert again.status_code == 200 and again.json()["guides"] == read["guides"]


def test_suggesting_a_path_to_newcomers_unsuggests_the_other(as_coordinator, path, published):
    LearningPath.objects.filter(pk=path.pk).update(suggested_to_newcomers=True)
    body = {"title": "Newcomers", "guides": [published.slug], "suggested_to_newcomers": True}
    made = as_coordinator.post(API, body, format="json").json()
    assert list(LearningPath.objects.filter(suggested_to_newcomers=True)) == [
        LearningPath.objects.get(slug=made["slug"])
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"guides": []}, "guides"),
        ({"guides": ["no-such-guide"]}, "guides"),
        ({"guides": "start-here"}, "guides"),
        ({"guides": ["DUPLICATE", "DUPLICATE"]}, "guides"),
        ({"guides": ["DRAFT"]}, "guides"),
        ({"title": ""}, "title"),
        ({"suggested_to_newcomers": "yes"}, "suggested_to_newcomers"),
        ({"created_by": 1}, "created_by"),
    ],
)
def test_bad_path_input_is_a_problem_and_writes_nothing(
    as_coordinator, path, published, draft, body, field
):
    names = {"DUPLICATE": published.slug, "DRAFT": draft.slug}
    if isinstance(body.get("guides"), list):
        body = body | {"guides": [names.get(slug, slug) for slug in body["guides"]]}
    before = _snapshot()
    created = assert_problem(
        as_coordinator.post(API, {"title": "T", "guides": [published.slug]} | body), 400
    )
    assert field in created["errors"]
    changed = assert_problem(as_coordinator.patch(f"{API}{path.slug}/", body), 400)
    assert field in changed["errors"]
    assert _snapshot() == before


@pytest.fixture
def as_reader(api_client, outsider):
    api_client.force_login(outsider.user)
    return api_client


def test_a_reader_marks_guides_done_along_a_path_and_reads_their_progress(
    as_reader, path, published, second
):
    url = f"{API}{path.slug}/progress/"
    start = as_reader.get(url).json()
    assert start == {
        "path": path.slug,
        "guides": [published.slug, second.slug],
        "guides_done": [],
        "done_count": 0,
        "total": 2,
        "percent": 0,
        "finished": False,
    }
    marked = as_reader.post(url, {"guide": published.slug, "done": True}, format="json")
    assert marked.status_code == 200
    assert marked.json()["guides_done"] == [published.slug] and marked.json()["percent"] == 50
    assert as_reader.get(url).json() == marked.json()

    audits = AuditEvent.objects.count()
    again = as_reader.post(url, {"guide": published.slug, "done": True}, format="json")
    assert again.json() == marked.json()
    assert AuditEvent.objects.count() == audits, "a second identical mark changes nothing"
    assert GuideDone.objects.count() == 1

    as_reader.post(url, {"guide": second.slug, "done": True}, format="json")
    assert as_reader.get(url).json()["finished"] is True
    undone = as_reader.post(url, {"guide": published.slug, "done": False}, format="json").json()
    assert undone["guides_done"] == [second.slug] and undone["finished"] is False
    listed = as_reader.get(f"{API}{path.slug}/").json()
    assert listed["done"] == [second.slug], "the path's own read agrees"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"guide": "OUTSIDE", "done": True}, "guide"),
        ({"guide": "no-such-guide", "done": True}, "guide"),
        ({"guide": "IN", "done": "yes"}, "done"),
        ({"guide": "IN"}, "done"),
        ({"guide": "IN", "done": True, "person": 3}, "person"),
    ],
)
def test_bad_marks_are_a_problem_and_mark_nothing(
    as_reader, path, published, member, reviewer, reviewing_circle, body, field
):
    outside = publish(member, reviewing_circle, reviewer, title="Not in the path")
    names = {"OUTSIDE": outside.slug, "IN": published.slug}
    body = body | {"guide": names.get(body["guide"], body["guide"])}
    response = as_reader.post(f"{API}{path.slug}/progress/", body, format="json")
    assert field in assert_problem(response, 400)["errors"]
    assert not GuideDone.objects.exists()


def test_paths_and_progress_cost_the_same_queries_at_two_sizes(
    as_coordinator, member, reviewer, reviewing_circle, published
):
    def counts(slug: str, guides: list[str], mark: str) -> tuple[int, ...]:
        measured = []
        for call in (
            lambda: as_coordinator.get(API),
            lambda: as_coordinator.get(f"{API}{slug}/progress/"),
            lambda: as_coordinator.post(
                f"{API}{slug}/progress/", {"guide": mark, "done": True}, format="json"
            ),
            lambda: as_coordinator.patch(f"{API}{slug}/", {"guides": guides}, format="json"),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert call().status_code == 200
            measured.append(len(queries))
        return tuple(measured)

    small = as_coordinator.post(API, {"title": "Small", "guides": [published.slug]}).json()
    guides = [published.slug] + [
        publish(member, reviewing_circle, reviewer, title=f"Guide {n}").slug for n in range(5)
    ]
    big = as_coordinator.post(API, {"title": "Big", "guides": guides}).json()
    small_counts = counts(small["slug"], [published.slug], published.slug)
    assert counts(big["slug"], guides, guides[1]) == small_counts
