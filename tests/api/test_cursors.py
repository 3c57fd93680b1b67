"""Cursor pages a partner can walk without losing or repeating a row: forwards through `next`,
backwards through `previous`, in every ordering a list offers, across empty values and ties; and a
cursor that was tampered with is a 400 problem, never a 500."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.request import Request

from assemblies.models import AgendaItem
from members.models import Organisation
from patio.pagination import KeysetPagination
from tests.assemblies.factories import AgendaItemFactory, AssemblyFactory
from tests.factories import OrganisationFactory
from tests.members.test_api_input import assert_problem

URL = "/api/v1/organisations/"
ORDERINGS = ["name", "-name", "size", "-size", "founded", "-founded", "id", "-id"]


def walk_forwards(client, url: str) -> tuple[list[int], list[dict]]:
    """Every row `next` leads to, and each page's body."""
    ids: list[int] = []
    pages: list[dict] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        assert_link_header(response, body)
        ids += [row["id"] for row in body["results"]]
        pages.append(body)
        url = body["next"]
        assert len(pages) < 200, "the pages never end"
    return ids, pages


def walk_backwards(client, last_page: dict) -> list[int]:
    """Every row from the last page back to the first, through `previous`, in list order."""
    ids = [row["id"] for row in last_page["results"]]
    url, steps = last_page["previous"], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        assert_link_header(response, body)
        ids = [row["id"] for row in body["results"]] + ids
        url = body["previous"]
        steps += 1
        assert steps < 200, "the pages never end"
    return ids


def assert_link_header(response, body: dict) -> None:
    """RFC 8288: the same next and previous pages as the body, for clients that read headers."""
    expected = [
        f'<{url}>; rel="{rel}"'
        for url, rel in [(body["next"], "next"), (body["previous"], "prev")]
        if url
    ]
    assert response.get("Link", "") == ", ".join(expected)


def expected_order(ordering: str) -> list[int]:
    """The order a partner is promised: by the field, empty values last going up and first going
    down, ties by id in the same direction."""
    name = ordering.lstrip("-")
    rows = list(Organisation.objects.values("id", name))

    def key(row):
        value = row[name]
        return (value is None, value if value is not None else 0, row["id"])

    return [row["id"] for row in sorted(rows, key=key, reverse=ordering.startswith("-"))]


# Empty values and ties, each a case that lost or crashed on rows before -------------------------
@pytest.fixture
def gappy(db):
    """Ten co-ops where founding year and size are often unknown, and names repeat."""
    for i in range(10):
        OrganisationFactory(
            name=["Alba", "Brisa", "Cobre"][i % 3],
            founded=None if i % 3 == 0 else 2000 + i % 2,
            size=None if i % 2 else 5 + i % 3,
        )


@pytest.mark.parametrize("ordering", ["founded", "-founded", "size", "-size", "-name"])
def test_the_next_link_walks_every_row_once_across_empty_values(api_client, gappy, ordering):
    ids, _pages = walk_forwards(api_client, f"{URL}?ordering={ordering}&page_size=1")
    assert ids == expected_order(ordering)


@pytest.mark.parametrize("ordering", ["name", "-name", "founded", "-size"])
def test_the_previous_link_walks_back_over_ties_without_skipping(api_client, gappy, ordering):
    forwards, pages = walk_forwards(api_client, f"{URL}?ordering={ordering}&page_size=3")
    assert walk_backwards(api_client, pages[-1]) == forwards == expected_order(ordering)


def test_the_first_page_has_no_previous_and_the_last_no_next(api_client, gappy):
    _ids, pages = walk_forwards(api_client, f"{URL}?page_size=4")
    assert pages[0]["previous"] is None and pages[-1]["next"] is None
    assert all(page["next"] for page in pages[:-1]) and all(page["previous"] for page in pages[1:])


# The property: any data, any offered ordering, both directions ---------------------------------
ROWS = st.lists(
    st.tuples(
        st.sampled_from(["Alba", "Brisa", "Cobre", "Duna"]),
        st.one_of(st.none(), st.sampled_from([1990, 2005, 2020])),
        st.one_of(st.none(), st.integers(0, 3)),
    ),
    max_size=9,
)


@pytest.mark.parametrize("ordering", ORDERINGS)
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=ROWS, page_size=st.integers(1, 4))
def test_every_walk_visits_every_row_exactly_once(db, api_client, ordering, rows, page_size):
    Organisation.objects.all().delete()
    for name, founded, size in rows:
        OrganisationFactory(name=name, founded=founded, size=size)
    forwards, pages = walk_forwards(api_client, f"{URL}?ordering={ordering}&page_size={page_size}")
    assert forwards == expected_order(ordering)
    assert walk_backwards(api_client, pages[-1]) == forwards


# Tampered cursors --------------------------------------------------------------------------------
def cursor(payload) -> str:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return base64.urlsafe_b64encode(text.encode()).decode()


def test_a_cursor_of_another_pager_is_a_400_on_the_ledger(api_client, member):
    """`cD1hYmM=` is `p=abc`: a position the ledger's integer key cannot hold."""
    api_client.force_login(member.user)
    body = assert_problem(api_client.get("/api/v1/fund/ledger/?cursor=cD1hYmM="), 400)
    assert "cursor" in body["errors"]


