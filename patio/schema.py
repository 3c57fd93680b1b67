"""The OpenAPI schema says what the API really answers: errors, and who may call without a login.

drf-spectacular documents the success of each operation from its serializers. What every
operation shares is added here, once, so no view can forget it and the schema cannot drift from
`patio.api.problem_exception_handler`:

- **The errors.** Every operation may answer problem details (`application/problem+json`, the
  `Problem` component): 400 for bad input, 401 for a missing or refused credential, 403 when the
  caller may not, 404, 406 for an `Accept` we cannot serve, and 429 past the throttle. An
  operation with a body adds 413 and 415; a write adds 409, the conflict a service reports when
  the record changed meanwhile; an operation that takes an `Idempotency-Key` adds 422, the key
  reused for another body (and the header says what a key may be). A response a view documents
  itself is kept, and given the problem body when it has only a description.
- **Filters as they read.** The filter sets are the pages' too, where an empty field of the
  form means "any"; so a filter parameter also accepts the empty string. A number filter reads
  a decimal, whatever the model field's type.
- **Fields say what they send.** A field read through a nullable relation (`parent.slug`, a
  co-op that may be unset) can be null; a time is `hh:mm[:ss]`, without the offset JSON Schema's
  `time` format demands.
- **Bodies are closed.** A request body read by a `StrictFieldsMixin` serializer (all of
  them) says `additionalProperties: false`, as the serializer refuses any other field. A
  decimal with a lower bound says it in its pattern (a decimal is a string) and in `minimum`.
- **Pages only where there are pages.** Only a `list` reads a cursor, filters and ordering and
  answers a page; an action that answers several objects answers a plain array.
- **Descriptions the caller can use.** An operation is described by its own docstring or its
  view's, never by one a mixin wrote for programmers.
- **Optional authentication.** An operation whose permissions let an anonymous caller through
  (most reads) lists `{}` among its security requirements, as OpenAPI spells "a credential is
  optional". The view's own `check_permissions` is asked, with an anonymous request, so the
  schema follows the code (a check a view adds there included) rather than a list beside it.

`tests/api/test_fuzz.py` holds the API to this schema with schemathesis,
`tests/api/test_generated_client.py` reads the demo network with a client generated from it,
and `tests/api/test_schema_exact.py` checks each of these rules over the whole schema.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, cast

import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import build_mock_request
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request

from patio.api import PROBLEM_CONTENT_TYPE, StrictFieldsMixin
from patio.filters import document_parameter

PROBLEM_COMPONENT = "Problem"
PROBLEM_REF = {"$ref": f"#/components/schemas/{PROBLEM_COMPONENT}"}

# RFC 9457 problem details, as `patio.api.problem` writes them.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "For invalid input: the messages, keyed by field.",
            "additionalProperties": True,
        },
        "retry_after": {
            "type": "integer",
            "description": "For 429: seconds to wait before the next request.",
        },
    },
    "required": ["type", "title", "status", "detail"],
}

EVERY_OPERATION = {
    "400": "The request is malformed or has invalid fields or parameters.",
    "401": "The credential is missing, malformed, expired or revoked.",
    "403": "The caller may not do this.",
    "404": "Not found, or not visible to the caller.",
    "406": "The response cannot be given in an accepted media type.",
    "429": "Too many requests; wait `retry_after` seconds.",
}
WITH_BODY = {
    "413": "The request body is too large.",
    "415": "The request body is not JSON.",
}
WRITES = {"409": "The record changed meanwhile, or its state does not allow this."}
IDEMPOTENT = {"422": "This Idempotency-Key was used for another request."}
IDEMPOTENCY_HEADER = "idempotency-key"
# Every POST of a view that takes the header (patio.api.ServiceCallMixin.idempotent_posts).
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Up to 255 characters. A repeated key (same caller, same endpoint) returns the "
    "first answer again and changes nothing more; the same key with another body is a 422.",
)


# What DRF's TimeField reads and writes (ISO 8601 without an offset).
TIME_PATTERN = r"^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?$"
EMPTY_STRING = {"type": "string", "maxLength": 0}


# drf-spectacular's own mock request (its plumbing is untyped), here without a credential.
_mock_request: Callable[..., Request] = build_mock_request


def _reads_through_null(field: serializers.Field[Any, Any, Any, Any]) -> bool:
    """Does the field's source pass through a nullable model field (`parent`, `lead_coop.slug`)?"""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    for name in getattr(field, "source_attrs", []):
        if not (isinstance(model, type) and issubclass(model, Model)):
            return False
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if model_field.one_to_many or model_field.many_to_many:
            return False  # a list is empty, never null
        if model_field.one_to_one and model_field.auto_created:
            return True  # the other side of a one-to-one, which may not exist (yet)
        if model_field.null:
            return True
        model = model_field.related_model
    return False


