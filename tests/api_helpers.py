"""What the apps' API tests check alike: problem JSON, and the generated OpenAPI schema."""

from __future__ import annotations

from typing import Any

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The answer is a problem JSON with this status; its body, for the test's own checks."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS and body["status"] == status
    return body


def documented_paths(api_client: Any, *expected: str) -> dict[str, Any]:
    """The schema's paths, once every `expected` path is among them."""
    paths = api_client.get("/api/v1/schema/?format=json").json()["paths"]
    missing = [path for path in expected if path not in paths]
    assert not missing, f"not in the schema: {missing}"
    return paths
