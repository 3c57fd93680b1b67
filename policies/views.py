"""Policy pages. Each write goes through a service; each lookup through a scoped helper."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.permissions import person_of
from patio.forms import add_service_errors
from patio.linked_data import respond
from patio.slugs import former_holder
from policies import diffs, linked_data, permissions, selectors, services
from policies.forms import (
    AmendmentForm,
    CommentForm,
    CompareForm,
    NewPolicyForm,
    RespondForm,
    ReviseForm,
)
from policies.models import Amendment, ConsentResponse, Policy


def _policy_for(user, slug: str) -> Policy:
    """The one way views look a policy up: 404 when the reader may not see it."""
    return get_object_or_404(selectors.policy_detail(user), slug=slug)


def _amendment_for(user, pk: int) -> Amendment:
    return get_object_or_404(selectors.amendment_detail(user), pk=pk)


def _flash_error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def policy_index(request: HttpRequest) -> HttpResponse:
    context = {
        "policies": selectors.policy_index(request.user),
        "can_propose": permissions.can_propose(request.user),
    }
    return render(request, "policies/index.html", context)


def _moved(request: HttpRequest, slug: str, view: str, *args: int) -> HttpResponse:
    """A slug the policy had before answers with a 301 to the same page at its new address."""
    moved = former_holder(selectors.policy_detail(request.user), slug)
    if moved is None:
        raise Http404
    return redirect(view, moved.slug, *args, permanent=True)


def policy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A policy's permanent address: its page, or its JSON-LD (by `Accept`) when public."""
    policy = selectors.policy_detail(request.user).filter(slug=slug).first()
    if policy is None:
        return _moved(request, slug, "policies:policy")
    versions = list(policy.versions.all())
    document = linked_data.policy_document(policy, versions) if policy.is_public else None
    return respond(
        request, document, lambda document: _policy_page(request, policy, versions, document)
    )


def policy_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """One adopted version, at an address that never changes (the text never does)."""
    policy = selectors.policy_detail(request.user).filter(slug=slug).first()
    if policy is None:
        return _moved(request, slug, "policies:version", number)
    version = next((v for v in policy.versions.all() if v.number == number), None)
    if version is None:
        raise Http404
    document = linked_data.version_document(policy, version) if policy.is_public else None
    return respond(
        request,
        document,
        lambda document: render(
            request,
            "policies/policy_version.html",
            {"policy": policy, "version": version, "linked_data": document},
        ),
    )


def _policy_page(
    request: HttpRequest, policy: Policy, versions: list, document: dict | None
) -> HttpResponse:
    show_amendments = permissions.can_view_amendments(request.user)
    context = {
        "policy": policy,
        "current": versions[0] if versions else None,
        "versions": versions,
        "compare_form": CompareForm(
            initial={
                "a": versions[-1].number if versions else None,
                "b": versions[0].number if versions else None,
            },
            numbers=[v.number for v in versions],
        ),
        "amendments": list(selectors.open_amendments(policy)) if show_amendments else [],
        "show_amendments": show_amendments,
        "can_propose": permissions.can_propose(request.user),
        "linked_data": document,
    }
    return render(request, "policies/policy_detail.html", context)


def policy_compare(request: HttpRequest, slug: str) -> HttpResponse:
    policy = _policy_for(request.user, slug)
    versions = {v.number: v for v in policy.versions.all()}
    form = CompareForm(request.GET or None, numbers=sorted(versions))
    diff = old = new = None
    if form.is_valid():
        old, new = versions[form.cleaned_data["a"]], versions[form.cleaned_data["b"]]
        diff = diffs.word_diff(old.text, new.text)
    return render(
        request,
        "policies/compare.html",
        {"policy": policy, "form": form, "diff": diff, "old": old, "new": new},
    )