def _decimal_bounds(field: serializers.DecimalField, schema: dict[str, Any]) -> None:
    """A decimal travels as a string with a pattern, so its lower bound goes in the pattern (a
    validator reads `minimum` only on numbers), and in `minimum` for the people reading it."""
    low = field.min_value
    if low is None or low < 0 or field.max_digits is None or not field.decimal_places:
        return
    whole, places = field.max_digits - field.decimal_places, field.decimal_places
    if whole < 1:
        return
    if low == 0:
        schema["pattern"] = rf"^\d{{0,{whole}}}(?:\.\d{{0,{places}}})?$"
    else:
        # Not zero: a whole part from 1, or a fraction with a digit from 1.
        fractions = "|".join(
            (rf"\d{{{i}}}" if i else "")
            + "[1-9]"
            + (rf"\d{{0,{places - 1 - i}}}" if i < places - 1 else "")
            for i in range(places)
        )
        schema["pattern"] = (
            rf"^0*(?:[1-9]\d{{0,{whole - 1}}}(?:\.\d{{0,{places}}})?|\.(?:{fractions}))$"
        )
    schema["minimum"] = float(low)


def _problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_REF}}}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's inspector, with the error responses and optional auth of every operation."""

    def _get_serializer_field_meta(self, field: Any, direction: Any) -> dict[str, Any]:
        meta: dict[str, Any] = cast(Any, super())._get_serializer_field_meta(field, direction)
        if (
            direction == "response"
            and isinstance(field, serializers.Field)
            and "nullable" not in meta
            and _reads_through_null(field)
        ):
            meta["nullable"] = True
        return meta

    def _map_serializer(
        self, serializer: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = cast(Any, super())._map_serializer(
            serializer, direction, bypass_extensions
        )
        if (
            direction == "request"
            and isinstance(serializer, StrictFieldsMixin)
            and schema.get("type") == "object"
        ):
            schema["additionalProperties"] = False  # StrictFieldsMixin refuses unknown fields
        return schema

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        base = cast(Any, super())
        schema: dict[str, Any] = base._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.DecimalField)
            and schema.get("format") == "decimal"
        ):
            _decimal_bounds(field, schema)
        if (
            direction == "request"
            and isinstance(field, serializers.RelatedField)
            and field.allow_null
        ):
            # DRF reads "" as null for a relation (as a form's empty select sends it).
            schema.pop("minLength", None)
        if isinstance(field, serializers.TimeField) and schema.get("format") == "time":
            del schema["format"]
            schema["pattern"] = TIME_PATTERN
        return schema

    def get_description(self) -> str:  # type: ignore[override]  # drf-spectacular's signature
        """The action's docstring, or the view's own: not one a base class or mixin wrote for
        programmers (`ServiceCallMixin`'s would otherwise describe half the operations)."""
        action = getattr(self.view, getattr(self.view, "action", self.method.lower()), None)
        own = self.view.__class__.__dict__.get("__doc__")
        return inspect.cleandoc(getattr(action, "__doc__", None) or own or "")

    def _is_a_page(self) -> bool:
        """Only `list` answers a page of results (and reads filters, ordering and a cursor);
        an action that answers a list, such as `POST /projects/{id}/invite/`, answers a plain
        array."""
        return getattr(self.view, "action", None) == "list"

    def _get_paginator(self) -> Any:
        return cast(Any, super())._get_paginator() if self._is_a_page() else None

    def get_filter_backends(self) -> list[Any]:
        return super().get_filter_backends() if self._is_a_page() else []

    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = super().get_override_parameters()
        named = {getattr(p, "name", "").lower() for p in parameters}
        takes_key = getattr(self.view, "idempotent_posts", False)
        if self.method == "POST" and takes_key and IDEMPOTENCY_HEADER not in named:
            parameters.append(IDEMPOTENCY_PARAMETER)
        return parameters

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = cast(Any, super())._get_filter_parameters()
        filters = getattr(getattr(self.view, "filterset_class", None), "base_filters", {})
        for parameter in parameters:
            schema = parameter.get("schema", {})
            number = filters.get(parameter.get("name"))
            if isinstance(number, django_filters.NumberFilter) and schema.get("type") == "integer":
                # A NumberFilter reads a decimal ("at least 0.5 free hours").
                schema["type"] = "number"
            document_parameter(getattr(self.view, "filterset_class", None), parameter)
            plain_text = schema.get("type") == "string" and not schema.keys() & {"format", "enum"}
            if parameter.get("in") == "query" and schema.get("type") != "array" and not plain_text:
                parameter["schema"] = {"anyOf": [schema, EMPTY_STRING]}
        return parameters

    def get_auth(self) -> list[dict[str, list[str]]]:
        auths: list[dict[str, list[str]]] = super().get_auth()
        if auths and {} not in auths and self._anonymous_allowed():
            auths.append({})
        return auths

    def _anonymous_allowed(self) -> bool:
        """Would a request with no credential pass this operation's permission check? The view's
        own `check_permissions` is asked, so a check a view adds there counts too."""
        request = _mock_request(self.method, self.path, self.view, None)
        try:
            self.view.check_permissions(request)
        except exceptions.APIException:  # NotAuthenticated or PermissionDenied
            return False
        return True

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        errors = dict(EVERY_OPERATION)
        if self.method not in permissions.SAFE_METHODS:
            errors |= WRITES
            if self.method != "DELETE":
                errors |= WITH_BODY
        if any(
            parameter.get("in") == "header"
            and parameter.get("name", "").lower() == IDEMPOTENCY_HEADER
            for parameter in self._get_parameters()
        ):
            errors |= IDEMPOTENT
        for code, description in errors.items():
            responses.setdefault(code, _problem_response(description))
        return responses


