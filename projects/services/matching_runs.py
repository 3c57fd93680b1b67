"""A matching run on the worker's side, and the proposal it leaves: claim a queued run, run
the matcher, store its proposal; a coordinator may then swap in an alternate.

Runs are queued by `staffing.match_run_request`, whose task calls the functions here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from members.models import Person
from projects import matching, permissions
from projects.models import MatchRun, Project, TeamMembership, TeamRole
from projects.selectors.matching_runs import matching_input, swap_breaks, team_people
from projects.selectors.teams import open_roles

if TYPE_CHECKING:
    from accounts.models import AnyUser


def match_run_claim(*, run_id: int) -> bool:
    """Take a queued run for this worker. One conditional UPDATE: of two deliveries of the task,
    one wins. A run already "running" is never taken again: if its worker died, the run stops
    beating and `match_runs_fail_lost` fails it, and the coordinator starts a new one."""
    now = timezone.now()
    return (
        MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.QUEUED).update(
            status=MatchRun.Status.RUNNING, started_at=now, heartbeat_at=now, progress=5
        )
        == 1
    )


def _progress(run_id: int, percent: int) -> None:
    """Progress for the page, and the heartbeat that says this run's worker is alive."""
    MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING).update(
        progress=percent, heartbeat_at=timezone.now()
    )


def _lost(now: dt.datetime) -> Q:
    cutoff = now - dt.timedelta(seconds=settings.MATCH_RUN_HEARTBEAT_TIMEOUT)
    # Runs claimed before heartbeats were written count from their start.
    return Q(status=MatchRun.Status.RUNNING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )


def match_runs_fail_lost(*, project: Project | None = None) -> int:
    """Fail the runs "running" with no heartbeat for MATCH_RUN_HEARTBEAT_TIMEOUT: their worker
    was killed or hangs. Of the whole network, or of one project. Returns how many."""
    now = timezone.now()
    runs = MatchRun.objects.filter(_lost(now))
    if project is not None:
        runs = runs.filter(project=project)
    return runs.update(
        status=MatchRun.Status.FAILED,
        failure=MatchRun.Failure.LOST,
        finished_at=now,
        error=f"No heartbeat for {settings.MATCH_RUN_HEARTBEAT_TIMEOUT} s: the worker was lost.",
    )


def _scored(scored: matching.Scored) -> dict[str, Any]:
    return {
        "person": scored.person,
        "coop": scored.coop,
        "score": scored.score,
        "parts": scored.parts,
    }


def match_run_execute(*, run_id: int, time_limit: float = 10.0) -> MatchRun:
    """Run a claimed matching run and store its proposal, replacing the project's earlier one.

    Progress is written as it goes (outside any transaction, so the page sees it). Proposals
    are TeamMembership rows in "proposed"; invitations already sent are never touched."""
    run = MatchRun.objects.select_related("project", "role").get(pk=run_id)
    project = run.project
    try:
        roles = list(open_roles(project))
        if run.mode == MatchRun.Mode.ONE_ROLE:
            roles = [r for r in roles if r.pk == run.role_id]
        _progress(run.pk, 10)
        team, pool = matching_input(project, roles)
        result = matching.match(
            team,
            pool,
            time_limit=time_limit,
            progress=lambda percent: _progress(run.pk, 10 + percent * 8 // 10),
        )
        with transaction.atomic():
            # The project first, as every write to its team takes it (match_run_request,
            # proposal_swap, invitations_send): the proposal is not replaced under them.
            Project.objects.select_for_update().filter(pk=project.pk).first()
            locked = MatchRun.objects.select_for_update().get(pk=run.pk)
            if locked.status != MatchRun.Status.RUNNING:
                return locked  # reclaimed by a later delivery meanwhile
            _store_proposal(project, roles, locked, result)
            MatchRun.objects.filter(pk=run.pk).update(
                status=MatchRun.Status.DONE,
                progress=100,
                finished_at=timezone.now(),
                solver_status=f"{result.method}:{result.status}",
                proven_gap=result.proven_gap,
                result=_result_json(result),
            )
    except Exception as error:
        timed_out = isinstance(error, SoftTimeLimitExceeded)
        MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.RUNNING).update(
            status=MatchRun.Status.FAILED,
            failure=MatchRun.Failure.TIME_LIMIT if timed_out else MatchRun.Failure.ERROR,
            finished_at=timezone.now(),
            error=(repr(error) if timed_out else str(error))[:2000],
        )
        raise
    run.refresh_from_db()
    return run


def _result_json(result: matching.Result) -> dict[str, Any]:
    return {
        "roles": [
            {
                "role": p.role,
                "chosen": _scored(p.chosen) if p.chosen else None,
                "alternates": [_scored(a) for a in p.alternates],
            }
            for p in result.proposals
        ],
        "gaps": [
            {"role": g.role, "candidates": g.candidates, "failed": g.failed} for g in result.gaps
        ],
        "objective": result.objective,
        "bound": result.bound,
        "proven_gap": result.proven_gap,
        "total_score": result.total_score,
        "method": result.method,
        "status": result.status,
        "dropped": result.dropped,
        "seconds": round(result.seconds, 3),
    }


