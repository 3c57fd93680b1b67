"""schema.org JSON-LD for public policies: a `CreativeWork` with each adopted version as a part
of it and an example of the work, numbered by `version` (patio.linked_data)."""

from __future__ import annotations

from collections.abc import Sequence

from members.linked_data import network
from patio.linked_data import Document, absolute, day, document, node, plain_text
from policies.models import Policy, PolicyVersion


def version_path(version: PolicyVersion) -> str:
    return version.get_absolute_url()


def version_node(policy: Policy, version: PolicyVersion) -> Document:
    return {
        "@type": "CreativeWork",
        "@id": absolute(version_path(version)),
        **node(
            "CreativeWork",
            name=f"{policy.title} v{version.number}",
            url=absolute(version_path(version)),
            version=version.number,
            datePublished=day(version.effective_date),
            abstract=version.summary,
        ),
    }


def policy_document(policy: Policy, versions: Sequence[PolicyVersion]) -> Document:
    """`versions`: newest first, as the policy page reads them."""
    current = versions[0] if versions else None
    parts = [version_node(policy, version) for version in versions]
    return document(
        "CreativeWork",
        policy.get_absolute_url(),
        name=policy.title,
        genre=str(policy.get_category_display()),
        version=current.number if current else None,
        dateModified=day(current.effective_date) if current else None,
        text=plain_text(current.text) if current else None,
        publisher=network(),
        hasPart=parts,
        workExample=[{"@id": part["@id"]} for part in parts],
    )


def version_document(policy: Policy, version: PolicyVersion) -> Document:
    """One adopted text, part of its policy."""
    return document(
        "CreativeWork",
        version_path(version),
        name=f"{policy.title} v{version.number}",
        version=version.number,
        datePublished=day(version.effective_date),
        abstract=version.summary,
        text=plain_text(version.text),
        publisher=network(),
        isPartOf={"@type": "CreativeWork", "@id": absolute(policy.get_absolute_url())},
        exampleOfWork={"@id": absolute(policy.get_absolute_url())},
    )