# What `Idempotency-Key` accepts: 1 to 255 printable ASCII characters, not only spaces.
IDEMPOTENCY_KEY_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": 255,
    "pattern": "^[ -~]*[!-~][ -~]*$",
}


def add_problem_component(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A postprocessing hook: the `Problem` component the error responses refer to, the
    content of error responses a view documented with a description only, and what an
    `Idempotency-Key` header accepts."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[PROBLEM_COMPONENT] = PROBLEM_SCHEMA
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if (
                    parameter.get("in") == "header"
                    and parameter["name"].lower() == IDEMPOTENCY_HEADER
                ):
                    parameter["schema"] = IDEMPOTENCY_KEY_SCHEMA
            for code, response in operation.get("responses", {}).items():
                if code[0] in "45" and "content" not in response:
                    response["content"] = {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_REF}}
    return result


# The headers every answer may carry (patio.middleware.ApiHeadersMiddleware, patio.api).
_NUMBER = {"type": "string", "pattern": "^[0-9]+$"}
RATE_LIMIT_HEADERS: dict[str, Any] = {
    "RateLimit-Limit": {"schema": _NUMBER, "description": "Requests allowed in the window."},
    "RateLimit-Remaining": {"schema": _NUMBER, "description": "Requests left in the window."},
    "RateLimit-Reset": {"schema": _NUMBER, "description": "Seconds until the window frees up."},
}
READ_HEADERS: dict[str, Any] = {
    "ETag": {"schema": {"type": "string"}, "description": "A weak validator of the body."},
    "Last-Modified": {
        "schema": {"type": "string"},
        "description": "When the record last changed, for records that keep the time.",
    },
}
PAGE_HEADERS: dict[str, Any] = {
    "Link": {
        "schema": {"type": "string"},
        "description": 'The next and previous pages (RFC 8288, rel="next" and rel="prev"), as '
        "in the body's `next` and `previous`.",
    }
}
CREATED_HEADERS: dict[str, Any] = {
    "Location": {"schema": {"type": "string"}, "description": "The created record's address."}
}


def add_http_contract(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A postprocessing hook: every answer may carry the RateLimit headers, a read its
    validators (and a 304 for a conditional one), a 201 its Location. Documented, never
    required: an answer refused before the throttle counts it has no RateLimit headers."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            responses = operation.get("responses", {})
            if method == "get" and "200" in responses:
                responses.setdefault(
                    "304", {"description": "Not modified since the validator the caller sent."}
                )
            for code, response in responses.items():
                headers = response.setdefault("headers", {})
                headers.update(RATE_LIMIT_HEADERS)
                if method == "get" and code == "200":
                    headers.update(READ_HEADERS)
                    names = {p.get("name") for p in operation.get("parameters", [])}
                    if "cursor" in names:  # a page of a list
                        headers.update(PAGE_HEADERS)
                if code == "201":
                    headers.update(CREATED_HEADERS)
    return result