def _store_proposal(
    project: Project, roles: list[TeamRole], run: MatchRun, result: matching.Result
) -> None:
    role_ids = [r.pk for r in roles]
    TeamMembership.objects.filter(
        project=project, role_id__in=role_ids, status=TeamMembership.Status.PROPOSED
    ).delete()
    hours = {r.pk: r.hours_per_week for r in roles}
    TeamMembership.objects.bulk_create(
        TeamMembership(
            project=project,
            role_id=p.role,
            person_id=p.chosen.person,
            status=TeamMembership.Status.PROPOSED,
            hours_per_week=hours[p.role],
            start_date=project.start_date,
            end_date=project.end_date,
            match_run=run,
            score=_scored(p.chosen),
        )
        for p in result.proposals
        if p.chosen is not None
    )


@transaction.atomic
def proposal_swap(
    *, actor: AnyUser, project: Project, role: TeamRole, person: Person
) -> TeamMembership:
    """Put one of the latest run's alternates for `role` in place of the proposed person."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not permissions.can_manage_project(actor, project):
        raise PermissionDenied
    if role.project_id != project.pk:
        raise ValidationError({"role": _("This role belongs to another project.")})
    run, entry = _latest_entry(project, role)
    alternates = {a["person"]: a for a in (entry or {}).get("alternates", [])}
    if person.pk not in alternates:
        raise ValidationError({"person": _("Choose one of the alternates the matching found.")})
    assert run is not None and entry is not None  # the alternates come from the run's entry
    _check_swap(project, role, person)
    current = TeamMembership.objects.filter(
        project=project, role=role, status=TeamMembership.Status.PROPOSED
    ).first()
    previous = current.person_id if current else None
    if current is not None:
        current.delete()
    membership = TeamMembership.objects.create(
        project=project,
        role=role,
        person=person,
        status=TeamMembership.Status.PROPOSED,
        hours_per_week=role.hours_per_week,
        start_date=project.start_date,
        end_date=project.end_date,
        match_run=run,
        score=alternates[person.pk],
    )
    _record_swap(run, entry, alternates[person.pk])
    audit_record(
        actor=actor,
        action="proposal.swap",
        target=membership,
        before={"person": previous},
        after={"person": person.pk},
    )
    return membership


def _latest_entry(
    project: Project, role: TeamRole
) -> tuple[MatchRun | None, dict[str, Any] | None]:
    """The project's latest finished run and its result's entry for the role (or None)."""
    run = (
        project.match_runs.filter(status=MatchRun.Status.DONE)
        .order_by("-created_at", "-id")
        .first()
    )
    entry = None
    if run is not None:
        entry = next((e for e in run.result.get("roles", []) if e["role"] == role.pk), None)
    return run, entry


def _check_swap(project: Project, role: TeamRole, person: Person) -> None:
    """Refuse a swap into a role that has an invitee, of someone already in the team's
    proposal, or that would break a team rule the team keeps now."""
    if TeamMembership.objects.filter(role=role, status__in=TeamMembership.COMMITTED).exists():
        raise ValidationError({"role": _("This role already has an invitee.")})
    if (
        TeamMembership.objects.filter(
            project=project, person=person, status__in=TeamMembership.LIVE
        )
        .exclude(role=role)
        .exists()
    ):
        raise ValidationError(
            {"person": _("%(name)s is already in this team's proposal.") % {"name": person}}
        )
    broken = swap_breaks(
        project,
        team_people(project),
        team_size=project.roles.count(),
        role_id=role.pk,
        person_id=person.pk,
        coop_id=person.organisation_id,
    )
    if broken:
        raise ValidationError({"person": swap_refusal(project, broken)})


def _record_swap(run: MatchRun, entry: dict[str, Any], chosen: dict[str, Any]) -> None:
    """Write the swap into the run's result, which the matching page shows."""
    person_id = chosen["person"]
    # The swapped-out person becomes an alternate in their turn.
    entry["alternates"] = [a for a in entry["alternates"] if a["person"] != person_id]
    if entry.get("chosen"):
        entry["alternates"].insert(0, entry["chosen"])
    entry["chosen"] = chosen
    for other in run.result["roles"]:  # now on the team: no longer an alternate elsewhere
        if other is not entry:
            other["alternates"] = [a for a in other["alternates"] if a["person"] != person_id]
    # Changed by hand: no longer the solver's team, so no longer proven the best one.
    run.result["edited"] = True
    MatchRun.objects.filter(pk=run.pk).update(result=run.result)


def swap_refusal(project: Project, broken: set[str]) -> str:
    """Why a swap is refused, in the coordinator's words."""
    reasons = []
    if matching.MAX_PER_COOP in broken:
        reasons.append(
            _("It would put more people from one co-op in the team than the rules allow.")
        )
    if matching.MIN_COOPS in broken:
        reasons.append(
            _("It would leave the team with fewer than %(n)d co-ops.") % {"n": project.min_coops}
        )
    return " ".join(reasons)
