"""The OpenAPI schema says exactly what the API does, so a partner's generated client can trust
it: which fields may be null, which bodies refuse unknown fields, which operations need a
credential, what an action answers, the bounds of an amount, and which resources there are."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management import call_command
from django.db.models import Model
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from patio.api import ServiceCallMixin
from projects.services.opportunities import opportunity_update
from tests.api_helpers import assert_problem
from tests.circles.factories import CircleFactory, CoordinatorFactory
from tests.factories import LanguageFactory, PersonFactory
from tests.projects.factories import OpportunityFactory

API = "/api/v1/"


@pytest.fixture(scope="module")
def generated() -> tuple[dict[str, Any], dict[str, Any]]:
    """The schema, and the serializer behind each of its components."""
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    components = {
        name: component.object
        for (name, kind), component in generator.registry._components.items()
        if kind == "schemas" and isinstance(component.object, serializers.BaseSerializer)
    }
    return schema, components


@pytest.fixture
def circle(db):
    return CircleFactory(name="Job opportunities")


@pytest.fixture
def coordinator(coop, circle):
    person = PersonFactory(organisation=coop, display_name="Cora Coordinator")
    CoordinatorFactory(circle=circle, person=person)
    return person


@pytest.fixture
def as_coordinator(api_client, coordinator):
    api_client.force_login(coordinator.user)
    return api_client


@pytest.fixture
def schema(db, api_client) -> dict[str, Any]:
    """The schema as the server publishes it."""
    return api_client.get(f"{API}schema/?format=json").json()


def operations(schema: dict[str, Any]):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def collections(schema: dict[str, Any]) -> set[str]:
    """The resources' list paths (`organisations`, `fund/claims`): a path that only takes a
    POST (`software/import`) is an action on a collection, not one."""
    return {
        path.removeprefix(API).rstrip("/")
        for path, item in schema["paths"].items()
        if "{" not in path and "get" in item
    }


def _through_null(field: serializers.Field, model: Any) -> bool:
    """Does the field read through a model field that may be null (`lead_coop.slug`)?"""
    for name in getattr(field, "source_attrs", []):
        if not (isinstance(model, type) and issubclass(model, Model)):
            return False
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False  # a property or a method: the serializer declares it
        if model_field.one_to_many or model_field.many_to_many:
            return False  # a list is empty, never null
        if model_field.one_to_one and model_field.auto_created:
            return True  # the other side of a one-to-one, which may not exist (yet)
        if model_field.null:
            return True
        model = model_field.related_model
    return False


# Nullability -------------------------------------------------------------------------------------
def test_a_response_field_is_nullable_exactly_when_it_can_be_null(generated):
    """Walks every response component: a field that reads through a `null=True` model field, or
    allows null, is declared nullable; no other field is (a list is never null). A field added
    later is checked too."""
    schema, components = generated
    wrong = []
    for name, serializer in components.items():
        if name.endswith("Request") or name.startswith("Paginated"):
            continue
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        properties = schema["components"]["schemas"][name]["properties"]
        for field_name, field in serializer.fields.items():
            if field.source == "*" or field_name not in properties:
                continue
            can_be_null = bool(field.allow_null) or _through_null(field, model)
            if bool(properties[field_name].get("nullable")) != can_be_null:
                wrong.append(f"{name}.{field_name} (can be null: {can_be_null})")
    assert not wrong, wrong


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("AssemblyOut", "facilitator"),
        ("AssemblyOut", "note_taker"),
        ("CircleOut", "parent"),
        ("OpportunityOut", "budget"),
        ("OpportunityOut", "source_coop"),
        ("OpportunityOut", "client_organisation"),
        ("LedgerEntryOut", "contribution"),
        ("LedgerEntryOut", "claim"),
        ("LedgerEntryOut", "reversal_of"),
        ("HelpRequestOut", "opportunity"),
        ("ProjectOut", "lead_coop"),
        ("AmendmentOut", "policy"),
        ("InterestOut", "role"),
        ("ContributionOut", "ledger_entry"),
    ],
)
def test_the_relations_that_may_be_unset_are_nullable(generated, component, field):
    schema, _components = generated
    assert schema["components"]["schemas"][component]["properties"][field]["nullable"] is True


def test_a_list_in_a_response_is_never_declared_nullable(generated):
    schema, _components = generated
    nullable_lists = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, prop in component.get("properties", {}).items()
        if prop.get("type") == "array" and prop.get("nullable")
    ]
    assert not nullable_lists


# Bodies ------------------------------------------------------------------------------------------
def test_every_request_body_declares_that_it_takes_no_other_field(generated):
    schema, _components = generated
    open_bodies = [
        name
        for name, component in schema["components"]["schemas"].items()
        if name.endswith("Request") and component.get("additionalProperties") is not False
    ]
    assert not open_bodies


def test_an_unknown_field_inside_a_nested_object_is_refused_too(api_client, member):
    """The schema says so for a person's skills; the API keeps to it."""
    LanguageFactory(code="en", name="English")
    api_client.force_login(member.user)
    body = {"languages": [{"language": "en", "proficiency": 3, "dialect": "scouse"}]}
    problem = assert_problem(
        api_client.patch(f"{API}people/{member.pk}/", body, format="json"), 400
    )
    assert "dialect" in str(problem["errors"]["languages"])