ORDER = ["name", "pk"]
TAMPERED = [
    pytest.param("%%%", id="not base64"),
    pytest.param(cursor("not json"), id="not JSON"),
    pytest.param(cursor([1, 2]), id="not an object"),
    pytest.param(cursor({"o": ORDER, "v": ["Alba", 1]}), id="no direction"),
    pytest.param(cursor({"o": ORDER, "v": ["Alba", "1"], "b": False}), id="a string for an id"),
    pytest.param(cursor({"o": ORDER, "v": ["Alba", 1.5], "b": False}), id="a fraction for an id"),
    pytest.param(cursor({"o": ORDER, "v": ["Alba", True], "b": False}), id="a boolean for an id"),
    pytest.param(cursor({"o": ORDER, "v": ["Alba", 10**30], "b": False}), id="id beyond bigint"),
    pytest.param(cursor({"o": ORDER, "v": ["Alba", None], "b": False}), id="an empty id"),
    pytest.param(cursor({"o": ORDER, "v": [7, 1], "b": False}), id="a number for a name"),
    pytest.param(cursor({"o": ORDER, "v": ["A\u0000", 1], "b": False}), id="NUL in a name"),
    pytest.param(cursor({"o": ORDER, "v": ["Alba"], "b": False}), id="too few values"),
    pytest.param(cursor({"o": ORDER, "v": ["Alba", 1], "b": "no"}), id="direction not a boolean"),
    pytest.param(cursor({"o": ["size", "pk"], "v": [3, 1], "b": False}), id="another ordering"),
    pytest.param(cursor('{"o": ["name", "pk"], "v": ["Alba", NaN], "b": false}'), id="NaN"),
    pytest.param("A" * 2001, id="far too long"),
]


@pytest.mark.parametrize("token", TAMPERED)
def test_a_tampered_cursor_is_a_400_problem(api_client, gappy, token):
    body = assert_problem(api_client.get(URL, {"cursor": token}), 400)
    assert body["type"].endswith("/validation-error")
    assert "cursor" in body["errors"]


@pytest.mark.parametrize(
    ("ordering", "value"),
    [("founded", "1990"), ("founded", 99999), ("size", -1), ("size", 2**40)],
    ids=["a year as a string", "a year beyond its column", "a negative size", "size beyond int"],
)
def test_a_cursor_value_outside_its_field_is_a_400(api_client, gappy, ordering, value):
    token = cursor({"o": [ordering, "pk"], "v": [value, 1], "b": False})
    response = api_client.get(URL, {"ordering": ordering, "cursor": token})
    assert "cursor" in assert_problem(response, 400)["errors"]


def test_a_cursor_made_for_other_filters_is_refused_not_misread(api_client, gappy):
    body = api_client.get(URL, {"ordering": "size", "page_size": 2}).json()
    token = parse_qs(urlsplit(body["next"]).query)["cursor"][0]
    response = api_client.get(URL, {"ordering": "-founded", "cursor": token})
    assert "cursor" in assert_problem(response, 400)["errors"]


def test_a_cursor_is_opaque_url_safe_text(api_client, gappy):
    body = api_client.get(URL, {"page_size": 2}).json()
    token = parse_qs(urlsplit(body["next"]).query)["cursor"][0]
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


# Keys across a relation, and the order a filter sets ---------------------------------------------
def test_a_list_ordered_by_a_relation_walks_both_ways(api_client, member):
    """Agenda items go by assembly (its start, then id: two assemblies start at the same time),
    then their order: keys of another table, a datetime among them."""
    first, second = AssemblyFactory(), AssemblyFactory()
    for assembly in (second, first, second):
        AgendaItemFactory(assembly=assembly, order=10)
    AgendaItemFactory(assembly=first, order=5)
    api_client.force_login(member.user)
    forwards, pages = walk_forwards(api_client, "/api/v1/agenda-items/?page_size=1")
    expected = AgendaItem.objects.order_by("assembly__start", "assembly__id", "order", "id")
    assert forwards == list(expected.values_list("id", flat=True))
    assert walk_backwards(api_client, pages[-1]) == forwards


def test_pages_follow_whatever_ordered_the_queryset_last(rf, db):
    """The hook a filter with its own order relies on (`updated_since` pages by `updated_at`)."""
    paginator = KeysetPagination()
    request = Request(rf.get(URL))
    queryset = Organisation.objects.order_by("-updated_at")
    assert paginator.get_ordering(request, queryset) == ["-updated_at", "-pk"]
    assert paginator.get_ordering(request, Organisation.objects.all()) == ["name", "id"]


@pytest.mark.parametrize("value", ["1e999999999", "NaN", "12.3456789", "lots"])
def test_a_money_cursor_beyond_its_column_is_a_400(api_client, db, value):
    token = cursor({"o": ["budget", "pk"], "v": [value, 1], "b": False})
    response = api_client.get("/api/v1/opportunities/", {"ordering": "budget", "cursor": token})
    assert "cursor" in assert_problem(response, 400)["errors"]
