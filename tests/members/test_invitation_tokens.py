"""Invitation tokens are stored hashed, like API tokens: the plain token exists only in the
email's link. Links sent before the change keep working."""

from __future__ import annotations

import hashlib

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from members import services
from members.models import Invitation
from members.tasks import send_invitation
from tests.conftest import queued
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def test_the_row_keeps_only_a_hash_and_the_email_carries_the_token(
    client, coop, coop_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        invitation = services.invitation_create(
            actor=coop_admin.user, organisation=coop, email="nadia@example.coop"
        )
    [(invitation_id, token)] = queued(send_invitation)
    assert invitation_id == invitation.pk

    row = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in " ".join(str(value) for value in row.values())
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()

    assert send_invitation(invitation.pk, token) is True
    assert f"/join/{token}/" in mail.outbox[0].body
    assert client.get(f"/join/{token}/").status_code == 200


def test_a_token_that_is_not_the_invitations_is_not_emailed(coop):
    invitation = InvitationFactory(organisation=coop)
    assert send_invitation(invitation.pk, "someone-elses-token") is True
    assert "someone-elses-token" not in mail.outbox[0].body


def test_the_signed_link_of_a_later_email_opens_the_invitation_and_a_forged_one_does_not(
    client, coop
):
    invitation = InvitationFactory(organisation=coop)
    link = invitation.get_absolute_url()
    assert client.get(link).status_code == 200

    other = InvitationFactory(organisation=coop)
    forged = link.replace(
        link.split("/")[-2].split(":")[0], other.get_absolute_url().split("/")[-2].split(":")[0]
    )
    assert forged != link
    assert client.get(forged).status_code == 410
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    assert client.get(link).status_code == 410


@pytest.mark.django_db(transaction=True)
def test_links_sent_before_hashing_keep_working(client, coop):
    executor = MigrationExecutor(connection)
    before = [("members", "0008_invitation_person")]
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        OldInvitation = old_apps.get_model("members", "Invitation")
        OldInvitation.objects.create(
            organisation_id=coop.pk,
            email="old@example.coop",
            token="an-old-plain-token",
            expires_at=timezone.now() + timezone.timedelta(days=3),
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        # Every app to its latest: later migrations of members (and those that depend on them)
        # went back with 0009, and the tests after this one need them.
        executor.migrate(executor.loader.graph.leaf_nodes())

    invitation = Invitation.objects.get(email="old@example.coop")
    assert invitation.token_hash == hashlib.sha256(b"an-old-plain-token").hexdigest()
    assert client.get("/join/an-old-plain-token/").status_code == 200
