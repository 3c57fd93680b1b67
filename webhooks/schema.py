"""Every webhook event type in the OpenAPI schema, under `x-webhooks`.

OpenAPI 3.1 has a `webhooks` section, and drf-spectacular fills it from its WEBHOOKS setting; but
the API's schema is OpenAPI 3.0.3, whose validators refuse that key, and drf-spectacular builds
the components before it reads the webhooks, so a body's own component would be missing. So this
postprocessing hook writes the same thing as the extension 3.0 documentation tools read
(`x-webhooks`: an operation per event type, as its receiver gets it), after the components exist:
the body's `data` points at the very component the REST API answers with, so the documented
shape of an organisation is the shape its webhook carries.
"""

from __future__ import annotations

from typing import Any

from webhooks import events

HEADERS = [
    ("webhook-id", "The message's id (`msg_…`): the same on every retry and redelivery."),
    ("webhook-timestamp", "When this attempt was signed, in seconds since 1970 (UTC)."),
    (
        "webhook-signature",
        "`v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` with the "
        "subscription's secret (the bytes after `whsec_`, base64-decoded).",
    ),
]
RECEIVED = (
    "Received. Any other answer, a redirect included, or none within the timeout, is a failed "
    "attempt: it is tried again after 30 s, then twice as long each time, for 24 hours."
)


def component_of(serializer: type[Any]) -> str:
    """The component name drf-spectacular gives a response serializer."""
    name = serializer.__name__
    return name.removesuffix("Serializer") if name != "Serializer" else name


def add_webhooks(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    schemas = result.get("components", {}).get("schemas", {})
    hooks: dict[str, Any] = {}
    for kind in events.kinds():
        component = component_of(kind.serializer)
        if component not in schemas:
            raise LookupError(f"{kind.key}: no component {component} in the schema")
        description = str(kind.description)
        hooks[kind.key] = {
            "post": {
                "operationId": "webhook_" + kind.key.replace(".", "_"),
                "summary": str(kind.label),
                "description": (description + " " if description else "")
                + "`data` is the object as the REST API gives it.",
                "tags": ["webhooks"],
                "parameters": [
                    {
                        "name": name,
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": text,
                    }
                    for name, text in HEADERS
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["type", "timestamp", "data"],
                                "properties": {
                                    "type": {"type": "string", "enum": [kind.key]},
                                    "timestamp": {
                                        "type": "string",
                                        "format": "date-time",
                                        "description": "When it happened.",
                                    },
                                    "data": {"$ref": f"#/components/schemas/{component}"},
                                },
                            }
                        }
                    },
                },
                "responses": {"2XX": {"description": RECEIVED}},
            }
        }
    result["x-webhooks"] = hooks
    return result
