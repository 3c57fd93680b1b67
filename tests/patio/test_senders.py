"""Sent at least once (patio.delivery's senders): every outbox of emails can be sent again from
ids alone, and beat's re-queue gives a killed worker's abandoned claims to a sender, which sends
each once, with the Message-ID the first attempt had."""

from __future__ import annotations

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.utils import timezone

from members import services as member_services
from members.emails import invitation_email_send
from members.models import Invitation
from patio import delivery
from patio.delivery import Outbox
from patio.emails import message_id
from patio.models import OutboxMessage
from patio.outbox import OUTBOX
from patio.tasks import send_again


def _outboxes_of_emails() -> dict[str, Outbox]:
    """Every Outbox an app's `emails` module defines, by where it is defined."""
    found = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.emails")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if isinstance(value, Outbox):
                found[f"{config.name}.emails.{name}"] = value
    return found


@pytest.mark.django_db
def test_every_outbox_of_emails_has_a_sender_that_can_send_its_abandoned_rows_again():
    covered = {sender.outbox for sender in delivery.senders()}

    outboxes = _outboxes_of_emails()

    assert len(outboxes) >= 9
    assert {name for name, outbox in outboxes.items() if outbox not in covered} == set()
    assert OUTBOX not in covered  # the task outbox is swept by its own relay


@pytest.mark.django_db
def test_an_invitation_abandoned_mid_send_is_requeued_and_sent_once_with_a_working_link(
    coop, coop_admin, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the worker died with the message
        invitation = member_services.invitation_create(
            actor=coop_admin.user, organisation=coop, email="nadia@example.coop"
        )
    Invitation.objects.filter(pk=invitation.pk).update(
        email_taken_at=timezone.now() - timedelta(seconds=settings.DELIVERY_RECLAIM_SECONDS + 60)
    )
    OutboxMessage.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=False):
        assert delivery.requeue_unsent() == {"members.invitations": 1}
        assert delivery.requeue_unsent() == {"members.invitations": 1}  # harmless twice
    messages = list(OutboxMessage.objects.order_by("pk"))
    assert [(m.task, m.args) for m in messages] == [
        ("patio.tasks.send_again", ["members.invitations", [invitation.pk]])
    ] * 2

    assert send_again(*messages[0].args) == 1
    assert send_again(*messages[1].args) == 0  # the second message finds it sent

    (email,) = mail.outbox
    assert email.to == ["nadia@example.coop"]
    assert email.extra_headers["Message-ID"] == message_id(invitation)
    link = re.search(r"https?://\S+(/join/\S+)", email.body).group(1)
    assert "Join Camplight on Patio" in client.get(link).content.decode()
    assert delivery.requeue_unsent() == {}


def _invited_and_emailed(coop, coop_admin) -> Invitation:
    """An invitation made through the service, its email sent by the task's own function."""
    invitation = member_services.invitation_create(
        actor=coop_admin.user, organisation=coop, email="nadia@example.coop"
    )
    assert invitation_email_send(invitation_id=invitation.pk, token=invitation.plain_token)
    assert len(mail.outbox) == 1
    return invitation


@pytest.mark.django_db
def test_a_repeat_after_a_kill_between_sending_and_marking_carries_the_same_message_id(
    coop, coop_admin
):
    invitation = _invited_and_emailed(coop, coop_admin)
    # The worker was killed after the mail server took it, before the mark was written.
    Invitation.objects.filter(pk=invitation.pk).update(
        email_sent_at=None,
        email_taken_at=timezone.now() - timedelta(seconds=settings.DELIVERY_RECLAIM_SECONDS + 60),
    )

    assert send_again("members.invitations", [invitation.pk]) == 1

    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"] == f"<members.invitation.{invitation.pk}@127.0.0.1>"


@pytest.mark.django_db
def test_a_claim_younger_than_the_reclaim_time_is_left_to_its_sender(coop, coop_admin):
    invitation = _invited_and_emailed(coop, coop_admin)
    Invitation.objects.filter(pk=invitation.pk).update(
        email_sent_at=None, email_taken_at=timezone.now() - timedelta(seconds=30)
    )

    assert delivery.requeue_unsent() == {}
    assert send_again("members.invitations", [invitation.pk]) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_revoked_invitation_abandoned_mid_send_is_not_sent_again(coop, coop_admin):
    invitation = _invited_and_emailed(coop, coop_admin)
    Invitation.objects.filter(pk=invitation.pk).update(
        email_sent_at=None,
        email_taken_at=timezone.now() - timedelta(seconds=settings.DELIVERY_RECLAIM_SECONDS + 60),
    )
    member_services.invitation_revoke(actor=coop_admin.user, invitation=invitation)

    assert delivery.requeue_unsent() == {}
    assert send_again("members.invitations", [invitation.pk]) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_invitation_whose_task_died_untaken_is_sent_once_it_is_overdue_and_not_when_old(
    coop, coop_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the message died with a worker
        lost, old = (
            member_services.invitation_create(
                actor=coop_admin.user, organisation=coop, email=f"{name}@example.coop"
            )
            for name in ("nadia", "olek")
        )
    OutboxMessage.objects.all().delete()
    assert delivery.requeue_unsent() == {}  # too early to tell from a message still queued

    now = timezone.now()
    Invitation.objects.filter(pk=lost.pk).update(created_at=now - timedelta(minutes=20))
    Invitation.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(days=settings.DELIVERY_REQUEUE_DAYS, minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=False):
        assert delivery.requeue_unsent() == {"members.invitations": 1}
    (message,) = OutboxMessage.objects.all()
    assert send_again(*message.args) == 1
    assert [email.to for email in mail.outbox] == [["nadia@example.coop"]]
