"""Invitations with a worker killed in the middle of sending them (issue "Nothing lost, nothing
doubled"): every invitee gets their email once, identified by a stable Message-ID."""

from __future__ import annotations

import pytest

from members import services
from members.models import Invitation
from patio.emails import message_id
from tests.worker_fixtures import assert_each_once, kill_mid_send

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_invitations_a_killed_worker_was_sending_all_arrive_once(coop, coop_admin, tmp_path):
    addresses = [f"new-{n}@example.coop" for n in range(8)]

    def invite_everyone() -> None:
        for address in addresses:
            services.invitation_create(actor=coop_admin.user, organisation=coop, email=address)

    sent = kill_mid_send(
        tmp_path / "mail.log",
        queue=invite_everyone,
        kill_after=2,
        done=lambda: (
            Invitation.objects.count() == len(addresses)
            and not Invitation.objects.filter(email_sent_at__isnull=True).exists()
        ),
    )

    assert_each_once(sent, {i.email: message_id(i) for i in Invitation.objects.all()})
