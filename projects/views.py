from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from members.models import Language, Person
from members.permissions import person_of
from patio.forms import add_service_errors
from projects import explanations, permissions, selectors, services
from projects.filters import OpportunityFilter
from projects.forms import (
    MAX_ROLES,
    InterestForm,
    OpportunityForm,
    ProjectForm,
    RoleForm,
    RoleFormSet,
    TeamRoleForm,
)
from projects.forms import skill_choices as _skill_choices
from projects.matching import Team, team_rule_breaks
from projects.models import MatchRun, Opportunity, Project, TeamMembership

PAGE_SIZE = 20


def _page(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _opportunity_for(user, pk: int, *, edit: bool = False) -> Opportunity:
    """The one way views look an opportunity up: 404 when the user may not see it, 403 to edit."""
    opportunity = get_object_or_404(selectors.opportunity_detail(user), pk=pk)
    if edit and not permissions.can_edit_opportunity(user, opportunity):
        raise PermissionDenied
    return opportunity


def _quiet(*forms) -> None:
    """Show bound forms without their errors (after "add another role", nothing was saved)."""
    from django.forms.utils import ErrorDict, ErrorList

    for form in forms:
        if hasattr(form, "forms"):
            form._errors, form._non_form_errors = [], ErrorList()
            _quiet(form.management_form, *form.forms)
        else:
            form._errors = ErrorDict()


def opportunity_list(request: HttpRequest) -> HttpResponse:
    filterset = OpportunityFilter(request.GET, queryset=selectors.opportunity_list(request.user))
    page = _page(request, filterset.qs if filterset.is_valid() else Opportunity.objects.none())
    context = {"filter": filterset, "page": page, "can_post": permissions.can_post(request.user)}
    template = "projects/opportunity_list.html"
    if request.htmx and not request.htmx.boosted:
        template = "projects/includes/opportunity_results.html"
    return render(request, template, context)


def _interest_context(request: HttpRequest, opportunity: Opportunity, form=None) -> dict:
    interest = selectors.interest_of(request.user, opportunity)
    can_express = interest is None and permissions.can_express_interest(request.user, opportunity)
    return {
        "opportunity": opportunity,
        "interest": interest,
        "can_express": can_express,
        "interest_form": form or (InterestForm(opportunity=opportunity) if can_express else None),
    }


def _detail(request: HttpRequest, opportunity: Opportunity, *, status: int = 200, **extra):
    can_edit = permissions.can_edit_opportunity(request.user, opportunity)
    context = {
        "opportunity": opportunity,
        "roles": opportunity.roles.all(),
        "languages": opportunity.working_languages.all(),
        "core_hours_utc": selectors.core_hours_in(opportunity, "UTC"),
        "core_hours_local": selectors.core_hours_in(opportunity, request.timezone_name),
        "reader_zone": request.timezone_name,
        "history": selectors.opportunity_history(opportunity),
        "can_edit": can_edit and opportunity.status not in permissions.FINAL_STATUSES,
        "next_statuses": [
            (status_, Opportunity.Status(status_).label)
            for status_ in Opportunity.Status.values
            if opportunity.can_move_to(status_)
        ]
        if can_edit
        else [],
        "interested": selectors.interested_people(opportunity)
        if permissions.can_see_interested_people(request.user, opportunity)
        else None,
        "team_project": Project.objects.filter(opportunity=opportunity).first(),
        **_alerts_context(opportunity, can_edit),
        "can_form_team": permissions.can_form_team(request.user, opportunity),
        "unfilled": selectors.unfilled_roles(opportunity)
        if can_edit and any(opportunity.can_move_to(s) for s in services.ENDS_STAFFING)
        else [],
        "ends_staffing": services.ENDS_STAFFING,
        **_interest_context(request, opportunity, extra.pop("interest_form", None)),
        **extra,
    }
    return render(request, "projects/opportunity_detail.html", context, status=status)


def _alerts_context(opportunity: Opportunity, can_edit: bool) -> dict:
    """For coordinators: before opening, who opening would alert; after, who was alerted."""
    return {"alerts": selectors.opportunity_alerts(opportunity) if can_edit else None}


def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _opportunity_for(request.user, pk))


