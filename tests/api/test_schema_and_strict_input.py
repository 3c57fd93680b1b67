"""What the fuzz test found, pinned one by one: the schema documents every error and who may call
without a login, fields say when they can be null, and the API refuses input of the wrong type
instead of reading it loosely."""

from __future__ import annotations

import pytest

from circles.models import Circle
from tests.circles.factories import CircleFactory
from tests.factories import SkillFactory
from tests.members.test_api_input import assert_problem

PROBLEM = "application/problem+json"


@pytest.fixture
def schema(db, api_client) -> dict:
    return api_client.get("/api/v1/schema/?format=json").json()


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


# The schema --------------------------------------------------------------------------------------
def test_every_operation_documents_its_errors_as_problem_json(schema):
    for method, path, operation in operations(schema):
        responses = operation["responses"]
        expected = {"400", "401", "403", "404", "406", "429"}
        if method != "GET":
            expected |= {"409"}
        if method in {"POST", "PATCH", "PUT"}:
            expected |= {"413", "415"}
        assert expected <= responses.keys(), (method, path, sorted(responses))
        for code in expected:
            content = responses[code]["content"]
            assert content[PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}


def test_an_error_a_view_documents_by_description_also_carries_a_problem(schema):
    alerts = schema["paths"]["/api/v1/opportunities/{id}/alerts/"]["get"]["responses"]["403"]
    assert alerts["description"] == "Not a coordinator."
    assert PROBLEM in alerts["content"]


def test_money_posts_document_a_reused_idempotency_key(schema):
    pay = schema["paths"]["/api/v1/fund/claims/{id}/pay/"]["post"]
    assert "422" in pay["responses"]
    header = next(p for p in pay["parameters"] if p["name"] == "Idempotency-Key")
    assert header["schema"]["maxLength"] == 255


@pytest.mark.parametrize(
    ("method", "path", "anonymous"),
    [
        ("get", "/api/v1/organisations/", True),
        ("get", "/api/v1/circles/{slug}/", True),
        ("post", "/api/v1/organisations/", False),
        ("get", "/api/v1/tokens/", False),
        ("get", "/api/v1/help-requests/", False),
    ],
)
def test_security_says_which_operations_need_no_credential(schema, method, path, anonymous):
    security = schema["paths"][path][method]["security"]
    assert {"bearerToken": []} in security
    assert ({} in security) is anonymous


def test_a_relation_that_may_be_unset_is_nullable_in_responses(schema):
    schemas = schema["components"]["schemas"]
    assert schemas["CircleOut"]["properties"]["parent"]["nullable"] is True
    assert schemas["OpportunityOut"]["properties"]["source_coop"]["nullable"] is True
    assert schemas["ProjectOut"]["properties"]["lead_coop"]["nullable"] is True


def test_times_are_documented_without_an_offset(schema):
    start = schema["components"]["schemas"]["OpportunityOut"]["properties"]["core_hours_start_utc"]
    assert "format" not in start
    assert start["pattern"].startswith("^[0-9]{2}:[0-9]{2}")


def test_filters_may_be_left_empty_and_page_size_is_bounded(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/people/"]["get"]["parameters"]}
    assert {"type": "string", "maxLength": 0} in parameters["available_by"]["schema"]["anyOf"]
    assert parameters["min_hours"]["schema"]["anyOf"][0]["type"] == "number"
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}


# Strict input ------------------------------------------------------------------------------------
@pytest.mark.parametrize("page_size", ["null", "0", "-1", "2.5", "", "101", "500"])
def test_a_page_size_that_is_not_a_whole_number_from_one_to_100_is_refused(
    db, api_client, page_size
):
    body = assert_problem(api_client.get("/api/v1/skills/", {"page_size": page_size}), 400)
    assert "page_size" in body["errors"]


def test_a_page_size_of_the_limit_gets_the_limit(db, api_client):
    SkillFactory.create_batch(101)
    response = api_client.get("/api/v1/skills/", {"page_size": 100})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 100


@pytest.mark.parametrize("value", ["null", "2", "yes"])
def test_a_yes_no_filter_refuses_a_word_it_cannot_read(db, api_client, value):
    body = assert_problem(api_client.get("/api/v1/circles/", {"triages_help_requests": value}), 400)
    assert "triages_help_requests" in body["errors"]


def test_a_yes_no_filter_reads_true_false_and_empty(db, api_client):
    CircleFactory(name="Triage", triages_help_requests=True)
    CircleFactory(name="Other", triages_help_requests=False)
    for value, names in [("true", ["Triage"]), ("false", ["Other"]), ("", ["Other", "Triage"])]:
        response = api_client.get("/api/v1/circles/", {"triages_help_requests": value})
        assert sorted(row["name"] for row in response.json()["results"]) == names


@pytest.mark.parametrize(
    "wrong",
    [
        {"accountabilities": [0]},  # a number among strings
        {"accountabilities": {"Budget": 1}},  # an object for a list
        {"name": 7},  # a number for a string
        {"triages_help_requests": "yes"},  # a word for a boolean
        {"coordinators": ["1"]},  # a string for an id
    ],
)
def test_a_body_value_of_the_wrong_json_type_is_refused(api_client, network_admin, wrong):
    api_client.force_login(network_admin)
    body = {"name": "Finance", "purpose": "Money", "accountabilities": ["Budget"]} | wrong
    problem = assert_problem(api_client.post("/api/v1/circles/", body, format="json"), 400)
    assert problem["errors"].keys() == wrong.keys()
    assert not Circle.objects.exists()


def test_the_assemblies_filters_refuse_an_unreadable_yes_no_too(api_client, member):
    api_client.force_login(member.user)
    body = assert_problem(api_client.get("/api/v1/action-items/", {"mine": "null"}), 400)
    assert "mine" in body["errors"]
    assert api_client.get("/api/v1/action-items/", {"mine": "true"}).status_code == 200
