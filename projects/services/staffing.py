"""Staffing a team: ask for a matching run, send its proposal as invitations, answer them.

Each step walks the project's opportunity along its path towards "staffed"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from members import services as members_services
from patio import outbox
from projects import permissions
from projects.models import MatchRun, Opportunity, Project, TeamMembership, TeamRole
from projects.selectors.teams import open_roles
from projects.services.matching_runs import match_runs_fail_lost
from projects.services.opportunities import _opportunity_move
from projects.tasks import run_matching, send_team_invitations
from projects.tokens import invitation_from_token

if TYPE_CHECKING:
    from accounts.models import AnyUser
    from members.models import Invitation, Person

# Walking an opportunity to "staffed" along its allowed path, from wherever it is.
STAFFING_PATH: dict[str, str] = {
    Opportunity.Status.OPEN: Opportunity.Status.MATCHING,
    Opportunity.Status.MATCHING: Opportunity.Status.TEAM_PROPOSED,
    Opportunity.Status.TEAM_PROPOSED: Opportunity.Status.STAFFED,
}


def _walk_opportunity(actor: AnyUser | None, project: Project, target: str, note: str) -> None:
    """Move the project's opportunity forward to `target` along the allowed path."""
    if project.opportunity_id is None:
        return
    opportunity = Opportunity.objects.select_for_update().get(pk=project.opportunity_id)
    order: list[str] = [*STAFFING_PATH, Opportunity.Status.STAFFED]
    if opportunity.status not in order or order.index(opportunity.status) >= order.index(target):
        return
    while opportunity.status != target:
        _opportunity_move(
            actor=actor,
            opportunity=opportunity,
            to_status=STAFFING_PATH[opportunity.status],
            note=note,
        )


@transaction.atomic
def match_run_request(
    *,
    actor: AnyUser,
    project: Project,
    mode: str = MatchRun.Mode.ALL_ROLES,
    role: TeamRole | None = None,
) -> MatchRun:
    """Queue a matching run (after commit). While one is queued or running for the project,
    that run is returned instead: two clicks make one run. A run that lost its worker (no
    heartbeat) does not count: it is failed, and a new run starts."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not permissions.can_run_matching(actor, project):
        raise PermissionDenied(_("Only the project's leads and circle coordinators run matching."))
    if mode not in MatchRun.Mode.values:
        raise ValidationError({"mode": _("Unknown mode.")})
    open_now = list(open_roles(project))
    if mode == MatchRun.Mode.ONE_ROLE:
        if role is None or role.project_id != project.pk:
            raise ValidationError({"role": _("Choose one of this project's roles.")})
        if role.pk not in {r.pk for r in open_now}:
            raise ValidationError({"role": _("This role is already filled or has an invitee.")})
    else:
        role = None
        if not open_now:
            raise ValidationError(_("Every role is filled or has an invitee: nothing to match."))
    # A run whose worker was lost is failed now, so this request starts a new one.
    match_runs_fail_lost(project=project)
    pending = project.match_runs.filter(
        status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING]
    ).first()
    if pending is not None:
        return pending
    run = MatchRun.objects.create(project=project, mode=mode, role=role, requested_by=actor)
    _walk_opportunity(actor, project, Opportunity.Status.MATCHING, _("Team matching started."))
    audit_record(actor=actor, action="match_run.request", target=run, after={"mode": mode})
    outbox.enqueue(run_matching, run.pk)
    return run


@transaction.atomic
def invitations_send(*, actor: AnyUser, project: Project) -> int:
    """Turn the proposal into invitations (emails go after commit, once each).
    Returns how many people were invited now."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not permissions.can_manage_project(actor, project):
        raise PermissionDenied
    proposed = list(
        TeamMembership.objects.select_for_update(of=("self",))
        .filter(project=project, status=TeamMembership.Status.PROPOSED)
        .select_related("person")
    )
    if not proposed:
        raise ValidationError(_("There is no proposal to send: run the matching first."))
    now = timezone.now()
    invited = TeamMembership.objects.filter(
        pk__in=[m.pk for m in proposed], status=TeamMembership.Status.PROPOSED
    ).update(status=TeamMembership.Status.INVITED, invited_at=now, updated_at=now)
    # People without an account get a join link: signing up with it accepts the seat.
    for membership in proposed:
        if membership.person.user_id is None:
            join = members_services.invitation_for_person(
                invited_by=actor, person=membership.person
            )
            TeamMembership.objects.filter(pk=membership.pk).update(
                join_invitation=join, updated_at=now
            )
    _walk_opportunity(actor, project, Opportunity.Status.TEAM_PROPOSED, _("Invitations sent."))
    audit_record(
        actor=actor,
        action="team.invite",
        target=project,
        after={"people": sorted(m.person_id for m in proposed)},
    )
    outbox.enqueue(send_team_invitations, project.pk)
    return invited


