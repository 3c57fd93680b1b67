"""The attack issue 12 found: a network admin made a token for a finance approver and approved
a claim as them, so one person met "2 of M approvers". A token now acts only as its owner; a
network admin makes tokens only for bot accounts, which are marked as such and sign in with no
password."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.circles.factories import CircleFactory
from tests.fund.conftest import _finance_person
from tests.matrix import reauthenticated

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


@pytest.fixture
def approver(other_coop):
    """A finance approver, as the fund's tests make them."""
    finance = CircleFactory(name="Finance", slug="finance")
    return _finance_person(finance, other_coop, "Fatima Finance", "fatima@facttic.coop")


@pytest.fixture
def admin_api(network_admin) -> APIClient:
    client = APIClient()
    client.force_login(network_admin)
    reauthenticated(client)
    return client


def test_a_network_admin_cannot_make_a_token_that_acts_as_a_finance_approver(admin_api, approver):
    response = admin_api.post(
        "/api/v1/tokens/",
        {"name": "approve as Fatima", "user": approver.user.email, "scope": "write"},
        format="json",
    )

    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 403 and "acts only as the person it belongs to" in body["detail"]
    assert not ApiToken.objects.filter(user=approver.user).exists()


def test_a_network_admin_makes_a_token_for_a_bot_account(admin_api, network_admin, bot):
    response = admin_api.post(
        "/api/v1/tokens/", {"name": "CRM sync", "user": bot.email, "scope": "write"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["user"] == bot.email and response.json()["user_is_bot"] is True
    token = ApiToken.objects.get(user=bot)
    assert token.created_by == network_admin
    partner = APIClient()
    partner.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    assert partner.get("/api/v1/people/").status_code == 200


def test_without_a_user_the_token_acts_as_the_caller(approver):
    client = APIClient()
    client.force_login(approver.user)
    reauthenticated(client)
    response = client.post("/api/v1/tokens/", {"name": "my tool"}, format="json")
    assert response.status_code == 201
    assert ApiToken.objects.get().user == approver.user


def test_a_person_sees_only_their_own_tokens_and_an_admin_sees_all(member, colleague, bot):
    from accounts.services import token_create
    from tests.factories import UserFactory

    admin = UserFactory(email="root@patio.coop", is_staff=True)
    mine, _ = token_create(actor=member.user, user=member.user, name="mine", scope="read")
    token_create(actor=colleague.user, user=colleague.user, name="theirs", scope="read")
    token_create(actor=admin, user=bot, name="bot's", scope="read")

    client = APIClient()
    client.force_login(member.user)
    reauthenticated(client)
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert [t["id"] for t in listed] == [mine.pk]

    client.force_login(admin)
    reauthenticated(client)
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert {t["name"] for t in listed} == {"mine", "theirs", "bot's"}
    assert {t["name"]: t["user_is_bot"] for t in listed}["bot's"] is True


def test_a_bot_account_cannot_sign_in_with_a_password(bot):
    bot.set_password(PASSWORD)
    bot.save(update_fields=["password"])

    client = Client()
    response = client.post("/accounts/login/", {"login": bot.email, "password": PASSWORD})

    assert response.status_code == 200  # the form again, with the refusal
    assert "_auth_user_id" not in client.session
    assert not bot.check_password(PASSWORD)


def test_bots_are_marked_in_the_admin(client, network_admin, bot, member):
    from accounts.services import token_create
    from tests.factories import UserFactory

    token_create(actor=network_admin, user=bot, name="bot tool", scope="read")
    token_create(actor=member.user, user=member.user, name="mila tool", scope="read")
    client.force_login(network_admin)
    reauthenticated(client)
    response = client.get("/admin/accounts/apitoken/?user__is_bot__exact=1")
    assert response.status_code == 200
    page = response.content.decode()
    assert "bot tool" in page and "mila tool" not in page

    client.force_login(UserFactory(email="root@patio.coop", is_staff=True, is_superuser=True))
    reauthenticated(client)
    response = client.get("/admin/accounts/user/?is_bot__exact=1")
    assert response.status_code == 200
    assert bot.email in response.content.decode()
    assert member.user.email not in response.content.decode()


# The token page ---------------------------------------------------------------------------------
TOKENS = "/accounts/tokens/"


def test_a_person_makes_their_own_token_on_the_page_and_sees_it_once(client, member):
    client.force_login(member.user)
    reauthenticated(client)
    assert client.get(TOKENS).status_code == 200

    response = client.post(
        TOKENS,
        {"name": "Calendar", "scope": "read", "expires_in_days": 30, "user": member.user.pk},
    )

    assert response.status_code == 201
    token = ApiToken.objects.get(name="Calendar")
    assert token.user == member.user
    secret = response.context["secret"]
    assert secret in response.content.decode() and token.secret_hash == token.hash_secret(secret)
    assert secret not in client.get(TOKENS).content.decode()


def test_the_page_offers_a_person_no_one_but_themselves(client, member, colleague):
    client.force_login(member.user)
    reauthenticated(client)
    response = client.post(
        TOKENS,
        {"name": "as Ivan", "scope": "write", "expires_in_days": 30, "user": colleague.user.pk},
    )
    assert response.status_code == 200
    assert "user" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_network_admin_makes_a_bots_token_on_the_page(client, network_admin, bot, member):
    client.force_login(network_admin)
    reauthenticated(client)
    choices = {c[0] for c in client.get(TOKENS).context["form"].fields["user"].choices}
    assert {str(v) for v in choices} == {str(network_admin.pk), str(bot.pk)}

    response = client.post(
        TOKENS, {"name": "CRM", "scope": "write", "expires_in_days": 30, "user": bot.pk}
    )
    assert response.status_code == 201
    assert ApiToken.objects.get().user == bot
    assert "bot account" in client.get(TOKENS).content.decode()
