"""Pages of conflict resolution: my cases, opening one, the mediators' queue, and a case with
its state, meeting and private notes. Each reads through `mediation.selectors`, asks
`mediation.permissions` and writes through `mediation.services`. A case the reader may not read
is a 404, so a page never says that it exists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mediation import calendars, permissions, selectors, services
from mediation.forms import CaseForm, MeetingForm, MoveForm, NoteForm
from mediation.models import Case
from members.permissions import person_of
from patio.forms import add_service_errors, one_time_form
from patio.idempotency import form_submissions

once = one_time_form(form_submissions)


def _case_for(user, pk: int) -> Case:
    """The one way views look a case up: what the reader may not read is a 404."""
    return get_object_or_404(selectors.case_detail(user), pk=pk)


@login_required
@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    context = {
        "cases": list(selectors.my_cases(request.user)),
        "can_open": permissions.can_open_case(request.user),
        "is_mediator": permissions.is_mediator(request.user),
    }
    return render(request, "mediation/mine.html", context)


@login_required
@never_cache
@once
def new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_open_case(request.user):
        raise PermissionDenied
    person = person_of(request.user)
    form = CaseForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your case is with the mediators. You will hear from them here and by email."),
            )
            return redirect(case)
    return render(request, "mediation/new.html", {"form": form})


@login_required
@never_cache
def queue(request: HttpRequest) -> HttpResponse:
    if not permissions.is_mediator(request.user):
        raise PermissionDenied
    cases = list(selectors.queue(request.user))
    context = {
        "open_cases": [c for c in cases if not c.is_ended],
        "ended_cases": [c for c in cases if c.is_ended],
    }
    return render(request, "mediation/queue.html", context)


def _case_page(
    request: HttpRequest,
    found: Case,
    *,
    note_form: NoteForm | None = None,
    meeting_form: MeetingForm | None = None,
) -> HttpResponse:
    can_mediate = permissions.can_mediate(request.user, found)
    can_schedule = permissions.can_schedule_meeting(request.user, found)
    if meeting_form is None and can_schedule:
        initial = {"minutes": found.meeting_minutes, "place": found.meeting_place}
        if found.meeting_at:
            initial["at"] = found.meeting_at
        meeting_form = MeetingForm(initial=initial)
    assembly = None
    if found.state == Case.State.ESCALATED and found.escalated_at:
        assembly = selectors.next_assembly_after(found.escalated_at)
    context = {
        "case": found,
        "involved": list(found.involved.all()),
        "is_requester": person_of(request.user) == found.requester,
        "events": list(selectors.events_of(found)),
        "notes": list(selectors.notes_of(found)),
        "can_mediate": can_mediate,
        "moves": [(state, Case.State(state).label) for state in found.next_states()]
        if can_mediate
        else [],
        "meeting_form": meeting_form if can_schedule else None,
        "note_form": (note_form or NoteForm())
        if permissions.can_write_note(request.user, found)
        else None,
        "assembly": assembly,
    }
    return render(request, "mediation/case.html", context)


@login_required
@never_cache
def case(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _case_for(request.user, pk))


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    found = _case_for(request.user, pk)
    if not permissions.can_mediate(request.user, found):
        raise PermissionDenied
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a state."))
        return redirect(found)
    try:
        moved = services.case_move(
            actor=request.user, case=found, to_state=form.cleaned_data["state"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The case is now “%(state)s”. Its requester is told there is news.")
            % {"state": moved.get_state_display()},
        )
    return redirect(found)


@login_required
@require_POST
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = _case_for(request.user, pk)
    if not permissions.can_schedule_meeting(request.user, found):
        raise PermissionDenied
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            services.case_schedule_meeting(actor=request.user, case=found, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting is set. Its requester is told there is news."))
            return redirect(found.get_absolute_url() + "#meeting")
    return _case_page(request, found, meeting_form=form)


@login_required
@never_cache
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    found = _case_for(request.user, pk)
    if found.meeting_at is None:
        raise Http404
    response = HttpResponse(calendars.meeting_ics(found), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="mediation-{found.pk}.ics"'
    return response


@login_required
@require_POST
@once
def note(request: HttpRequest, pk: int) -> HttpResponse:
    found = _case_for(request.user, pk)
    if not permissions.can_write_note(request.user, found):
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.case_note_add(actor=request.user, case=found, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your note is saved."))
            return redirect(found.get_absolute_url() + "#notes")
    return _case_page(request, found, note_form=form)