def _respond(actor: AnyUser | None, membership: TeamMembership, accept: bool) -> TeamMembership:
    membership = TeamMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != TeamMembership.Status.INVITED:
        raise ValidationError(_("This invitation has already been answered."))
    project = Project.objects.select_for_update().get(pk=membership.project_id)
    now = timezone.now()
    membership.status = TeamMembership.Status.ACCEPTED if accept else TeamMembership.Status.DECLINED
    membership.responded_at = now
    membership.save(update_fields=["status", "responded_at", "updated_at"])
    if accept:
        TeamRole.objects.filter(pk=membership.role_id).update(filled=True, updated_at=now)
        # The filled seat is part of the project the API serves.
        Project.objects.filter(pk=project.pk).update(updated_at=now)
        if not project.roles.filter(filled=False).exists():
            if project.status == Project.Status.FORMING:
                project.status = Project.Status.ACTIVE
                project.save(update_fields=["status", "updated_at"])
            _walk_opportunity(
                actor, project, Opportunity.Status.STAFFED, _("Every role of the team is filled.")
            )
    audit_record(
        actor=actor,
        action="team.accept" if accept else "team.decline",
        target=membership,
        after={"role": membership.role_id},
    )
    return membership


def seats_accept_on_join(invitation: Invitation, person: Person) -> None:
    """Registered with members.hooks: someone who signs up with the join link of a team
    invitation accepts that seat in the same transaction. A seat no longer waiting for them
    (withdrawn, or answered) is left as it is; the account is still theirs."""
    seats = TeamMembership.objects.filter(
        join_invitation=invitation, person=person, status=TeamMembership.Status.INVITED
    ).order_by("id")
    for membership in seats:
        _respond(person.user, membership, True)


def join_invitation_notes(invitation: Invitation) -> list[str]:
    """Registered with members.hooks: the join page says which team seat waits."""
    return [
        _(
            "You are invited to the team of “%(project)s” as %(role)s. Creating your account "
            "accepts this place."
        )
        % {"project": m.project.name, "role": m.role.title}
        for m in TeamMembership.objects.filter(
            join_invitation=invitation, status=TeamMembership.Status.INVITED
        )
        .select_related("project", "role")
        .order_by("id")
    ]


@transaction.atomic
def membership_respond(
    *, actor: AnyUser, membership: TeamMembership, accept: bool
) -> TeamMembership:
    """The invited person accepts or declines. When the last open role is accepted the project
    becomes active and its opportunity staffed."""
    if not permissions.can_respond(actor, membership):
        raise PermissionDenied(_("Only the invited person answers this invitation."))
    return _respond(actor, membership, accept)


@transaction.atomic
def membership_respond_by_link(*, token: str, accept: bool) -> TeamMembership:
    """The same answer from the signed link in the email: the link stands for the person."""
    membership = invitation_from_token(token)
    user = membership.person.user
    return _respond(user, membership, accept)