@login_required
def amendment_new(request: HttpRequest, slug: str) -> HttpResponse:
    policy = _policy_for(request.user, slug)
    if not permissions.can_propose(request.user):
        raise PermissionDenied
    current = services.current_version(policy)
    form = AmendmentForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.amendment_propose(
                actor=request.user, policy=policy, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your amendment is saved as a draft."))
            return redirect(amendment)
    return render(request, "policies/amendment_form.html", {"form": form, "policy": policy})


@login_required
def new_policy(request: HttpRequest) -> HttpResponse:
    if not permissions.can_propose(request.user):
        raise PermissionDenied
    form = NewPolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.amendment_propose(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your proposal is saved as a draft."))
            return redirect(amendment)
    return render(request, "policies/amendment_form.html", {"form": form, "policy": None})


@login_required
def amendment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    amendment = _amendment_for(request.user, pk)
    user = request.user
    current = services.current_version(amendment.policy) if amendment.policy else None
    rounds = list(amendment.rounds.all())
    round = rounds[0] if rounds else None
    person = person_of(user)
    mine = None
    if round is not None and person is not None:
        mine = next((r for r in round.responses.all() if r.person_id == person.pk), None)
    moves = [
        (status, label)
        for status, label in Amendment.Status.choices
        if permissions.can_move(user, amendment, status)
    ]
    context = {
        "amendment": amendment,
        "current": current,
        "diff": diffs.word_diff(current.text if current else "", amendment.text),
        "round": round,
        "earlier_rounds": rounds[1:],
        "mine": mine,
        "moves": moves,
        "can_respond": round is not None and permissions.can_respond(user, round),
        "respond_form": RespondForm(
            initial={"answer": mine.answer, "reason": mine.reason} if mine else None
        ),
        "can_comment": permissions.can_comment(user, amendment),
        "comment_form": CommentForm(),
        "can_revise": permissions.can_revise(user, amendment),
        "person": person,
    }
    return render(request, "policies/amendment_detail.html", context)


@login_required
@require_POST
def amendment_move(request: HttpRequest, pk: int) -> HttpResponse:
    amendment = _amendment_for(request.user, pk)
    status = request.POST.get("status", "")
    if status not in Amendment.Status.values or not permissions.can_move(
        request.user, amendment, status
    ):
        raise PermissionDenied
    try:
        services.amendment_move(actor=request.user, amendment=amendment, status=status)
    except ValidationError as error:
        _flash_error(request, error)
    else:
        messages.success(request, _("The amendment moved on."))
    return redirect(amendment)


@login_required
def amendment_revise(request: HttpRequest, pk: int) -> HttpResponse:
    amendment = _amendment_for(request.user, pk)
    if not permissions.can_revise(request.user, amendment):
        raise PermissionDenied
    round = services.open_round(amendment)
    objections = list(services.open_objections(round).select_related("person")) if round else []
    form = ReviseForm(
        request.POST or None,
        objections=objections,
        initial={"text": amendment.text, "rationale": amendment.rationale},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.amendment_revise(
                actor=request.user,
                amendment=amendment,
                text=form.cleaned_data["text"],
                rationale=form.cleaned_data["rationale"] or None,
                integrates=form.cleaned_data.get("integrates", []),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The text is revised."))
            return redirect(amendment)
    return render(
        request, "policies/revise.html", {"form": form, "amendment": amendment, "round": round}
    )


@login_required
@require_POST
def amendment_comment(request: HttpRequest, pk: int) -> HttpResponse:
    amendment = _amendment_for(request.user, pk)
    if not permissions.can_comment(request.user, amendment):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(actor=request.user, amendment=amendment, **form.cleaned_data)
        return redirect(amendment.get_absolute_url() + "#comments")
    messages.error(request, _("Write a comment first."))
    return redirect(amendment)


@login_required
def amendment_respond(request: HttpRequest, pk: int) -> HttpResponse:
    amendment = _amendment_for(request.user, pk)
    round = services.open_round(amendment)
    if round is None or not permissions.can_respond(request.user, round):
        raise PermissionDenied
    form = RespondForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_respond(actor=request.user, round=round, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect(amendment)
    return render(
        request, "policies/respond.html", {"form": form, "amendment": amendment, "round": round}
    )


@login_required
@require_POST
def objection_withdraw(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    amendment = _amendment_for(request.user, pk)
    response = get_object_or_404(
        ConsentResponse.objects.select_related("round"),
        pk=response_pk,
        round__amendment=amendment,
    )
    if not permissions.can_withdraw_objection(request.user, response):
        raise PermissionDenied
    services.objection_withdraw(actor=request.user, response=response)
    messages.success(request, _("Your objection is withdrawn."))
    return redirect(amendment)


@login_required
def waiting(request: HttpRequest) -> HttpResponse:
    return render(request, "policies/waiting.html", selectors.waiting_for(request.user))
