"""The hub's pages. Each write goes through a service; each lookup through a scoped helper."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hub import linked_data, permissions, selectors, services
from hub.filters import GuideFilter
from hub.forms import GuideForm, PathForm, SendBackForm, TranslationForm, languages_open
from hub.models import Guide, GuideTranslation, LearningPath
from hub.selectors import guide_reading
from patio.forms import add_service_errors
from patio.linked_data import respond
from patio.slugs import former_holder
from patio.translations import Reading
from policies.models import Policy
from policies.selectors import policy_index

PAGE_SIZE = 20

# The network's own practice, as an outsider asks about it.
PRACTICE_HEADINGS = {
    Policy.Category.DECISION_MAKING: gettext_lazy("How we decide"),
    Policy.Category.CONFLICT_RESOLUTION: gettext_lazy("How we resolve conflicts"),
    Policy.Category.FEEDBACK: gettext_lazy("How we give feedback"),
    Policy.Category.COMPENSATION: gettext_lazy("How we pay ourselves"),
    Policy.Category.MEMBERSHIP: gettext_lazy("How co-ops join"),
    Policy.Category.OTHER: gettext_lazy("Other practices"),
}


def _guide_for(user, slug: str) -> Guide:
    """The one way views look a guide up: 404 when the reader may not see it."""
    return get_object_or_404(selectors.guide_detail(user), slug=slug)


def _path_for(user, slug: str) -> LearningPath:
    return get_object_or_404(selectors.path_detail(user), slug=slug)


@dataclass(frozen=True)
class GuideCard:
    guide: Guide
    reading: Reading[GuideTranslation]

    @property
    def summary(self) -> str:
        made = self.reading.translation
        return made.summary if made is not None and made.summary else self.guide.summary

    @property
    def summary_language(self) -> str:
        made = self.reading.translation
        return made.language if made is not None and made.summary else self.guide.language


def cards(guides) -> list[GuideCard]:
    return [GuideCard(guide, guide_reading(guide)) for guide in guides]


@dataclass(frozen=True)
class Practice:
    heading: str
    policies: list[Policy]


def _practice() -> list[Practice]:
    """The network's public policies, by what they are about: only what a visitor may read,
    whoever reads the hub (members find the others under Policies)."""
    grouped: dict[str, list[Policy]] = {}
    for policy in policy_index(AnonymousUser()):
        grouped.setdefault(policy.category, []).append(policy)
    return [
        Practice(str(heading), grouped[category])
        for category, heading in PRACTICE_HEADINGS.items()
        if category in grouped
    ]


def hub_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = GuideFilter(request.GET or None, queryset=selectors.guide_list(user), request=request)
    invalid = filters.is_bound and not filters.is_valid()
    guides = selectors.guide_list(user).none() if invalid else filters.qs
    page = Paginator(guides, PAGE_SIZE).get_page(request.GET.get("page"))
    paths = list(selectors.path_list(user))
    done = selectors.done_guide_ids(user)
    context = {
        "filters": filters,
        "page": page,
        "cards": cards(page.object_list),
        "searching": any(request.GET.get(name) for name in filters.form.fields),
        "paths": [(path, selectors.progress(path, done)) for path in paths],
        "practice": _practice(),
        "mine": cards(selectors.my_unpublished(user)),
        "to_review": cards(selectors.waiting_review(user)),
        "can_create": permissions.can_create_guide(user),
        "can_manage_paths": permissions.can_manage_paths(user),
        "signed_in": user.is_authenticated,
    }
    return render(request, "hub/index.html", context)


def _moved(request: HttpRequest, slug: str) -> HttpResponse:
    moved = former_holder(selectors.guide_detail(request.user), slug)
    if moved is None:
        raise Http404
    return redirect("hub:guide", moved.slug, permanent=True)


def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A guide's permanent address: its page, or (published ones) its JSON-LD by `Accept`."""
    guide = selectors.guide_detail(request.user).filter(slug=slug).first()
    if guide is None:
        return _moved(request, slug)
    shown = guide_reading(guide, requested=request.GET.get("language"), text=guide.body)
    document = linked_data.guide_document(guide, shown) if guide.is_published else None
    return respond(request, document, lambda document: _guide_page(request, guide, shown, document))


