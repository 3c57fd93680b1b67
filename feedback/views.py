"""Pages of feedback: one's own requests and what waits for one's answer, asking (about a
project or at any time), answering, the asker's private view of the answers, and sharing them.
Each reads through `feedback.selectors`, asks `feedback.permissions` and writes through
`feedback.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from feedback import permissions, selectors, services
from feedback.forms import AnswerForm, AskForm
from feedback.models import FeedbackInvite, FeedbackRequest
from members.models import Person
from members.permissions import person_of
from patio.forms import add_service_errors, one_time_form
from patio.http import PatioRequest
from patio.idempotency import form_submissions
from projects.models import Project

# A second POST of the same ask (a double click, a reload) asks nobody twice (patio.forms).
once = one_time_form(form_submissions)


def _person(request: PatioRequest) -> Person:
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied
    return person


def _request_for(user, pk: int) -> FeedbackRequest:
    """The one way views look a request up: what the reader may not open is a 404."""
    return get_object_or_404(selectors.request_detail(user), pk=pk)


@login_required
def feedback_list(request: PatioRequest) -> HttpResponse:
    person = _person(request)
    context = {
        "mine": list(selectors.requests_of(person)),
        "waiting": list(selectors.waiting_for(person)),
        "given": [i for i in selectors.given_by(person) if i.answered],
        "received": selectors.received_count(person),
    }
    return render(request, "feedback/list.html", context)


def _project_from(request: PatioRequest, person: Person) -> Project | None:
    raw = request.POST.get("project") or request.GET.get("project")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(selectors.team_projects(person), pk=int(raw))


@login_required
@once
def ask(request: PatioRequest) -> HttpResponse:
    person = _person(request)
    project = _project_from(request, person)
    people = selectors.askable(person, project=project)
    form = AskForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            asked = services.feedback_request(
                actor=request.user,
                respondents=form.cleaned_data["respondents"],
                project=project,
                message=form.cleaned_data["message"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your request is sent. Answers come to you alone."))
            return redirect(asked)
    context = {
        "form": form,
        "project": project,
        "projects": [] if project else list(selectors.team_projects(person).order_by("name")),
        "has_people": people.exists(),
    }
    return render(request, "feedback/ask.html", context, status=400 if form.errors else 200)


def request_detail(request: PatioRequest, pk: int) -> HttpResponse:
    found = _request_for(request.user, pk)
    person = person_of(request.user)
    invites = list(selectors.invites_of(found))
    mine = next((i for i in invites if person and i.respondent_id == person.pk), None)
    is_asker = permissions.is_asker(request.user, found)
    if is_asker or found.shared:
        answers = [i for i in invites if i.answered]
    else:
        answers = [mine] if mine and mine.answered else []
    context = {
        "req": found,
        "is_asker": is_asker,
        "names": permissions.can_read_authors(request.user, found),
        "answers": answers,
        "pending": [i for i in invites if not i.answered] if is_asker else [],
        "mine": mine,
        "can_answer": mine is not None and permissions.can_answer(request.user, mine),
        "is_open": permissions.is_open(found),
    }
    return render(request, "feedback/request.html", context)


@login_required
def answer(request: PatioRequest, pk: int) -> HttpResponse:
    person = _person(request)
    # The reader's own invitation, or nothing: nobody answers for someone else.
    invite = get_object_or_404(
        FeedbackInvite.objects.select_related("request__asker", "request__project"),
        request_id=pk,
        respondent=person,
    )
    initial = {"went_well": invite.went_well, "to_change": invite.to_change, "note": invite.note}
    form = AnswerForm(request.POST or None, initial=initial)
    is_open = permissions.is_open(invite.request)
    if request.method == "POST":
        if not is_open:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.answer_submit(actor=request.user, invite=invite, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Thank you: your answer is with them."))
                return redirect(invite.request)
    context = {"invite": invite, "req": invite.request, "form": form, "is_open": is_open}
    return render(request, "feedback/answer.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def share(request: PatioRequest, pk: int) -> HttpResponse:
    found = _request_for(request.user, pk)
    shared = request.POST.get("shared") == "1"
    services.request_share(actor=request.user, request=found, shared=shared)
    if shared:
        messages.success(
            request, _("The answers are shared with the network's members, without names.")
        )
    else:
        messages.success(request, _("The answers are yours alone again."))
    return redirect(found)
