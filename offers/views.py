"""Pages of offers and wants: the board, a post (with its replies), posting and editing, the
poster's moves, replying, and saved searches. Each reads through `offers.selectors`, asks
`offers.permissions` and writes through `offers.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.permissions import person_of
from offers import permissions, selectors, services
from offers.filters import PostFilter
from offers.forms import PostForm, ReplyForm, SavedSearchForm
from offers.linked_data import post_document
from offers.models import Post, SavedSearch
from patio.forms import add_service_errors
from patio.http import PatioRequest
from patio.linked_data import respond

PAGE_SIZE = 20


def _post_for(user, pk: int) -> Post:
    """The one way views look a post up: what the reader may not see is a 404."""
    return get_object_or_404(selectors.post_detail(user), pk=pk)


def _managed_post(user, pk: int) -> Post:
    post = _post_for(user, pk)
    if not permissions.can_manage_post(user, post):
        raise PermissionDenied
    return post


def board(request: PatioRequest) -> HttpResponse:
    data = request.GET.copy()
    if "state" not in data:
        data["state"] = Post.State.OPEN  # the board shows what is open unless asked otherwise
    filterset = PostFilter(data, queryset=selectors.post_list(request.user))
    posts = filterset.qs if filterset.is_valid() else Post.objects.none()
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "can_post": permissions.can_post(request.user),
    }
    template = "offers/includes/results.html" if request.htmx else "offers/board.html"
    return render(request, template, context)


def _detail(request: HttpRequest, post: Post, *, reply_form=None, status=200, linked_data=None):
    can_manage = permissions.can_manage_post(request.user, post)
    replies = list(selectors.replies_visible_to(request.user, post))
    context = {
        "post": post,
        "replies": replies,
        "can_manage": can_manage,
        "can_reply": permissions.can_reply(request.user, post),
        "may_reply_after_login": permissions.may_ever_reply(request.user, post),
        "can_reopen": can_manage and post.state == Post.State.FULFILLED,
        "reply_form": reply_form or ReplyForm(),
        "linked_data": linked_data,
        "profile_url": f"/murmurations/offers/{post.pk}.json"
        if post.visibility == Post.Visibility.PUBLIC and post.is_open
        else "",
    }
    return render(request, "offers/detail.html", context, status=status)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The post, or its `Offer`/`Demand` JSON-LD by `Accept` when a visitor may read it."""
    post = _post_for(request.user, pk)
    if post.poster_id == getattr(person_of(request.user), "pk", None):
        services.replies_mark_read(actor=request.user, post=post)
    public = permissions.can_view_post(None, post)
    return respond(
        request,
        post_document(post) if public else None,
        lambda document: _detail(request, post, linked_data=document),
    )


def _form_page(request, form, post=None, status=200):
    return render(request, "offers/form.html", {"form": form, "post": post}, status=status)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_post(request.user):
        raise PermissionDenied
    person = person_of(request.user)
    for_coop = person is not None and permissions.can_post_for(request.user, person.organisation)
    form = PostForm(request.POST or None, can_post_for_coop=for_coop)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(
                actor=request.user,
                data=form.service_data(),
                skills=form.cleaned_data["skills"],
                tags=form.cleaned_data["tags"],
                for_coop=form.cleaned_data.get("for_coop", False),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your post is open. Replies will reach you by email."))
            return redirect(post)
    return _form_page(request, form)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _managed_post(request.user, pk)
    initial = {"tags": [tag.name for tag in post.tags.all()], "skills": list(post.skills.all())}
    form = PostForm(
        request.POST or None, instance=Post.objects.get(pk=post.pk), initial=initial, editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(
                actor=request.user,
                post=post,
                data=form.service_data(),
                skills=form.cleaned_data["skills"],
                tags=form.cleaned_data["tags"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(post)
    return _form_page(request, form, post)


def _move(request, pk: int, service, done: str) -> HttpResponse:
    post = _managed_post(request.user, pk)
    try:
        service(actor=request.user, post=post)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(post)


@login_required
@require_POST
def fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(
        request, pk, services.post_fulfil, _("Marked as fulfilled. It takes no more replies.")
    )


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, services.post_reopen, _("Open again."))


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for(request.user, pk)
    if person_of(request.user) is None:
        raise PermissionDenied
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_create(actor=request.user, post=post, body=form.cleaned_data["body"])
        except PermissionDenied:
            raise
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your reply was sent to the poster."))
            return redirect(post)
    return _detail(request, post, reply_form=form, status=200)


@login_required
def searches(request: HttpRequest) -> HttpResponse:
    if person_of(request.user) is None:
        raise PermissionDenied
    form = SavedSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_search_create(
                actor=request.user,
                data=form.service_data(),
                skills=form.cleaned_data["skills"],
                tags=form.cleaned_data["tags"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Search saved. Its digest lists new posts that match."))
            return redirect("offers:searches")
    context = {"form": form, "searches": selectors.saved_searches_of(request.user)}
    return render(request, "offers/searches.html", context)


@login_required
def search_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a saved search: someone else's is a 404, as in the API."""
    search = get_object_or_404(selectors.saved_searches_of(request.user), pk=pk)
    initial = {"skills": list(search.skills.all()), "tags": [t.name for t in search.tags.all()]}
    form = SavedSearchForm(
        request.POST or None, instance=SavedSearch.objects.get(pk=search.pk), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_search_update(
                actor=request.user,
                search=search,
                data=form.service_data(),
                skills=form.cleaned_data["skills"],
                tags=form.cleaned_data["tags"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Search saved. Its digest lists new posts that match."))
            return redirect("offers:searches")
    return render(request, "offers/search_form.html", {"form": form, "search": search})


@login_required
@require_POST
def search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(selectors.saved_searches_of(request.user), pk=pk)
    services.saved_search_delete(actor=request.user, search=search)
    messages.success(request, _("Search deleted: its digest stops."))
    return redirect("offers:searches")