def _guide_page(
    request: HttpRequest,
    guide: Guide,
    shown: Reading[GuideTranslation],
    document: dict | None,
    *,
    send_back_form: SendBackForm | None = None,
) -> HttpResponse:
    user = request.user
    can_translate = permissions.can_translate(user, guide)
    made = shown.translation
    context = {
        "guide": guide,
        "reading": shown,
        "authors": list(guide.authors.all()),
        "tags": list(guide.tags.all()),
        "reading_minutes": made.reading_minutes if made is not None else guide.reading_minutes,
        "summary": made.summary if made is not None and made.summary else guide.summary,
        "original_url": f"{guide.get_absolute_url()}?language={guide.language}",
        "update_url": reverse("hub:translation_edit", args=[guide.slug, made.language])
        if made is not None and can_translate
        else "",
        "translator": made.translator.display_name if made is not None else "",
        "can_edit": permissions.can_edit_guide(user, guide),
        "can_submit": permissions.can_submit(user, guide),
        "can_review": permissions.can_review(user, guide),
        "can_withdraw": permissions.can_withdraw(user, guide),
        "can_translate": can_translate,
        "languages_open": languages_open(guide) if can_translate else [],
        "can_mark_done": permissions.can_mark_done(user, guide),
        "is_done": guide.pk in selectors.done_guide_ids(user, [guide]),
        "send_back_form": send_back_form or SendBackForm(),
        "is_author": permissions.is_author(user, guide),
        "linked_data": document,
    }
    return render(request, "hub/guide_detail.html", context)


def _flash_error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def guide_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_guide(request.user):
        raise PermissionDenied
    form = GuideForm(request.POST or None, initial={"language": translation.get_language() or "en"})
    if request.method == "POST" and form.is_valid():
        try:
            guide = services.guide_create(actor=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your draft is saved. Only you can see it until you send it for review."),
            )
            return redirect(guide)
    return render(request, "hub/guide_form.html", {"form": form, "guide": None})