# Shapes ------------------------------------------------------------------------------------------
def test_inviting_a_team_answers_a_plain_list_not_a_page(generated):
    schema, _components = generated
    invite = schema["paths"][f"{API}projects/{{id}}/invite/"]["post"]
    assert invite["responses"]["200"]["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/TeamMembershipOut"},
    }
    assert [p["name"] for p in invite["parameters"] if p["in"] != "header"] == ["id"]


def test_only_lists_read_a_cursor_and_filters(generated):
    schema, _components = generated
    for method, path, operation in operations(schema):
        names = {p["name"] for p in operation.get("parameters", [])}
        is_list = method == "get" and "{" not in path
        assert ("cursor" in names) == is_list, (method, path)


def test_no_operation_is_described_by_a_helper_it_inherits(generated):
    schema, _components = generated
    helper = " ".join((ServiceCallMixin.__doc__ or "").split())
    for method, path, operation in operations(schema):
        assert " ".join(operation.get("description", "").split()) != helper, (method, path)


# Security ----------------------------------------------------------------------------------------
def test_the_operations_open_to_anonymous_callers_are_the_ones_that_answer_them(schema, api_client):
    """Each list is called without a credential: the ones that answer are the ones the schema
    marks with `{}`, the others answer 401 or 403."""
    for name in sorted(collections(schema)):
        security = schema["paths"][f"{API}{name}/"]["get"]["security"]
        status = api_client.get(f"{API}{name}/").status_code
        assert status in {200, 401, 403}, (name, status)
        assert (status == 200) == ({} in security), (name, status, security)
    writes = [(m, p) for m, p, o in operations(schema) if m != "get" and {} in o["security"]]
    assert writes == [("post", f"{API}help-requests/")]  # asking for help needs no account


# Amounts -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("budget", ["0", "0.00", "-5"])
def test_an_opportunity_budget_must_be_more_than_zero(as_coordinator, circle, generated, budget):
    opportunity = OpportunityFactory(circle=circle)
    url = f"{API}opportunities/{opportunity.pk}/"
    problem = assert_problem(as_coordinator.patch(url, {"budget": budget}, format="json"), 400)
    assert "budget" in problem["errors"]
    opportunity.refresh_from_db()
    assert opportunity.budget != Decimal(budget)
    declared = generated[0]["components"]["schemas"]["PatchedOpportunityInRequest"]
    assert not re.match(declared["properties"]["budget"]["pattern"], budget)
    assert declared["properties"]["budget"]["minimum"] == 0.01


def test_the_service_refuses_a_zero_budget_whichever_door_it_comes_through(coordinator, circle):
    opportunity = OpportunityFactory(circle=circle)
    with pytest.raises(ValidationError) as refused:
        opportunity_update(
            actor=coordinator.user, opportunity=opportunity, data={"budget": Decimal("0")}
        )
    assert "budget" in refused.value.message_dict


def test_a_positive_amount_is_documented_as_drf_reads_it(generated):
    """The pattern of a contribution's amount accepts what the serializer accepts."""
    schema, components = generated
    pattern = schema["components"]["schemas"]["ContributionInRequest"]["properties"]["amount"][
        "pattern"
    ]
    field = components["ContributionInRequest"].fields["amount"]
    for value in ["0", "0.00", ".0", "-1", "0.001", "0.01", ".5", "0.50", "12", "12.5", "12.50"]:
        try:
            field.run_validation(value)
            accepted = True
        except serializers.ValidationError:
            accepted = False
        assert bool(re.match(pattern, value)) == accepted, value


# The description and the root --------------------------------------------------------------------
def test_the_description_names_every_resource(schema):
    description = schema["info"]["description"]
    missing = [name for name in collections(schema) if f"`{name}`" not in description]
    assert not missing


def test_the_api_root_lists_every_resource_of_the_schema(schema, api_client):
    response = api_client.get(API)
    assert response.status_code == 200
    root = response.json()
    assert root.keys() == collections(schema) | {"schema", "docs"}
    for name, url in root.items():
        assert url.endswith(f"{API}{name}/"), (name, url)


def test_the_api_has_one_root_and_one_spelling_of_each_path(api_client):
    """No app answers `/api/v1/` with a root of its own resources, and no path has a second,
    `.json`, spelling that the schema does not document."""
    from patio.urls import api_v1

    roots = [p for p in api_v1 if str(p.pattern) in {"", "^$"}]
    assert [p.name for p in roots] == ["api-root"]
    assert [str(p.pattern) for p in api_v1 if "format" in str(p.pattern)] == []
    assert api_client.get(f"{API}skills.json").status_code == 404


# The whole -----------------------------------------------------------------------------------
def test_the_schema_is_valid_openapi_and_generates_without_a_warning(tmp_path):
    """A guessed type or an enum named by a hash is a warning; `--fail-on-warn` makes it fail."""
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
        stderr=io.StringIO(),
    )


def test_no_response_field_is_an_object_of_unknown_shape(generated):
    """An object without properties (a method field without a type) tells a client nothing."""
    schema, _components = generated
    shapeless = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        if name != "Problem"
        for field, prop in component.get("properties", {}).items()
        if prop.get("type") == "object" and "properties" not in prop
    ]
    assert not shapeless
