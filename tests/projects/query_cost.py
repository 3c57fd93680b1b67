"""One way to prove a projects page or API list costs the same at two sizes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SMALL, BIG = 2, 12


def same_cost(
    count_queries: Callable[[], Any],
    django_assert_max_num_queries: Callable[[int], Any],
    request: Callable[[], Any],
    grow: Callable[[int], Any],
    *,
    max_queries: int,
) -> None:
    """Grow to SMALL rows, measure `request()`, grow to BIG, measure again: the counts match
    (on a mismatch the bigger request's SQL is printed) and stay under `max_queries`."""
    grow(SMALL)
    with count_queries() as small, django_assert_max_num_queries(max_queries):
        assert request().status_code == 200
    grow(BIG - SMALL)
    with count_queries() as big, django_assert_max_num_queries(max_queries):
        assert request().status_code == 200
    assert big.count == small.count, big.report()
