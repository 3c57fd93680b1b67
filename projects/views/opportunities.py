"""The pages of job opportunities: the list, one opportunity, its editor, its moves, and the
interest people say they have."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict, ErrorList
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from circles.models import Circle
from patio.forms import add_service_errors
from patio.http import PatioRequest
from patio.linked_data import respond
from projects import linked_data, permissions
from projects.filters import OpportunityFilter
from projects.forms import (
    MAX_ROLES,
    BaseRoleFormSet,
    InterestForm,
    OpportunityForm,
    RoleForm,
    RoleFormSet,
)
from projects.forms import skill_choices as _skill_choices
from projects.hooks import opportunity_page
from projects.models import Opportunity, Project
from projects.selectors import opportunities as selectors
from projects.services import opportunities as services

PAGE_SIZE = 20


def _page(request: PatioRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _opportunity_for(user, pk: int, *, edit: bool = False) -> Opportunity:
    """The one way views look an opportunity up: 404 when the user may not see it, 403 to edit."""
    opportunity = get_object_or_404(selectors.opportunity_detail(user), pk=pk)
    if edit and not permissions.can_edit_opportunity(user, opportunity):
        raise PermissionDenied
    return opportunity


def _quiet(*forms) -> None:
    """Show bound forms without their errors (after "add another role", nothing was saved)."""
    for form in forms:
        if hasattr(form, "forms"):
            form._errors, form._non_form_errors = [], ErrorList()
            _quiet(form.management_form, *form.forms)
        else:
            form._errors = ErrorDict()


def opportunity_list(request: PatioRequest) -> HttpResponse:
    filterset = OpportunityFilter(request.GET, queryset=selectors.opportunity_list(request.user))
    page = _page(request, filterset.qs if filterset.is_valid() else Opportunity.objects.none())
    context = {"filter": filterset, "page": page, "can_post": permissions.can_post(request.user)}
    template = "projects/opportunity_list.html"
    if request.htmx and not request.htmx.boosted:
        template = "projects/includes/opportunity_results.html"
    return render(request, template, context)


def _interest_context(request: PatioRequest, opportunity: Opportunity, form=None) -> dict:
    interest = selectors.interest_of(request.user, opportunity)
    can_express = interest is None and permissions.can_express_interest(request.user, opportunity)
    return {
        "opportunity": opportunity,
        "interest": interest,
        "can_express": can_express,
        "interest_form": form or (InterestForm(opportunity=opportunity) if can_express else None),
    }


def _detail(request: PatioRequest, opportunity: Opportunity, *, status: int = 200, **extra):
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
        "sections": opportunity_page.render(request, opportunity),
    }
    return render(request, "projects/opportunity_detail.html", context, status=status)


def _alerts_context(opportunity: Opportunity, can_edit: bool) -> dict:
    """For coordinators: before opening, who opening would alert; after, who was alerted."""
    return {"alerts": selectors.opportunity_alerts(opportunity) if can_edit else None}


def opportunity_detail(request: PatioRequest, pk: int) -> HttpResponse:
    """The page, or its `JobPosting` JSON-LD by `Accept` when the opportunity is public."""
    opportunity = _opportunity_for(request.user, pk)
    public = linked_data.is_public_opportunity(opportunity)
    return respond(
        request,
        linked_data.job_posting(opportunity) if public else None,
        lambda document: _detail(request, opportunity, linked_data=document),
    )


def _opportunity_form(request: PatioRequest, opportunity: Opportunity | None) -> HttpResponse:
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
        form, roles = build(_with_one_more_role(post))
        _quiet(form, roles)
    elif post is not None and form.is_valid() and (roles is None or roles.is_valid()):
        try:
            saved = _opportunity_save(request, opportunity, form, roles)
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


def _with_one_more_role(post: QueryDict) -> QueryDict:
    """The posted editor with one more role row, which starts with the same defaults an
    unbound form would show."""
    data = post.copy()
    try:
        total = int(data.get("roles-TOTAL_FORMS", "1"))
    except ValueError:
        total = 1
    total = max(0, min(total, MAX_ROLES - 1))
    data["roles-TOTAL_FORMS"] = str(total + 1)
    for name, value in RoleForm(skills=[]).initial_values().items():
        data.setdefault(f"roles-{total}-{name}", value)
    return data


def _opportunity_save(
    request: PatioRequest,
    opportunity: Opportunity | None,
    form: OpportunityForm,
    roles: BaseRoleFormSet | None,
) -> Opportunity:
    """Post the new opportunity as a draft, or save the changes to this one."""
    if opportunity is None:
        assert roles is not None  # a new opportunity has no team whose roles would lead
        saved = services.opportunity_create(
            actor=request.user,
            circle=form.cleaned_data["circle"],
            data=form.service_data(only_changed=False),
            roles=roles.roles(),
        )
        messages.success(request, _("The opportunity is saved as a draft."))
        return saved
    saved = services.opportunity_update(
        actor=request.user,
        opportunity=opportunity,
        data=form.service_data(only_changed=True),
        roles=roles.roles() if roles is not None else None,
    )
    messages.success(request, _("The opportunity is saved."))
    return saved


@login_required
def opportunity_new(request: PatioRequest) -> HttpResponse:
    if not permissions.can_post(request.user):
        raise PermissionDenied(_("Only coordinators of a circle post opportunities."))
    return _opportunity_form(request, None)


@login_required
def opportunity_edit(request: PatioRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity_for(request.user, pk, edit=True)
    if opportunity.status in permissions.FINAL_STATUSES:
        messages.error(request, _("A closed or cancelled opportunity cannot be edited."))
        return redirect(opportunity)
    return _opportunity_form(request, opportunity)


@login_required
def role_row(request: PatioRequest) -> HttpResponse:
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
def opportunity_transition(request: PatioRequest, pk: int) -> HttpResponse:
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


def _interest_response(request: PatioRequest, opportunity: Opportunity, form=None, status=200):
    if request.htmx:
        context = _interest_context(request, opportunity, form)
        return render(request, "projects/includes/interest.html", context, status=status)
    if status != 200:
        return _detail(request, opportunity, status=status, interest_form=form)
    return redirect(opportunity)


@login_required
@require_POST
def opportunity_interest(request: PatioRequest, pk: int) -> HttpResponse:
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
def opportunity_interest_withdraw(request: PatioRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity_for(request.user, pk)
    try:
        services.interest_withdraw(actor=request.user, opportunity=opportunity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are no longer listed as interested."))
    return _interest_response(request, opportunity)


@login_required
def my_interests(request: PatioRequest) -> HttpResponse:
    page = _page(request, selectors.my_interests(request.user))
    return render(request, "projects/my_interests.html", {"page": page})


def circle_section(request: HttpRequest, circle: Circle) -> str:
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
