"""Policy pages. Each write goes through a service; each lookup through a scoped helper."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.permissions import person_of
from patio.forms import add_service_errors
from patio.linked_data import respond
from patio.slugs import former_holder
from patio.translations import Reading, reading
from policies import diffs, linked_data, permissions, selectors, services
from policies.forms import (
    AmendmentForm,
    CommentForm,
    CompareForm,
    NewPolicyForm,
    RespondForm,
    ReviseForm,
    TranslationForm,
)
from policies.hooks import policy_page
from policies.models import Amendment, ConsentResponse, Policy, PolicyTranslation


def _policy_for(user, slug: str) -> Policy:
    """The one way views look a policy up: 404 when the reader may not see it."""
    return get_object_or_404(selectors.policy_detail(user), slug=slug)


def _amendment_for(user, pk: int) -> Amendment:
    return get_object_or_404(selectors.amendment_detail(user), pk=pk)


def _flash_error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _reading(
    policy: Policy, *, current_id: int | None, text: str = "", requested: str | None = None
) -> Reading[PolicyTranslation]:
    """The policy's text to show: the language asked for, else a translation into the reader's
    own language, else the original (whose current version is `current_id`, its text `text`)."""

    def older(made: PolicyTranslation) -> bool:
        return made.source_version_id != current_id

    return reading(
        original_language=policy.language,
        original_title=policy.title,
        original_text=text,
        translations=list(policy.translations.all()),  # prefetched by the selector
        requested=requested,
        preferred=translation.get_language(),
        is_outdated=older,
    )


@dataclass(frozen=True)
class PolicyCard:
    policy: Policy
    reading: Reading[PolicyTranslation]


def policy_index(request: HttpRequest) -> HttpResponse:
    cards = [
        # The index shows titles only; the selector annotates the current version's id.
        PolicyCard(policy, _reading(policy, current_id=getattr(policy, "current_version_id", None)))
        for policy in selectors.policy_index(request.user)
    ]
    context = {"cards": cards, "can_propose": permissions.can_propose(request.user)}
    return render(request, "policies/index.html", context)


def _moved(request: HttpRequest, slug: str, view: str, *args: int) -> HttpResponse:
    """A slug the policy had before answers with a 301 to the same page at its new address."""
    moved = former_holder(selectors.policy_detail(request.user), slug)
    if moved is None:
        raise Http404
    return redirect(view, moved.slug, *args, permanent=True)


def _languages_open(policy: Policy) -> list[str]:
    """The site's languages this policy has no text in yet."""
    taken = {policy.language, *(t.language for t in policy.translations.all())}
    return [code for code, _name in settings.LANGUAGES if code not in taken]


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
    current = versions[0] if versions else None
    show_amendments = permissions.can_view_amendments(request.user)
    can_translate = current is not None and permissions.can_translate(request.user, policy)
    shown = _reading(
        policy,
        current_id=current.pk if current is not None else None,
        text=current.text if current is not None else "",
        requested=request.GET.get("language"),
    )
    made = shown.translation
    context = {
        "policy": policy,
        "current": current,
        "reading": shown,
        "original_url": f"{policy.get_absolute_url()}?language={policy.language}",
        "update_url": reverse("policies:translation_edit", args=[policy.slug, made.language])
        if made is not None and can_translate
        else "",
        "translator": made.translator.display_name
        if made is not None and permissions.can_see_translators(request.user)
        else "",
        "can_translate": can_translate,
        "languages_open": _languages_open(policy) if can_translate else [],
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
        "sections": policy_page.render(request, policy),
    }
    return render(request, "policies/policy_detail.html", context)


def policy_compare(request: HttpRequest, slug: str) -> HttpResponse:
    policy = _policy_for(request.user, slug)
    versions = {v.number: v for v in policy.versions.all()}
    form = CompareForm(request.GET or None, numbers=sorted(versions))
    diff = old = new = None
    if form.is_valid():  # the originals only: translations are not versions
        old, new = versions[form.cleaned_data["a"]], versions[form.cleaned_data["b"]]
        diff = diffs.word_diff(old.text, new.text)
    return render(
        request,
        "policies/compare.html",
        {"policy": policy, "form": form, "diff": diff, "old": old, "new": new},
    )


@login_required
def translation_new(request: HttpRequest, slug: str) -> HttpResponse:
    policy = _policy_for(request.user, slug)
    if not permissions.can_translate(request.user, policy):
        raise PermissionDenied
    versions = list(policy.versions.all())
    offered = _languages_open(policy)
    asked = request.GET.get("language")
    form = TranslationForm(
        request.POST or None,
        offered=offered,
        initial={"language": asked if asked in offered else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.translation_add(actor=request.user, policy=policy, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your translation is saved."))
            return redirect(made)
    context = {
        "form": form,
        "policy": policy,
        "current": versions[0] if versions else None,
        "translation": None,
    }
    return render(request, "policies/translation_form.html", context)


@login_required
def translation_edit(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    policy = _policy_for(request.user, slug)
    made = next((t for t in policy.translations.all() if t.language == language), None)
    if made is None:
        raise Http404
    if not permissions.can_translate(request.user, policy):
        raise PermissionDenied
    versions = list(policy.versions.all())
    current = versions[0] if versions else None
    form = TranslationForm(
        request.POST or None, adding=False, initial={"title": made.title, "text": made.text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.translation_update(actor=request.user, translation=made, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The translation is updated."))
            return redirect(made)
    older = current is not None and made.source_version_id != current.pk
    context = {
        "form": form,
        "policy": policy,
        "current": current,
        "translation": made,
        "outdated": older,
        # What changed in the original since the translation was made: what to translate now.
        "changes": diffs.word_diff(made.source_version.text, current.text)
        if older and current is not None
        else None,
    }
    return render(request, "policies/translation_form.html", context)


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
