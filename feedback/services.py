"""Every write of feedback: named verbs, keyword-only, atomic, audited.

The audit events name the request and the people, never what an answer says: the answers are
the asker's to read, not the audit log's."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AnyUser
from audit.services import audit_record
from feedback import permissions, selectors
from feedback.models import ANSWER_MAX, MESSAGE_MAX, FeedbackInvite, FeedbackRequest
from feedback.tasks import send_invitations
from members.models import Person
from members.permissions import person_of
from patio import outbox
from projects.models import Project

DAYS_CHOICES = (7, 14, 30)
DEFAULT_DAYS = 14
MAX_RESPONDENTS = 30


class FeedbackClosed(ValidationError):
    """The request's closing time has passed: it takes no more answers."""


def _asker(actor: AnyUser) -> Person:
    person = person_of(actor)
    if person is None:
        raise PermissionDenied(_("Only people of the network ask for feedback."))
    return person


def _respondents(
    asker: Person, project: Project | None, people: Iterable[Person | int]
) -> list[int]:
    wanted = {p if isinstance(p, int) else p.pk for p in people}
    if not wanted:
        raise ValidationError({"respondents": _("Choose at least one person to ask.")})
    if len(wanted) > MAX_RESPONDENTS:
        raise ValidationError(
            {"respondents": _("Ask at most %(count)d people at once.") % {"count": MAX_RESPONDENTS}}
        )
    allowed = set(
        selectors.askable(asker, project=project).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if wanted - allowed:
        raise ValidationError(
            {"respondents": _("You can ask only people you work or worked with.")}
        )
    return sorted(wanted)


@transaction.atomic
def feedback_request(
    *,
    actor: AnyUser,
    respondents: Iterable[Person | int],
    project: Project | None = None,
    message: str = "",
    days: int = DEFAULT_DAYS,
    now: datetime | None = None,
) -> FeedbackRequest:
    """Ask these people for feedback, about a project of the asker's team or about their work.

    One request per person and project: asking again about the same project adds the people not
    asked yet to the open request, so a repeated POST creates nothing twice. Each new person is
    emailed once (the invitation, claimed in `feedback.emails`)."""
    asker = _asker(actor)
    if project is not None and not selectors.team_projects(asker).filter(pk=project.pk).exists():
        raise PermissionDenied(
            _("You can ask for feedback only on a project whose team you are in.")
        )
    if days not in DAYS_CHOICES:
        raise ValidationError({"days": _("Choose one of the offered lengths.")})
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise ValidationError(
            {"message": _("At most %(count)d characters, please.") % {"count": MESSAGE_MAX}}
        )
    people = _respondents(asker, project, respondents)
    now = now or timezone.now()
    window = timedelta(days=days)
    fresh = {"message": message, "remind_at": now + window / 2, "closes_at": now + window}
    if project is not None:
        request, created = FeedbackRequest.objects.get_or_create(
            asker=asker, project=project, defaults=fresh
        )
    else:
        request, created = FeedbackRequest.objects.create(asker=asker, **fresh), True
    if not created and not permissions.is_open(request):
        raise FeedbackClosed(
            _("Your request about this project has closed; its answers are kept there.")
        )
    already = set(request.invites.values_list("respondent_id", flat=True))
    new = [pk for pk in people if pk not in already]
    FeedbackInvite.objects.bulk_create(
        [FeedbackInvite(request=request, respondent_id=pk) for pk in new], ignore_conflicts=True
    )
    if created or new:
        audit_record(
            actor=actor,
            action="feedback.request" if created else "feedback.request_more",
            target=request,
            after={"project": project.pk if project else None, "asked": new},
        )
    if new:
        FeedbackRequest.objects.filter(pk=request.pk).update(updated_at=timezone.now())
        outbox.enqueue(send_invitations, request.pk)
    return request


def _answer_fields(went_well: str, to_change: str, note: str) -> dict[str, str]:
    fields = {
        "went_well": (went_well or "").strip(),
        "to_change": (to_change or "").strip(),
        "note": (note or "").strip(),
    }
    errors = {
        name: _("At most %(count)d characters, please.") % {"count": ANSWER_MAX}
        for name, value in fields.items()
        if len(value) > ANSWER_MAX
    }
    if errors:
        raise ValidationError(errors)
    if not any(fields.values()):
        raise ValidationError({"went_well": _("Write at least one of the three answers.")})
    return fields


@transaction.atomic
def answer_submit(
    *,
    actor: AnyUser,
    invite: FeedbackInvite,
    went_well: str = "",
    to_change: str = "",
    note: str = "",
) -> FeedbackInvite:
    """Give (or, while the request is open, change) one's answer. Only the person asked answers,
    and only for themselves."""
    invite = FeedbackInvite.objects.select_for_update().select_related("request").get(pk=invite.pk)
    person = person_of(actor)
    if person is None or invite.respondent_id != person.pk:
        raise PermissionDenied(_("Only the person asked can answer."))
    if not permissions.is_open(invite.request):
        raise FeedbackClosed(_("This request has closed; it takes no more answers."))
    fields = _answer_fields(went_well, to_change, note)
    first = invite.answered_at is None
    changed = [name for name, value in fields.items() if getattr(invite, name) != value]
    if not first and not changed:
        return invite
    for name, value in fields.items():
        setattr(invite, name, value)
    update = [*changed]
    if first:
        invite.answered_at = timezone.now()
        update.append("answered_at")
    invite.save(update_fields=update)
    FeedbackRequest.objects.filter(pk=invite.request_id).update(updated_at=timezone.now())
    audit_record(
        actor=actor,
        action="feedback.answer" if first else "feedback.answer_edit",
        target=invite,
        after={"request": invite.request_id, "fields": changed},
    )
    return invite


@transaction.atomic
def request_share(*, actor: AnyUser, request: FeedbackRequest, shared: bool) -> FeedbackRequest:
    """Show the request's answers (without their authors' names) to the network's members, or
    take them back. The asker's choice alone."""
    if not permissions.can_share(actor, request):
        raise PermissionDenied(_("Only the person who asked can share the answers."))
    if request.shared == shared:
        return request
    request.shared = shared
    request.save(update_fields=["shared", "updated_at"])
    audit_record(
        actor=actor,
        action="feedback.share" if shared else "feedback.unshare",
        target=request,
        before={"shared": not shared},
        after={"shared": shared},
    )
    return request


def reminders_due(*, now: datetime | None = None) -> list[int]:
    """Claim the requests whose reminder time has come (one conditional UPDATE each, so a
    request's reminder round happens once), mark who has not answered as due their one
    reminder, and return the requests' ids."""
    now = now or timezone.now()
    claimed = []
    candidates = FeedbackRequest.objects.filter(
        remind_at__lte=now, closes_at__gt=now, reminder_taken_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in candidates:
        with transaction.atomic():
            if FeedbackRequest.objects.filter(pk=pk, reminder_taken_at__isnull=True).update(
                reminder_taken_at=now
            ):
                FeedbackInvite.objects.filter(
                    request_id=pk, answered_at__isnull=True, reminder_due_at__isnull=True
                ).update(reminder_due_at=now)
                claimed.append(pk)
    return claimed
