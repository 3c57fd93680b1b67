"""The pages of projects and their teams: the list, one project, its editor and team roles, and
the invitation a person answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Person
from members.permissions import person_of
from patio.forms import add_service_errors
from patio.http import PatioRequest
from patio.linked_data import respond
from projects import linked_data, permissions
from projects.forms import ProjectForm, TeamRoleForm
from projects.forms import skill_choices as _skill_choices
from projects.hooks import project_page
from projects.models import Opportunity, Project, TeamMembership, TeamRole
from projects.selectors import teams as selectors
from projects.services import staffing
from projects.services import teams as services
from projects.tokens import invitation_from_token
from projects.views.opportunities import _opportunity_for, _page


def _project_for(user, pk: int, *, manage: bool = False) -> Project:
    """The one way views look a project up: 404 when the user may not see it, 403 to manage."""
    project = get_object_or_404(selectors.project_detail(user), pk=pk)
    if manage and not permissions.can_manage_project(user, project):
        raise PermissionDenied
    return project


def project_list(request: PatioRequest) -> HttpResponse:
    queryset = selectors.project_list(request.user)
    status = request.GET.get("status", "")
    if status in Project.Status.values:
        queryset = queryset.filter(status=status)
    context = {
        "page": _page(request, queryset),
        "statuses": Project.Status.choices,
        "status": status,
        "can_start": permissions.can_start_project(request.user),
    }
    return render(request, "projects/project_list.html", context)


def project_detail(request: PatioRequest, pk: int) -> HttpResponse:
    """The page, or its `Project` JSON-LD by `Accept` when the project is public."""
    project = _project_for(request.user, pk)
    public = project.visibility == Opportunity.Visibility.PUBLIC
    return respond(
        request,
        linked_data.project_document(project) if public else None,
        lambda document: _project_page(request, project, document),
    )


def _project_page(request: PatioRequest, project: Project, document: dict | None) -> HttpResponse:
    can_manage = permissions.can_manage_project(request.user, project)
    person = person_of(request.user)
    roles: list[dict[str, Any]] = []
    for role in project.roles.all():
        people = [
            m
            for m in role.live_memberships
            if m.status != TeamMembership.Status.PROPOSED
            and (
                can_manage
                or m.status == TeamMembership.Status.ACCEPTED
                or (person and m.person_id == person.pk)
            )
        ]
        roles.append({"role": role, "people": people})
    staffing_record = None
    if project.opportunity is not None:
        staffing_record = (
            project.opportunity.transitions.exclude(unfilled_roles=[])
            .order_by("-at", "-id")
            .first()
        )
    context = {
        "project": project,
        "roles": roles,
        "open_roles": [r["role"] for r in roles if not r["role"].filled],
        "can_manage": can_manage,
        "can_edit": permissions.can_edit_project(request.user, project),
        "staffing_record": staffing_record,
        "person": person,
        "leads": project.leads.all(),
        "linked_data": document,
        "sections": project_page.render(request, project),
    }
    return render(request, "projects/project_detail.html", context)


@login_required
def my_teams(request: PatioRequest) -> HttpResponse:
    page = _page(request, selectors.my_teams(request.user))
    return render(request, "projects/my_teams.html", {"page": page})


@login_required
@require_POST
def project_from_opportunity(request: PatioRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity_for(request.user, pk)
    try:
        project = services.project_from_opportunity(actor=request.user, opportunity=opportunity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(opportunity)
    messages.success(request, _("The team's project is ready: run the matching to propose people."))
    return redirect("projects:matching", project.pk)


@login_required
@require_POST
def membership_respond(request: PatioRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(selectors.my_teams(request.user), pk=pk)
    accept = request.POST.get("answer") == "accept"
    try:
        staffing.membership_respond(actor=request.user, membership=membership, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Welcome to the team!") if accept else _("You declined the invitation.")
        )
    return redirect(membership.project)


def invitation(request: PatioRequest, token: str) -> HttpResponse:
    """The email's link: a page with the invitation and two buttons (a GET never answers)."""
    try:
        membership = invitation_from_token(token)
    except ValidationError as error:
        return render(
            request, "projects/invitation.html", {"error": " ".join(error.messages)}, status=404
        )
    if request.method == "POST":
        accept = request.POST.get("answer") == "accept"
        try:
            membership = staffing.membership_respond_by_link(token=token, accept=accept)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Welcome to the team!") if accept else _("You declined the invitation.")
            )
        return redirect("projects:invitation", token)
    return render(request, "projects/invitation.html", {"membership": membership, "token": token})


