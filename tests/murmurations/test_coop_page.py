"""A co-op's page tells those who edit it where its profile stands in the index; nobody else sees
that section."""

from __future__ import annotations

import pytest

from members.services import organisation_update
from murmurations.services import registrations_sync
from murmurations.tasks import sync_registrations
from tests.conftest import queued
from tests.murmurations.fake_index import running_index

pytestmark = pytest.mark.django_db
HEADING = "On the Murmurations index"


@pytest.fixture
def registered(coop, network_admin):
    with running_index():
        organisation_update(actor=network_admin, organisation=coop, data={"city": "Plovdiv"})
        for args in queued(sync_registrations):
            registrations_sync(ids=args[0])
    return coop


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("visitor", False),
        ("member", False),
        ("outsider", False),
        ("coop_admin", True),
        ("network_admin", True),
    ],
)
def test_only_those_who_edit_the_coop_see_its_registration(client, request, registered, who, sees):
    if who != "visitor":
        person_or_user = request.getfixturevalue(who)
        client.force_login(getattr(person_or_user, "user", person_or_user))
    page = client.get(registered.get_absolute_url()).content.decode()
    assert (HEADING in page) is sees
    if sees:
        assert "Its profile was sent to the index on" in page
        assert "The index is reading it." in page


def test_a_coop_never_sent_shows_no_section(client, coop_admin, coop):
    client.force_login(coop_admin.user)
    assert HEADING not in client.get(coop.get_absolute_url()).content.decode()
