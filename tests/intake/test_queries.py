"""The triage inbox and the API list cost the same number of queries for 5 requests as for 30."""

from __future__ import annotations

import pytest

from tests.factories import LanguageFactory
from tests.intake.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

SMALL, BIG = 5, 30


def _add_requests(n: int, triager) -> None:
    languages = [
        LanguageFactory(code="es", name="Spanish"),
        LanguageFactory(code="pt", name="Portuguese"),
    ]
    for i in range(n):
        request = HelpRequestFactory(status="answered" if i % 2 else "new", handled_by=triager)
        request.preferred_languages.set(languages)


@pytest.mark.parametrize(
    "url", ["/request-help/inbox/", "/request-help/inbox/?status=new", "/api/v1/help-requests/"]
)
def test_listing_requests_costs_the_same_for_5_and_30(client, triager, count_queries, url):
    client.force_login(triager.user)
    _add_requests(SMALL, triager)
    client.get(url)  # warm up what is loaded once per process
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _add_requests(BIG - SMALL, triager)
    with count_queries() as big:
        response = client.get(url)
    assert response.status_code == 200
    assert big.count == small.count, (
        f"{url}: {small.count} queries for {SMALL} rows but {big.count} for {BIG}:\n" + big.report()
    )


@pytest.mark.parametrize("size", [SMALL, BIG])
@pytest.mark.parametrize("url", ["/request-help/inbox/", "/api/v1/help-requests/"])
def test_listing_requests_stays_within_a_fixed_budget(
    client, triager, django_assert_max_num_queries, url, size
):
    _add_requests(size, triager)
    client.force_login(triager.user)
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
