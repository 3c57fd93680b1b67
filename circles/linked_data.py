"""schema.org JSON-LD for circles: the network's areas of work, each an `Organization` within
the network (patio.linked_data). Circles are public, as the circle pages are."""

from __future__ import annotations

from circles.models import Circle
from members.linked_data import network
from patio.linked_data import Document, document, plain_text, reference


def circle_reference(circle: Circle) -> Document:
    return reference("Organization", circle.get_absolute_url(), circle.name)


def circle_document(circle: Circle) -> Document:
    """Its name, purpose and domain, and where it sits in the tree of circles (the parent and
    the sub-circles the detail selector prefetched)."""
    return document(
        "Organization",
        circle.get_absolute_url(),
        name=circle.name,
        alternateName=circle.slug,
        description=plain_text(circle.purpose),
        disambiguatingDescription=plain_text(circle.domain),
        parentOrganization=circle_reference(circle.parent) if circle.parent else network(),
        subOrganization=[circle_reference(child) for child in circle.children.all()],
    )