def person_section(request: HttpRequest, person: Person) -> str:
    """The person page's "teams" slot (registered in ProjectsConfig.ready): the teams they are
    in, among the projects the reader may see."""
    memberships = list(selectors.person_teams(request.user, person)[:20])
    if not memberships:
        return ""
    return render_to_string(
        "projects/includes/person_teams.html",
        {"person": person, "memberships": memberships},
        request=request,
    )


def _project_form(request: PatioRequest, project: Project | None) -> HttpResponse:
    circles = None if project else permissions.circles_to_post_in(request.user)
    instance = Project.objects.get(pk=project.pk) if project else None
    form = ProjectForm(request.POST or None, instance=instance, circles=circles)
    if request.method == "POST" and form.is_valid():
        try:
            if project is None:
                saved = services.project_create(
                    actor=request.user,
                    circle=form.cleaned_data["circle"],
                    data=form.service_data(only_changed=False),
                    roles=[],
                )
                messages.success(request, _("The project is started: now add its roles."))
                return redirect("projects:project_roles", saved.pk)
            saved = services.project_update(
                actor=request.user, project=project, data=form.service_data(only_changed=True)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project is saved."))
            return redirect(saved)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "project": project}
    return render(request, "projects/project_form.html", context, status=status)


@login_required
def project_new(request: PatioRequest) -> HttpResponse:
    if not permissions.can_start_project(request.user):
        raise PermissionDenied(_("Only coordinators of a circle start projects."))
    return _project_form(request, None)


@login_required
def project_edit(request: PatioRequest, pk: int) -> HttpResponse:
    project = _project_for(request.user, pk)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    return _project_form(request, project)


def _roles_page(
    request: PatioRequest,
    project: Project,
    form: TeamRoleForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    form = form or TeamRoleForm(prefix="new", skills=_skill_choices())
    context = {
        "project": project,
        "roles": project.roles.all(),
        "form": form,
        "locked": project.opportunity is not None
        and project.opportunity.status == Opportunity.Status.STAFFED,
    }
    return render(request, "projects/project_roles.html", context, status=status)


@login_required
def project_roles(request: PatioRequest, pk: int) -> HttpResponse:
    """The team's roles, each with its edit and remove buttons, and a form to add one."""
    project = _project_for(request.user, pk)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    if request.method != "POST":
        return _roles_page(request, project)
    form = TeamRoleForm(request.POST, prefix="new", skills=_skill_choices())
    if form.is_valid():
        try:
            role = services.team_role_add(
                actor=request.user, project=project, role=form.team_role()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(role)s” is added to the team.") % {"role": role.title})
            return redirect("projects:project_roles", project.pk)
    return _roles_page(request, project, form, status=400)


def _team_role_for(request: PatioRequest, pk: int, role_pk: int) -> tuple[Project, TeamRole]:
    project = _project_for(request.user, pk)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    role = get_object_or_404(project.roles.all(), pk=role_pk)
    return project, role


@login_required
def team_role_edit(request: PatioRequest, pk: int, role_pk: int) -> HttpResponse:
    project, role = _team_role_for(request, pk, role_pk)
    initial = TeamRoleForm.initial_for_team_role(role)
    form = TeamRoleForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        skills=_skill_choices(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.team_role_update(actor=request.user, role=role, data=form.team_role())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The role is saved."))
            return redirect("projects:project_roles", project.pk)
    status = 400 if request.method == "POST" else 200
    context = {"project": project, "role": role, "form": form}
    return render(request, "projects/team_role_form.html", context, status=status)


@login_required
@require_POST
def team_role_remove(request: PatioRequest, pk: int, role_pk: int) -> HttpResponse:
    project, role = _team_role_for(request, pk, role_pk)
    title = role.title
    try:
        services.team_role_remove(actor=request.user, role=role)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(role)s” is removed from the team.") % {"role": title})
    return redirect("projects:project_roles", project.pk)
