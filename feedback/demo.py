"""Demo feedback, called by `manage.py seed_demo` after projects: the demo member asked the team
of a finished project of theirs for feedback and both teammates answered (so their page shows
"feedback received: 2"), and the demo coordinator has asked the member, who shares a circle
with them, for feedback they have still to give. The rows are written as the services would
have left them, answers of people without an account too (as if they had answered), with the
invitations marked sent, so seeding mails nobody. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from feedback.models import FeedbackInvite, FeedbackRequest
from feedback.selectors import TEAMMATE_STATUSES
from members.models import Person
from projects.models import Project, TeamMembership

ANSWERED_PROJECT = "Decision-making tools for a federation"
ANSWERS = (
    (
        "The facilitation guides were clear, and you kept every call to its hour.",
        "Share the agenda a day earlier, so those of us in other timezones can prepare.",
        "I'd gladly work with you again.",
    ),
    (
        "You asked the federation's members what they needed before we set anything up.",
        "Write down who decides what at the start: we lost a week on the Decidim budget rules.",
        "",
    ),
)


def _person(email: str) -> Person | None:
    return Person.objects.filter(user__email=email).first()


@transaction.atomic
def seed(*, say: Callable[[str], None] = print) -> None:
    member = _person("member@patio.example")
    coordinator = _person("coordinator@patio.example")
    if member is None or coordinator is None:
        say("feedback: no demo accounts, no feedback")
        return
    now = timezone.now()
    made = 0

    project = Project.objects.filter(name=ANSWERED_PROJECT).first()
    if (
        project is not None
        and not FeedbackRequest.objects.filter(asker=member, project=project).exists()
    ):
        asked_at = now - timedelta(days=20)
        request = FeedbackRequest.objects.create(
            asker=member,
            project=project,
            message="We finished a while ago; I'd like to hear how my facilitation felt.",
            remind_at=asked_at + timedelta(days=7),
            closes_at=asked_at + timedelta(days=14),
            reminder_taken_at=asked_at + timedelta(days=7),
        )
        teammates = (
            TeamMembership.objects.filter(project=project, status__in=TEAMMATE_STATUSES)
            .exclude(person=member)
            .order_by("role__position", "pk")
            .values_list("person_id", flat=True)
        )
        for person_id, (went_well, to_change, note) in zip(teammates, ANSWERS, strict=False):
            FeedbackInvite.objects.create(
                request=request,
                respondent_id=person_id,
                went_well=went_well,
                to_change=to_change,
                note=note,
                answered_at=asked_at + timedelta(days=3),
                invite_sent_at=asked_at,
            )
        FeedbackRequest.objects.filter(pk=request.pk).update(created_at=asked_at)
        FeedbackInvite.objects.filter(request=request).update(created_at=asked_at)
        made += 1

    # The coordinator asked the member (they share a circle) three days ago: still to answer.
    if not FeedbackRequest.objects.filter(asker=coordinator, project=None).exists():
        asked_at = now - timedelta(days=3)
        request = FeedbackRequest.objects.create(
            asker=coordinator,
            message="How did the onboarding sessions I ran this autumn go for you?",
            remind_at=asked_at + timedelta(days=7),
            closes_at=asked_at + timedelta(days=14),
        )
        FeedbackInvite.objects.create(request=request, respondent=member, invite_sent_at=asked_at)
        FeedbackRequest.objects.filter(pk=request.pk).update(created_at=asked_at)
        FeedbackInvite.objects.filter(request=request).update(created_at=asked_at)
        made += 1
    say(f"feedback: {made} requests")
