"""A circle's address is permanent: a changed slug answers 301; its page and the same address
by content negotiation carry its schema.org JSON-LD."""

from __future__ import annotations

import pytest

from circles.models import Circle
from tests.circles.factories import CircleFactory
from tests.linked_data import expand_checked, negotiated, page_document, values

pytestmark = pytest.mark.django_db


def test_a_circle_is_an_organization_within_the_network(client):
    parent = CircleFactory(name="Tech", slug="tech")
    child = CircleFactory(name="Hosting", slug="hosting", parent=parent)
    response = negotiated(client, "/circles/tech/")
    assert response.status_code == 200
    assert page_document(client.get("/circles/tech/")) == response.json()
    top = expand_checked(response.json(), "Organization", required=("name", "description"))
    [sub] = values(top, "subOrganization")
    assert sub["@id"].endswith(child.get_absolute_url())
    assert values(top, "parentOrganization")[0]["@type"]


def test_a_circle_renamed_in_the_admin_keeps_its_old_address(client, admin_client):
    circle = CircleFactory(name="Tech", slug="tech")
    circle = Circle.objects.get(pk=circle.pk)
    circle.slug = "technology"
    circle.save()
    response = client.get("/circles/tech/")
    assert (response.status_code, response["Location"]) == (301, "/circles/technology/")
    assert client.get("/circles/technology/").status_code == 200
    assert client.get("/circles/nothing/").status_code == 404
