"""The matching page of a project: start a run, watch it, swap in an alternate, invite."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from members.models import Language, Person
from patio.http import PatioRequest
from projects import explanations, permissions
from projects.matching import Team, team_rule_breaks
from projects.models import MatchRun, Project, TeamMembership, TeamRole
from projects.selectors.matching_runs import latest_run, proposed_memberships, swap_breaks
from projects.selectors.teams import open_roles
from projects.services.matching_runs import proposal_swap, swap_refusal
from projects.services.staffing import invitations_send, match_run_request
from projects.views.teams import _project_for


def _matching_context(request: PatioRequest, project: Project) -> dict[str, Any]:
    run = latest_run(project)
    result = run.result if run and run.status == MatchRun.Status.DONE else {}
    roles = {role.pk: role for role in project.roles.all()}
    # (person, home co-op, role) of everyone proposed for, invited to or in the team.
    team = [
        (m.person_id, m.person.organisation_id, role.pk)
        for role in roles.values()
        for m in role.live_memberships
    ]
    proposed = proposed_memberships(project).count()
    return {
        "rules": _rules(project, team, team_size=len(roles)),
        "proposed_count": proposed,
        "project": project,
        "run": run,
        "proposal": _proposal(project, result.get("roles", []), roles, team),
        "gaps": [
            {"role": roles[g["role"]], "reasons": explanations.gap(g, roles[g["role"]])}
            for g in result.get("gaps", [])
            if g["role"] in roles
        ],
        "result": result,
        "can_invite": proposed,
        "can_run": permissions.can_run_matching(request.user, project),
        "open_roles": list(open_roles(project)),
    }


def _proposal(
    project: Project,
    entries: list[dict[str, Any]],
    roles: dict[int, TeamRole],
    team: list[tuple[int, int, int]],
) -> list[dict[str, Any]]:
    """The run's proposal role by role: who is chosen, the alternates a coordinator may swap in
    (each with the team rule the swap would break), and whether the role has an invitee."""
    ids = {e["chosen"]["person"] for e in entries if e.get("chosen")}
    ids |= {a["person"] for e in entries for a in e.get("alternates", [])}
    people = Person.objects.select_related("organisation").in_bulk(ids)
    languages = dict(Language.objects.values_list("pk", "name"))
    # The run's facts name skills in the language it ran in; the roles' skills (prefetched
    # with the project) name them in the reader's.
    skill_names = {s.skill_id: s.skill.name for role in roles.values() for s in role.skills.all()}
    invited = {
        m.role_id
        for role in roles.values()
        for m in role.live_memberships
        if m.status != TeamMembership.Status.PROPOSED
    }

    def scored(item, role_id=None):
        if not item or item["person"] not in people:
            return None
        person = people[item["person"]]
        breaks = set()
        if role_id is not None:
            breaks = swap_breaks(
                project,
                team,
                team_size=len(roles),
                role_id=role_id,
                person_id=person.pk,
                coop_id=person.organisation_id,
            )
        return {
            "person": person,
            "score": item["score"],
            "parts": explanations.parts(item["parts"], languages, skill_names),
            "breaks": swap_refusal(project, breaks) if breaks else "",
        }

    def alternates(entry):
        # Someone on the team for another role is not an alternate for this one.
        elsewhere = {person for person, _coop, role in team if role != entry["role"]}
        items = (scored(a, entry["role"]) for a in entry.get("alternates", []))
        return [item for item in items if item and item["person"].pk not in elsewhere]

    return [
        {
            "role": roles[e["role"]],
            "chosen": scored(e.get("chosen")),
            "alternates": alternates(e),
            "invited": e["role"] in invited,
        }
        for e in entries
        if e["role"] in roles
    ]


def _rules(project: Project, team: list[tuple[int, int, int]], *, team_size: int) -> dict[str, Any]:
    """The team rules, and how the team as it stands keeps them."""
    rules = Team(
        roles=(),
        team_size=team_size,
        min_coops=project.min_coops,
        max_per_coop=project.max_per_coop,
    )
    coops = list({person: coop for person, coop, _role in team}.values())
    broken = team_rule_breaks(
        coops,
        team_size=team_size,
        min_coops=project.min_coops,
        max_per_coop=project.max_per_coop,
    )
    return {
        "min_coops": rules.coops_needed,
        "max_per_coop": rules.per_coop_limit,
        "coops": len(set(coops)),
        "most_from_one": max((coops.count(c) for c in set(coops)), default=0),
        "kept": not broken,
    }


@login_required
def matching(request: PatioRequest, pk: int) -> HttpResponse:
    project = _project_for(request.user, pk, manage=True)
    return render(request, "projects/matching.html", _matching_context(request, project))


@login_required
@require_POST
def matching_run(request: PatioRequest, pk: int) -> HttpResponse:
    project = _project_for(request.user, pk, manage=True)
    role = None
    mode = request.POST.get("mode", MatchRun.Mode.ALL_ROLES)
    if mode == MatchRun.Mode.ONE_ROLE:
        role_id = _int(request.POST.get("role"))
        role = project.roles.filter(pk=role_id).first() if role_id is not None else None
    try:
        match_run_request(actor=request.user, project=project, mode=mode, role=role)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Matching has started."))
    return redirect("projects:matching", project.pk)


@login_required
def matching_progress(request: PatioRequest, pk: int, run: int) -> HttpResponse:
    """The progress bar, polled by htmx; when the run ends the page reloads with the proposal."""
    project = _project_for(request.user, pk, manage=True)
    match_run = get_object_or_404(project.match_runs, pk=run)
    if not request.htmx:
        return redirect("projects:matching", project.pk)
    response = render(request, "projects/includes/match_progress.html", {"run": match_run})
    if match_run.is_finished:
        response["HX-Refresh"] = "true"
    return response


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def matching_swap(request: PatioRequest, pk: int) -> HttpResponse:
    project = _project_for(request.user, pk, manage=True)
    role_id, person_id = _int(request.POST.get("role")), _int(request.POST.get("person"))
    role = project.roles.filter(pk=role_id).first() if role_id is not None else None
    person = Person.objects.filter(pk=person_id).first() if person_id is not None else None
    if role is None or person is None:
        messages.error(request, _("Choose a role and one of its alternates."))
        return redirect("projects:matching", project.pk)
    try:
        proposal_swap(actor=request.user, project=project, role=role, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(person)s is now proposed as %(role)s.")
            % {"person": person.display_name, "role": role.title},
        )
    return redirect("projects:matching", project.pk)


@login_required
@require_POST
def matching_invite(request: PatioRequest, pk: int) -> HttpResponse:
    project = _project_for(request.user, pk, manage=True)
    try:
        count = invitations_send(actor=request.user, project=project)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("projects:matching", project.pk)
    messages.success(
        request,
        ngettext("%(n)d person is invited.", "%(n)d people are invited.", count) % {"n": count},
    )
    return redirect(project)