@login_required
def guide_edit(request: HttpRequest, slug: str) -> HttpResponse:
    guide = _guide_for(request.user, slug)
    if not permissions.can_edit_guide(request.user, guide):
        raise PermissionDenied
    form = GuideForm(request.POST or None, instance=guide)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            services.guide_update(actor=request.user, guide=guide, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The guide is saved."))
            return redirect("hub:guide", guide.slug)
    # A form that failed left its values on the instance; read the guide's own title again.
    return render(
        request, "hub/guide_form.html", {"form": form, "guide": _guide_for(request.user, slug)}
    )


@login_required
@require_POST
def guide_submit(request: HttpRequest, slug: str) -> HttpResponse:
    guide = _guide_for(request.user, slug)
    try:
        services.guide_submit(actor=request.user, guide=guide)
    except ValidationError as error:
        _flash_error(request, error)
    else:
        messages.success(
            request,
            _("Sent to %(circle)s for review.") % {"circle": guide.reviewer_circle.name},
        )
    return redirect("hub:guide", guide.slug)


@login_required
@require_POST
def guide_publish(request: HttpRequest, slug: str) -> HttpResponse:
    guide = _guide_for(request.user, slug)
    try:
        services.guide_publish(actor=request.user, guide=guide)
    except ValidationError as error:
        _flash_error(request, error)
    else:
        messages.success(request, _("The guide is published: everyone can read it now."))
    return redirect("hub:guide", guide.slug)


@login_required
@require_POST
def guide_send_back(request: HttpRequest, slug: str) -> HttpResponse:
    guide = _guide_for(request.user, slug)
    if not permissions.can_review(request.user, guide):
        raise PermissionDenied
    form = SendBackForm(request.POST)
    if form.is_valid():
        try:
            services.guide_send_back(
                actor=request.user, guide=guide, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The guide went back to its authors with your comment."))
            return redirect("hub:guide", guide.slug)
    shown = guide_reading(guide, text=guide.body)
    return _guide_page(request, guide, shown, None, send_back_form=form)


@login_required
@require_POST
def guide_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    guide = _guide_for(request.user, slug)
    try:
        services.guide_withdraw(actor=request.user, guide=guide)
    except ValidationError as error:
        _flash_error(request, error)
    else:
        messages.success(
            request, _("The guide is a draft again: revise it, then send it for review.")
        )
    return redirect("hub:guide", guide.slug)


@login_required
@require_POST
def guide_done(request: HttpRequest, slug: str) -> HttpResponse:
    guide = _guide_for(request.user, slug)
    done = request.POST.get("done") != "0"
    services.guide_mark_done(actor=request.user, guide=guide, done=done)
    language = request.POST.get("language")
    suffix = f"?language={language}" if language in {guide.language, *_languages(guide)} else ""
    return redirect(f"{guide.get_absolute_url()}{suffix}#done")


def _languages(guide: Guide) -> set[str]:
    return {t.language for t in guide.translations.all()}


@login_required
def translation_new(request: HttpRequest, slug: str) -> HttpResponse:
    guide = _guide_for(request.user, slug)
    if not permissions.can_translate(request.user, guide):
        raise PermissionDenied
    offered = languages_open(guide)
    asked = request.GET.get("language")
    form = TranslationForm(
        request.POST or None,
        offered=offered,
        initial={"language": asked if asked in offered else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.translation_add(actor=request.user, guide=guide, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The translation is saved."))
            return redirect(made.get_absolute_url())
    context = {"form": form, "guide": guide, "translation": None, "adding": True}
    return render(request, "hub/translation_form.html", context)


@login_required
def translation_edit(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    guide = _guide_for(request.user, slug)
    made = next((t for t in guide.translations.all() if t.language == language), None)
    if made is None:
        raise Http404
    if not permissions.can_translate(request.user, guide):
        raise PermissionDenied
    form = TranslationForm(
        request.POST or None,
        adding=False,
        initial={"title": made.title, "summary": made.summary, "text": made.text},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.translation_update(actor=request.user, translation=made, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The translation is saved."))
            return redirect(made.get_absolute_url())
    context = {"form": form, "guide": guide, "translation": made, "adding": False}
    return render(request, "hub/translation_form.html", context)


# Learning paths ---------------------------------------------------------------------------------
def path_detail(request: HttpRequest, slug: str) -> HttpResponse:
    path = _path_for(request.user, slug)
    steps = path.visible_steps  # type: ignore[attr-defined]
    done = selectors.done_guide_ids(request.user)
    context = {
        "path": path,
        "steps": [(step, GuideCard(step.guide, guide_reading(step.guide))) for step in steps],
        "done": done,
        "progress": selectors.progress(path, done),
        "signed_in": permissions.can_create_guide(request.user),
        "can_manage_paths": permissions.can_manage_paths(request.user),
    }
    return render(request, "hub/path_detail.html", context)


def _published_guides(user) -> list[Guide]:
    return list(selectors.guide_list(user).order_by("title", "id"))


@login_required
def path_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_paths(request.user):
        raise PermissionDenied
    form = PathForm(request.POST or None, guides=_published_guides(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            path = services.path_create(actor=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The learning path is saved."))
            return redirect(path)
    return render(request, "hub/path_form.html", {"form": form, "path": None})


@login_required
def path_edit(request: HttpRequest, slug: str) -> HttpResponse:
    path = _path_for(request.user, slug)
    if not permissions.can_manage_paths(request.user):
        raise PermissionDenied
    initial = {
        "title": path.title,
        "description": path.description,
        "suggested_to_newcomers": path.suggested_to_newcomers,
        **{
            f"step_{n}": str(step.guide_id)
            for n, step in enumerate(path.visible_steps, 1)  # type: ignore[attr-defined]
        },
    }
    form = PathForm(request.POST or None, guides=_published_guides(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.path_update(actor=request.user, path=path, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The learning path is saved."))
            return redirect(path)
    return render(request, "hub/path_form.html", {"form": form, "path": path})
