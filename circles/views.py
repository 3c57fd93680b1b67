from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.reauth import reauthentication_required
from circles import linked_data, permissions, selectors, services
from circles.forms import (
    CircleAdminForm,
    CircleCreateForm,
    CircleForm,
    MembershipAddForm,
    MembershipChangeForm,
    MembershipEndForm,
    MembershipRequestForm,
)
from circles.hooks import render_circle_sections
from circles.models import Circle, CircleMembership, MembershipRequest
from members.permissions import is_network_admin, person_of
from patio.forms import add_service_errors
from patio.linked_data import respond
from patio.slugs import former_holder


def _circle_for(user, slug: str, *, edit: bool = False, manage: bool = False) -> Circle:
    """The one way views look up a circle: 404 when unknown, 403 to edit or manage members."""
    circle = get_object_or_404(selectors.circle_detail(user), slug=slug)
    if edit and not permissions.can_edit_circle(user, circle):
        raise PermissionDenied
    if manage and not permissions.can_manage_members(user, circle):
        raise PermissionDenied
    return circle


def _error_message(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


def circle_list(request: HttpRequest) -> HttpResponse:
    context = {
        "tree": selectors.circle_tree(request.user),
        "can_create": permissions.can_create_circle(request.user),
    }
    return render(request, "circles/circle_list.html", context)


def circle_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A circle's permanent address: its page or its JSON-LD (by `Accept`); a slug it had
    before answers with a 301 (patio.slugs)."""
    circle = selectors.circle_detail(request.user).filter(slug=slug).first()
    if circle is None:
        moved = former_holder(selectors.circle_detail(request.user), slug)
        if moved is None:
            raise Http404
        return redirect(moved, permanent=True)
    return respond(
        request,
        linked_data.circle_document(circle),
        lambda document: _circle_page(request, circle, document),
    )


def _circle_page(request: HttpRequest, circle: Circle, document: dict | None) -> HttpResponse:
    user = request.user
    can_manage = permissions.can_manage_members(user, circle)
    own_requests = list(selectors.own_pending_requests(user, circle))
    groups = selectors.members_by_role(user, circle)
    person = person_of(user)
    is_member = person is not None and any(
        m.person_id == person.pk for _role, _label, rows in groups for m in rows
    )
    context = {
        "circle": circle,
        "groups": groups,
        "updates": selectors.recent_updates(user, circle),
        "pending": list(selectors.pending_requests(circle)) if can_manage else [],
        "own_requests": own_requests,
        "own_kinds": {r.kind for r in own_requests},
        "is_member": is_member,
        "can_request": permissions.can_request_membership(user),
        "can_edit": permissions.can_edit_circle(user, circle),
        "can_manage": can_manage,
        "sections": render_circle_sections(request, circle),
        "join_form": MembershipRequestForm(initial={"kind": MembershipRequest.Kind.JOIN}),
        "leave_form": MembershipRequestForm(initial={"kind": MembershipRequest.Kind.LEAVE}),
        "linked_data": document,
    }
    return render(request, "circles/circle_detail.html", context)


def _appoints_coordinators(request: HttpRequest) -> bool:
    return request.method == "POST" and bool(request.POST.getlist("coordinators"))


@reauthentication_required(when=_appoints_coordinators)
def circle_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_circle(request.user):
        raise PermissionDenied
    form = CircleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in form.fields}
        try:
            circle = services.circle_create(actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The circle is created."))
            return redirect(circle)
    return render(request, "circles/circle_new.html", {"form": form})


@login_required
def circle_edit(request: HttpRequest, slug: str) -> HttpResponse:
    circle = _circle_for(request.user, slug, edit=True)
    form_class = CircleAdminForm if is_network_admin(request.user) else CircleForm
    form = form_class(request.POST or None, instance=Circle.objects.get(pk=circle.pk))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.circle_update(
                actor=request.user, circle=Circle.objects.get(pk=circle.pk), data=data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The circle is saved."))
            return redirect(circle)
    return render(request, "circles/circle_form.html", {"form": form, "circle": circle})


def _adds_power(request: HttpRequest, slug: str) -> bool:
    circle = Circle.objects.filter(slug=slug).first()
    role = request.POST.get("add-role", "")
    return circle is not None and permissions.grants_power(circle, role)


def _changes_to_power(request: HttpRequest, slug: str, pk: int) -> bool:
    membership = CircleMembership.objects.select_related("circle").filter(pk=pk).first()
    if membership is None:
        return False
    role = request.POST.get(f"m{pk}-role", "")
    return permissions.grants_power(membership.circle, role, current_role=membership.role)


def _approves_power(request: HttpRequest, slug: str, pk: int) -> bool:
    if request.POST.get("decision") != "approve":
        return False
    membership_request = MembershipRequest.objects.select_related("circle").filter(pk=pk).first()
    return (
        membership_request is not None
        and membership_request.kind == MembershipRequest.Kind.JOIN
        and permissions.grants_power(membership_request.circle, CircleMembership.Role.MEMBER)
    )


# Granting a guarding role (a coordinator, or a place in the finance circle) asks for the
# password again (accounts.reauth); other edits don't.
@reauthentication_required(when=_adds_power)
def circle_members(request: HttpRequest, slug: str) -> HttpResponse:
    """Coordinators add people, change their role, hours and duties, and end memberships."""
    circle = _circle_for(request.user, slug, manage=True)
    form = MembershipAddForm(request.POST or None, prefix="add")
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                actor=request.user,
                circle=circle,
                person=form.cleaned_data["person"],
                role=form.cleaned_data["role"],
                hours_per_month=form.cleaned_data["hours_per_month"] or 0,
                duties=form.cleaned_data["duties"],
                start_date=form.cleaned_data["start_date"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(person)s is added to the circle.") % {"person": membership.person}
            )
            return redirect("circles:members", slug=circle.slug)
    memberships = list(selectors.circle_members(request.user, circle))
    rows = [
        (
            m,
            MembershipChangeForm(instance=m, prefix=f"m{m.pk}"),
            MembershipEndForm(prefix=f"e{m.pk}"),
        )
        for m in memberships
    ]
    return render(
        request, "circles/circle_members.html", {"circle": circle, "form": form, "rows": rows}
    )


def _membership_for(request: HttpRequest, circle: Circle, pk: int) -> CircleMembership:
    return get_object_or_404(
        CircleMembership.objects.current().select_related("circle", "person"), pk=pk, circle=circle
    )


@require_POST
@reauthentication_required(when=_changes_to_power)
def membership_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    circle = _circle_for(request.user, slug, manage=True)
    membership = _membership_for(request, circle, pk)
    form = MembershipChangeForm(request.POST, instance=membership, prefix=f"m{pk}")
    if form.is_valid():
        try:
            services.membership_change_role(
                actor=request.user,
                membership=membership,
                role=form.cleaned_data["role"],
                hours_per_month=form.cleaned_data["hours_per_month"] or 0,
                duties=form.cleaned_data["duties"],
            )
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("The membership is saved."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for text in errors:
                messages.error(request, f"{label}: {text}" if label else str(text))
    return redirect("circles:members", slug=circle.slug)


@login_required
@require_POST
def membership_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    circle = _circle_for(request.user, slug, manage=True)
    membership = _membership_for(request, circle, pk)
    form = MembershipEndForm(request.POST, prefix=f"e{pk}")
    if form.is_valid():
        try:
            services.membership_end(
                actor=request.user,
                membership=membership,
                end_date=form.cleaned_data["end_date"],
            )
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(
                request, _("%(person)s's membership is ended.") % {"person": membership.person}
            )
    else:
        messages.error(request, _("Enter a valid date."))
    return redirect("circles:members", slug=circle.slug)


@login_required
@require_POST
def membership_request(request: HttpRequest, slug: str) -> HttpResponse:
    circle = _circle_for(request.user, slug)
    form = MembershipRequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
        return redirect(circle)
    try:
        services.membership_request_create(actor=request.user, circle=circle, **form.cleaned_data)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("Your request is sent to the circle's coordinators."))
    return redirect(circle)


def _request_for(circle: Circle, pk: int) -> MembershipRequest:
    return get_object_or_404(
        MembershipRequest.objects.select_related("circle", "person"), pk=pk, circle=circle
    )


@require_POST
@reauthentication_required(when=_approves_power)
def request_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    circle = _circle_for(request.user, slug, manage=True)
    membership_request = _request_for(circle, pk)
    decision = request.POST.get("decision")
    if decision not in {"approve", "decline"}:
        messages.error(request, _("Choose to approve or to decline."))
        return redirect(circle)
    approve = decision == "approve"
    try:
        services.membership_request_decide(
            actor=request.user, request=membership_request, approve=approve
        )
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("Approved.") if approve else _("Declined."))
    return redirect(circle)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    circle = _circle_for(request.user, slug)
    membership_request = _request_for(circle, pk)
    try:
        services.membership_request_withdraw(actor=request.user, request=membership_request)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("Your request is withdrawn."))
    return redirect(circle)
