"""The public door of the API: anyone may send a request for help, within a rate and the same
limits as the form; errors are problem JSON and store nothing. And the endpoints are documented."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings
from rest_framework.test import APIClient

from intake.models import DESCRIPTION_MAX, HelpRequest
from tests.conftest import queued_work

pytestmark = pytest.mark.django_db

URL = "/api/v1/help-requests/"


def _body(**overrides) -> dict:
    body = {
        "organisation_name": "Olla Popular Cerro",
        "contact_name": "Rosa Requester",
        "contact_email": "rosa@olla.example",
        "country": "UY",
        "need": "maintain",
        "description": "Our website is old.",
        "budget_range": "lt5k",
        "timeline": "flexible",
        "preferred_languages": ["es"],
    }
    body.update(overrides)
    return body


def _assert_problem(response, status: int):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def test_a_visitor_sends_a_request_and_gets_a_receipt_without_personal_data(
    spanish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = APIClient().post(URL, _body(), format="json", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 201, response.content
    assert set(response.json()) == {
        "id",
        "status",
        "software",
        "providers",
        "providers_told",
        "created_at",
    }
    assert response.json()["providers"] == []
    help_request = HelpRequest.objects.get()
    assert help_request.need == "maintain"
    assert help_request.language == "es"
    assert list(help_request.preferred_languages.all()) == [spanish]
    assert len(queued_work(callbacks)) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "x" * (DESCRIPTION_MAX + 1)}, "description"),
        ({"contact_email": "nope"}, "contact_email"),
        ({"need": "everything"}, "need"),
        ({"country": "XX"}, "country"),
        ({"preferred_languages": ["tlh"]}, "preferred_languages"),
        ({"status": "converted"}, "status"),  # read-only fields are refused, not ignored
        ({"website": "http://spam.example"}, "website"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field_and_stores_nothing(spanish, overrides, field):
    body = _assert_problem(APIClient().post(URL, _body(**overrides), format="json"), 400)
    assert field in body["errors"]
    assert not HelpRequest.objects.exists()
    assert mail.outbox == []


def test_script_tags_are_stored_as_typed(spanish):
    text = "<script>alert('x')</script>"
    assert APIClient().post(URL, _body(description=text), format="json").status_code == 201
    assert HelpRequest.objects.get().description == text


@override_settings(HELP_REQUEST_RATE="2/hour")
def test_more_requests_than_the_rate_from_one_address_get_a_429_problem(spanish):
    visitor = APIClient(REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        assert visitor.post(URL, _body(), format="json").status_code == 201
    body = _assert_problem(visitor.post(URL, _body(), format="json"), 429)

    assert body["retry_after"] > 0
    assert HelpRequest.objects.count() == 2
    other = APIClient(REMOTE_ADDR="203.0.113.10")
    assert other.post(URL, _body(), format="json").status_code == 201


@override_settings(HELP_REQUEST_RATE="2/hour")
def test_the_form_and_the_api_share_one_budget_per_address(client, spanish):
    from tests.intake.test_form import _fields

    assert client.post("/request-help/", _fields(), REMOTE_ADDR="203.0.113.11").status_code == 302
    visitor = APIClient(REMOTE_ADDR="203.0.113.11")
    assert visitor.post(URL, _body(), format="json").status_code == 201
    _assert_problem(visitor.post(URL, _body(), format="json"), 429)


@override_settings(HELP_REQUEST_RATE="2/hour")
def test_refused_requests_do_not_spend_the_budget(spanish):
    visitor = APIClient(REMOTE_ADDR="203.0.113.12")
    for _ in range(3):
        _assert_problem(visitor.post(URL, _body(contact_email="nope"), format="json"), 400)

    accepted = [visitor.post(URL, _body(), format="json") for _ in range(2)]
    assert [a.status_code for a in accepted] == [201, 201]
    assert [a["RateLimit-Remaining"] for a in accepted] == ["1", "0"]
    _assert_problem(visitor.post(URL, _body(), format="json"), 429)


@override_settings(HELP_REQUEST_RATE="1/hour", HELP_REQUEST_PARTNER_RATE="3/hour")
def test_a_signed_in_partner_has_a_larger_budget_of_its_own(spanish, member):
    from accounts.services import token_create

    _token, secret = token_create(actor=member.user, user=member.user, name="CRM", scope="write")
    partner = APIClient(REMOTE_ADDR="203.0.113.13")
    partner.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    answers = [partner.post(URL, _body(), format="json").status_code for _ in range(4)]

    assert answers == [201, 201, 201, 429]
    # The anonymous budget of the same address is untouched.
    assert (
        APIClient(REMOTE_ADDR="203.0.113.13").post(URL, _body(), format="json").status_code == 201
    )


def test_reading_a_missing_request_is_a_404_problem(api_client, triager):
    api_client.force_login(triager.user)
    _assert_problem(api_client.get(URL + "999999/"), 404)


def test_the_list_filters_by_status(api_client, triager, help_request):
    from tests.intake.factories import HelpRequestFactory

    HelpRequestFactory(status="declined")
    api_client.force_login(triager.user)
    results = api_client.get(URL + "?status=new").json()["results"]
    assert [row["id"] for row in results] == [help_request.pk]
    assert results[0]["contact_email"] == "rosa@olla.example"


def test_the_help_request_endpoints_are_documented(db, api_client):
    paths = api_client.get("/api/v1/schema/?format=json").json()["paths"]
    assert set(paths[URL]) >= {"get", "post"}
    assert "get" in paths[URL + "{id}/"]
    for action in ("answer", "decline", "convert"):
        assert "post" in paths[URL + "{id}/" + action + "/"]
    # Sending needs no authentication (a credential is optional); reading needs one.
    assert {} in paths[URL]["post"]["security"]
    assert paths[URL]["get"]["security"] and {} not in paths[URL]["get"]["security"]
