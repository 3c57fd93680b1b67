"""Say "not allowed", not "empty": every list only members may read answers an anonymous caller
401 problem JSON, so a partner tool can tell a missing login from an empty list."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

FUND_LISTS = [
    "/api/v1/fund/contributions/",
    "/api/v1/fund/pledges/",
    "/api/v1/fund/budgets/",
    "/api/v1/fund/claims/",
    "/api/v1/fund/ledger/",
]
# Lists of other apps that already ask for a login (each in its own way): kept in the table so
# none of them slides back to an empty 200.
OTHER_MEMBERS_ONLY_LISTS = [
    "/api/v1/assemblies/",
    "/api/v1/agenda-items/",
    "/api/v1/circle-updates/",
    "/api/v1/decisions/",
    "/api/v1/action-items/",
    "/api/v1/corrections/",
    "/api/v1/help-requests/",
    "/api/v1/amendments/",
]
MEMBERS_ONLY_LISTS = FUND_LISTS + OTHER_MEMBERS_ONLY_LISTS


@pytest.mark.parametrize("path", MEMBERS_ONLY_LISTS)
def test_an_anonymous_caller_is_told_to_sign_in(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 401, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 401


@pytest.mark.parametrize("path", FUND_LISTS)
def test_a_member_reads_the_list(api_client, member, path):
    api_client.force_login(member.user)
    assert api_client.get(path).status_code == 200
