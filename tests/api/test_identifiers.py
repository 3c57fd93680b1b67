"""Each resource has one lookup key, and a related object is written the way it is read: where an
output embeds a person (`{"id": 12, "display_name": …}`), the input takes `{"id": 12}`; where the
output gives a slug, the input takes that slug. A partner can send back what it read."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

API = "/api/v1/"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in node:
            # `nullable` refs come as oneOf/allOf [ref, null]: the non-null branch is the shape.
            branches = [b for b in node[combined] if b.get("type") != "null" and b != {}]
            if len(branches) == 1:
                return _resolve(schema, branches[0])
    return node


def _kind(schema: dict[str, Any], node: dict[str, Any]) -> str:
    """How a property refers to its value: `object`, `array of object`, or a JSON scalar type."""
    node = _resolve(schema, node)
    if node.get("type") == "array":
        return "array of " + _kind(schema, node.get("items", {}))
    if "properties" in node or node.get("type") == "object":
        return "object"
    if "enum" in node and "type" not in node:
        return "string"
    if "oneOf" in node and all("enum" in _resolve(schema, b) for b in node["oneOf"]):
        return "string"  # a choice that may also be blank
    return str(node.get("type", "any"))


def _operations(schema: dict[str, Any]):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"post", "put", "patch"}:
                yield f"{method.upper()} {path}", operation


def _body(schema: dict[str, Any], operation: dict[str, Any], where: str) -> dict[str, Any]:
    if where == "request":
        content = operation.get("requestBody", {}).get("content", {})
    else:
        ok = next((r for s, r in operation["responses"].items() if s.startswith("2")), {})
        content = ok.get("content", {})
    media = content.get("application/json")
    return _resolve(schema, media["schema"]).get("properties", {}) if media else {}


def test_every_field_written_is_shaped_as_it_is_read(schema):
    mismatches = []
    for name, operation in _operations(schema):
        request, response = (
            _body(schema, operation, "request"),
            _body(schema, operation, "response"),
        )
        for field in sorted(set(request) & set(response)):
            wrote, read = _kind(schema, request[field]), _kind(schema, response[field])
            if wrote != read:
                mismatches.append(f"{name} {field}: written as {wrote}, read as {read}")
    assert mismatches == [], "\n".join(mismatches)