def _opportunity_form(request: HttpRequest, opportunity: Opportunity | None) -> HttpResponse:
    post = request.POST if request.method == "POST" else None
    circles = None if opportunity else permissions.circles_to_post_in(request.user)
    skills = _skill_choices()
    initial = (
        [RoleForm.initial_for(role) for role in opportunity.roles.all()] if opportunity else []
    )
    instance = Opportunity.objects.get(pk=opportunity.pk) if opportunity else None
    team = Project.objects.filter(opportunity=opportunity).first() if opportunity else None

    def build(data):
        form = OpportunityForm(data, instance=instance, circles=circles)
        if team is not None:  # the team's roles lead now: they are edited on the project's page
            return form, None
        roles = RoleFormSet(data, prefix="roles", initial=initial, form_kwargs={"skills": skills})
        return form, roles

    form, roles = build(post)
    if post is not None and "add_role" in post and roles is not None:
        data = post.copy()
        try:
            total = int(data.get("roles-TOTAL_FORMS", "1"))
        except ValueError:
            total = 1
        total = max(0, min(total, MAX_ROLES - 1))
        data["roles-TOTAL_FORMS"] = str(total + 1)
        # The new row starts with the same defaults an unbound form would show.
        for name, value in RoleForm(skills=[]).initial_values().items():
            data.setdefault(f"roles-{total}-{name}", value)
        form, roles = build(data)
        _quiet(form, roles)
    elif post is not None and form.is_valid() and (roles is None or roles.is_valid()):
        try:
            if opportunity is None:
                saved = services.opportunity_create(
                    actor=request.user,
                    circle=form.cleaned_data["circle"],
                    data=form.service_data(only_changed=False),
                    roles=roles.roles(),
                )
                messages.success(request, _("The opportunity is saved as a draft."))
            else:
                saved = services.opportunity_update(
                    actor=request.user,
                    opportunity=opportunity,
                    data=form.service_data(only_changed=True),
                    roles=roles.roles() if roles is not None else None,
                )
                messages.success(request, _("The opportunity is saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(saved)
    context = {
        "form": form,
        "roles": roles,
        "opportunity": opportunity,
        "max_roles": MAX_ROLES,
        "team": team,
    }
    return render(request, "projects/opportunity_form.html", context)


@login_required
def opportunity_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_post(request.user):
        raise PermissionDenied(_("Only coordinators of a circle post opportunities."))
    return _opportunity_form(request, None)


@login_required
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity_for(request.user, pk, edit=True)
    if opportunity.status in permissions.FINAL_STATUSES:
        messages.error(request, _("A closed or cancelled opportunity cannot be edited."))
        return redirect(opportunity)
    return _opportunity_form(request, opportunity)


@login_required
def role_row(request: HttpRequest) -> HttpResponse:
    """One more empty role for the editor (htmx), with the formset's new total."""
    if not permissions.can_post(request.user):
        raise PermissionDenied
    try:
        index = max(0, min(int(request.GET.get("index", "0")), MAX_ROLES - 1))
    except ValueError:
        index = 0
    form = RoleForm(prefix=f"roles-{index}", skills=_skill_choices())
    context = {"role": form, "index": index, "total": index + 1, "max_roles": MAX_ROLES}
    return render(request, "projects/includes/role_row.html", context)


@login_required
@require_POST
def opportunity_transition(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity_for(request.user, pk)
    if not permissions.can_transition_opportunity(request.user, opportunity):
        raise PermissionDenied
    to_status = request.POST.get("to_status", "")
    try:
        services.opportunity_transition(
            actor=request.user,
            opportunity=opportunity,
            to_status=to_status,
            note=request.POST.get("note", ""),
            leave_unfilled=request.POST.get("leave_unfilled") in ("on", "true", "1"),
        )
    except ValidationError as error:
        return _detail(request, opportunity, status=400, transition_errors=error.messages)
    messages.success(
        request,
        _("The opportunity is now “%(status)s”.") % {"status": Opportunity.Status(to_status).label},
    )
    return redirect(opportunity)


def _interest_response(request: HttpRequest, opportunity: Opportunity, form=None, status=200):
    if request.htmx:
        context = _interest_context(request, opportunity, form)
        return render(request, "projects/includes/interest.html", context, status=status)
    if status != 200:
        return _detail(request, opportunity, status=status, interest_form=form)
    return redirect(opportunity)


@login_required
@require_POST
def opportunity_interest(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity_for(request.user, pk)
    form = InterestForm(request.POST, opportunity=opportunity)
    if form.is_valid():
        try:
            services.interest_express(
                actor=request.user,
                opportunity=opportunity,
                role=form.cleaned_data["role"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The coordinators now know you are interested."))
            return _interest_response(request, opportunity)
    return _interest_response(request, opportunity, form, status=400)


@login_required
@require_POST
def opportunity_interest_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity_for(request.user, pk)
    try:
        services.interest_withdraw(actor=request.user, opportunity=opportunity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are no longer listed as interested."))
    return _interest_response(request, opportunity)


@login_required
def my_interests(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.my_interests(request.user))
    return render(request, "projects/my_interests.html", {"page": page})


def circle_section(request: HttpRequest, circle) -> str:
    """The circle page's "open opportunities" slot (registered in ProjectsConfig.ready)."""
    opportunities = list(selectors.circle_open_opportunities(request.user, circle)[:20])
    can_post = permissions.can_post_in(request.user, circle)
    if not opportunities and not can_post:
        return ""
    return render_to_string(
        "projects/includes/circle_opportunities.html",
        {"circle": circle, "opportunities": opportunities, "can_post": can_post},
        request=request,
    )


# Projects and teams -----------------------------------------------------------------------------
def _project_for(user, pk: int, *, manage: bool = False) -> Project:
    """The one way views look a project up: 404 when the user may not see it, 403 to manage."""
    project = get_object_or_404(selectors.project_detail(user), pk=pk)
    if manage and not permissions.can_manage_project(user, project):
        raise PermissionDenied
    return project


def project_list(request: HttpRequest) -> HttpResponse:
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


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for(request.user, pk)
    can_manage = permissions.can_manage_project(request.user, project)
    person = person_of(request.user)
    roles = []
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
    if project.opportunity_id is not None:
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
    }
    return render(request, "projects/project_detail.html", context)


@login_required
def my_teams(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.my_teams(request.user))
    return render(request, "projects/my_teams.html", {"page": page})


@login_required
@require_POST
def project_from_opportunity(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity_for(request.user, pk)
    try:
        project = services.project_from_opportunity(actor=request.user, opportunity=opportunity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(opportunity)
    messages.success(request, _("The team's project is ready: run the matching to propose people."))
    return redirect("projects:matching", project.pk)


def _matching_context(request: HttpRequest, project: Project) -> dict:
    run = selectors.latest_run(project)
    result = run.result if run and run.status == MatchRun.Status.DONE else {}
    roles = {role.pk: role for role in project.roles.all()}
    entries = result.get("roles", [])
    ids = {e["chosen"]["person"] for e in entries if e.get("chosen")}
    ids |= {a["person"] for e in entries for a in e.get("alternates", [])}
    people = Person.objects.select_related("organisation").in_bulk(ids)
    languages = dict(Language.objects.values_list("pk", "name"))
    invited = {
        m.role_id
        for role in roles.values()
        for m in role.live_memberships
        if m.status != TeamMembership.Status.PROPOSED
    }

    team = [
        (m.person_id, m.person.organisation_id, role.pk)
        for role in roles.values()
        for m in role.live_memberships
    ]

    def scored(item, role_id=None):
        if not item or item["person"] not in people:
            return None
        person = people[item["person"]]
        breaks = set()
        if role_id is not None:
            breaks = selectors.swap_breaks(
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
            "parts": explanations.parts(item["parts"], languages),
            "breaks": services.swap_refusal(project, breaks) if breaks else "",
        }

    def alternates(entry):
        # Someone on the team for another role is not an alternate for this one.
        elsewhere = {person for person, _coop, role in team if role != entry["role"]}
        items = (scored(a, entry["role"]) for a in entry.get("alternates", []))
        return [item for item in items if item and item["person"].pk not in elsewhere]

    proposal = [
        {
            "role": roles[e["role"]],
            "chosen": scored(e.get("chosen")),
            "alternates": alternates(e),
            "invited": e["role"] in invited,
        }
        for e in entries
        if e["role"] in roles
    ]
    gaps = [
        {"role": roles[g["role"]], "reasons": explanations.gap(g, roles[g["role"]])}
        for g in result.get("gaps", [])
        if g["role"] in roles
    ]
    proposed = selectors.proposed_memberships(project).count()
    rules = Team(
        roles=(),
        team_size=len(roles),
        min_coops=project.min_coops,
        max_per_coop=project.max_per_coop,
    )
    coops = list({person: coop for person, coop, _role in team}.values())
    broken = team_rule_breaks(
        coops,
        team_size=len(roles),
        min_coops=project.min_coops,
        max_per_coop=project.max_per_coop,
    )
    return {
        "rules": {
            "min_coops": rules.coops_needed,
            "max_per_coop": rules.per_coop_limit,
            "coops": len(set(coops)),
            "most_from_one": max((coops.count(c) for c in set(coops)), default=0),
            "kept": not broken,
        },
        "proposed_count": proposed,
        "project": project,
        "run": run,
        "proposal": proposal,
        "gaps": gaps,
        "result": result,
        "can_invite": proposed,
        "can_run": permissions.can_run_matching(request.user, project),
        "open_roles": list(selectors.open_roles(project)),
    }


@login_required
def matching(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for(request.user, pk, manage=True)
    return render(request, "projects/matching.html", _matching_context(request, project))


@login_required
@require_POST
def matching_run(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for(request.user, pk, manage=True)
    role = None
    mode = request.POST.get("mode", MatchRun.Mode.ALL_ROLES)
    if mode == MatchRun.Mode.ONE_ROLE:
        role = project.roles.filter(pk=_int(request.POST.get("role"))).first()
    try:
        services.match_run_request(actor=request.user, project=project, mode=mode, role=role)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Matching has started."))
    return redirect("projects:matching", project.pk)


@login_required
def matching_progress(request: HttpRequest, pk: int, run: int) -> HttpResponse:
    """The progress bar, polled by htmx; when the run ends the page reloads with the proposal."""
    project = _project_for(request.user, pk, manage=True)
    run = get_object_or_404(project.match_runs, pk=run)
    if not request.htmx:
        return redirect("projects:matching", project.pk)
    response = render(request, "projects/includes/match_progress.html", {"run": run})
    if run.is_finished:
        response["HX-Refresh"] = "true"
    return response


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def matching_swap(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for(request.user, pk, manage=True)
    role = project.roles.filter(pk=_int(request.POST.get("role"))).first()
    person = Person.objects.filter(pk=_int(request.POST.get("person"))).first()
    if role is None or person is None:
        messages.error(request, _("Choose a role and one of its alternates."))
        return redirect("projects:matching", project.pk)
    try:
        services.proposal_swap(actor=request.user, project=project, role=role, person=person)
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
def matching_invite(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for(request.user, pk, manage=True)
    try:
        count = services.invitations_send(actor=request.user, project=project)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("projects:matching", project.pk)
    messages.success(
        request,
        ngettext("%(n)d person is invited.", "%(n)d people are invited.", count) % {"n": count},
    )
    return redirect(project)


@login_required
@require_POST
def membership_respond(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(selectors.my_teams(request.user), pk=pk)
    accept = request.POST.get("answer") == "accept"
    try:
        services.membership_respond(actor=request.user, membership=membership, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Welcome to the team!") if accept else _("You declined the invitation.")
        )
    return redirect(membership.project)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The email's link: a page with the invitation and two buttons (a GET never answers)."""
    try:
        membership = services.invitation_from_token(token)
    except ValidationError as error:
        return render(
            request, "projects/invitation.html", {"error": " ".join(error.messages)}, status=404
        )
    if request.method == "POST":
        accept = request.POST.get("answer") == "accept"
        try:
            membership = services.membership_respond_by_link(token=token, accept=accept)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Welcome to the team!") if accept else _("You declined the invitation.")
            )
        return redirect("projects:invitation", token)
    return render(request, "projects/invitation.html", {"membership": membership, "token": token})


def person_section(request: HttpRequest, person) -> str:
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


def _project_form(request: HttpRequest, project: Project | None) -> HttpResponse:
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
def project_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_start_project(request.user):
        raise PermissionDenied(_("Only coordinators of a circle start projects."))
    return _project_form(request, None)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for(request.user, pk)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    return _project_form(request, project)


def _roles_page(request, project: Project, form=None, *, status: int = 200) -> HttpResponse:
    form = form or TeamRoleForm(prefix="new", skills=_skill_choices())
    context = {
        "project": project,
        "roles": project.roles.all(),
        "form": form,
        "locked": project.opportunity_id is not None
        and project.opportunity.status == Opportunity.Status.STAFFED,
    }
    return render(request, "projects/project_roles.html", context, status=status)


@login_required
def project_roles(request: HttpRequest, pk: int) -> HttpResponse:
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


def _team_role_for(request, pk: int, role_pk: int) -> tuple[Project, object]:
    project = _project_for(request.user, pk)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    role = get_object_or_404(project.roles.all(), pk=role_pk)
    return project, role


@login_required
def team_role_edit(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
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
def team_role_remove(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    project, role = _team_role_for(request, pk, role_pk)
    title = role.title
    try:
        services.team_role_remove(actor=request.user, role=role)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(role)s” is removed from the team.") % {"role": title})
    return redirect("projects:project_roles", project.pk)
