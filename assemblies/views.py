"""Assembly pages. Each write goes through a service; each lookup through `_assembly_for`."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from rest_framework.exceptions import AuthenticationFailed

from accounts.api_auth import BearerTokenAuthentication
from assemblies import calendars, linked_data, permissions, selectors, services, slots
from assemblies.forms import (
    ActionItemForm,
    ActionStatusForm,
    AgendaItemForm,
    AssemblyForm,
    AttendanceForm,
    CircleUpdateForm,
    CorrectionDecisionForm,
    CorrectionForm,
    DecisionForm,
    DecisionSearchForm,
    DelegationForm,
    MinutesForm,
    MinutesPublishForm,
    ProposalForm,
    RotationForm,
    RsvpForm,
    SlotForm,
    SuggestionForm,
)
from assemblies.hooks import assembly_page
from assemblies.models import (
    ActionItem,
    AgendaItem,
    Assembly,
    CircleUpdate,
    Correction,
    nth_weekday,
)
from circles.models import Circle
from members.permissions import person_of
from patio.forms import add_service_errors
from patio.http import PatioRequest, safe_next
from patio.linked_data import respond

PAGE_SIZE = 25


def _assembly_for(user, pk: int) -> Assembly:
    """The one way views look an assembly up: 404 when the user may not see it."""
    return get_object_or_404(selectors.assembly_detail(user), pk=pk)


def _page(request: PatioRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _back(request: PatioRequest, default: str) -> HttpResponse:
    return redirect(safe_next(request, default))


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Lists ------------------------------------------------------------------------------------------
@login_required
def assembly_list(request: PatioRequest) -> HttpResponse:
    if not permissions.can_view_assemblies(request.user):
        raise PermissionDenied
    context = {
        "upcoming": selectors.upcoming(request.user)[:12],
        "past": _page(request, selectors.past(request.user)),
        "can_schedule": permissions.can_schedule(request.user),
    }
    return render(request, "assemblies/assembly_list.html", context)


# Changes with whatever the feed's bytes depend on besides its rows: their format.
PUBLIC_FEED_FORMAT = "1"
PUBLIC_FEED_MAX_AGE = 15 * 60


@require_safe
def public_feed(request: PatioRequest) -> HttpResponse:
    """The public assemblies as an iCal feed, for everyone: no login, nothing members-only.

    Calendar apps poll it for years, so a poll that finds nothing new costs one aggregate query
    and answers 304: the ETag is made from how many assemblies the feed holds, when the latest
    changed and the language (`?lang=` names it for a calendar app, which sends no cookie)."""
    count, last = selectors.public_feed_version()
    language = get_language()
    version = f"{PUBLIC_FEED_FORMAT}:{language}:{settings.SITE_URL}:{count}:{last}"
    etag = f'"{hashlib.sha256(version.encode()).hexdigest()[:32]}"'
    modified = int(last.timestamp()) if last else None
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        # Translators: the name calendar apps show for the subscribed feed of public assemblies.
        title = _("%(site)s: public assemblies") % {"site": settings.SITE_NAME}
        content = calendars.public_feed_ics(selectors.public_feed(), title=title)
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="patio-public-assemblies.ics"'
    # A 304 carries the same validators and caching as the 200 it stands for (RFC 9110 15.4.5).
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    patch_cache_control(response, public=True, max_age=PUBLIC_FEED_MAX_AGE)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def decision_detail(request: PatioRequest, pk: int) -> HttpResponse:
    """One decision's permanent address: every decision for members, those of public
    assemblies for everyone, which also answer their `CreativeWork` JSON-LD (by `Accept`)."""
    decision = selectors.decision_detail(request.user).filter(pk=pk).first()
    if decision is None:
        if request.user.is_authenticated:
            raise Http404
        return redirect_to_login(request.get_full_path())
    document = linked_data.decision_document(decision) if decision.assembly.is_public else None

    def page(document: dict[str, Any] | None) -> HttpResponse:
        context = {
            "decision": decision,
            "is_member": permissions.can_view_assemblies(request.user),
            "linked_data": document,
        }
        return render(request, "assemblies/decision_detail.html", context)

    return respond(request, document, page)


@login_required
def decision_log(request: PatioRequest) -> HttpResponse:
    if not permissions.can_view_assemblies(request.user):
        raise PermissionDenied
    form = DecisionSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "form": form,
        "query": query,
        "page": _page(request, selectors.decisions_log(request.user, query)),
    }
    return render(request, "assemblies/decision_log.html", context)


# Scheduling -------------------------------------------------------------------------------------
@login_required
def assembly_new(request: PatioRequest) -> HttpResponse:
    if not permissions.can_schedule(request.user):
        raise PermissionDenied
    form = AssemblyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assembly = services.assembly_schedule(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The assembly is scheduled."))
            return redirect(assembly)
    return render(request, "assemblies/assembly_form.html", {"form": form, "assembly": None})


@login_required
def assembly_edit(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    if not permissions.can_schedule(request.user):
        raise PermissionDenied
    form = AssemblyForm(request.POST or None, instance=Assembly.objects.get(pk=assembly.pk))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.assembly_update(actor=request.user, assembly=assembly, data=data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The assembly is saved."))
            return redirect(assembly)
    return render(request, "assemblies/assembly_form.html", {"form": form, "assembly": assembly})


@login_required
@require_POST
def assembly_cancel(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    try:
        services.assembly_cancel(actor=request.user, assembly=assembly)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The assembly is cancelled."))
    return redirect(assembly)


@login_required
def fair_slots(request: PatioRequest) -> HttpResponse:
    if not permissions.can_schedule(request.user):
        raise PermissionDenied
    form = SlotForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        month = data["month"]
        rule = {
            "year": month.year,
            "month": month.month,
            "weekday": data["weekday"],
            "nth": data["nth"],
        }
        context["best"] = slots.best_slots(**rule)
        context["rotation"], context["reached"] = slots.best_rotation(**rule, size=data["rotation"])
        zones = slots.active_people_by_timezone()
        context["total"] = sum(zones.values())
        if data["time"]:
            day = nth_weekday(month.year, month.month, data["weekday"], data["nth"])
            if day is not None:
                start = datetime.combine(day, data["time"], tzinfo=UTC)
                context["proposed"] = slots.Slot(
                    start, slots.slot_count(start, zones), context["total"]
                )
    return render(request, "assemblies/fair_slots.html", context)


# The assembly page ------------------------------------------------------------------------------
def assembly_detail(request: PatioRequest, pk: int) -> HttpResponse:
    """Members get the whole assembly; everyone gets a public one's time and decisions. Either
    way a public assembly's address also answers its `Event` JSON-LD (by `Accept`)."""
    if not permissions.can_view_assemblies(request.user):
        public = selectors.public_assemblies().filter(pk=pk).first()
        if public is not None:
            return respond(
                request,
                linked_data.event_document(public),
                lambda document: _public_assembly_page(request, public, document),
            )
        if request.user.is_authenticated:
            raise Http404
        return redirect_to_login(request.get_full_path())
    assembly = _assembly_for(request.user, pk)
    return respond(
        request,
        linked_data.event_document(assembly) if assembly.is_public else None,
        lambda document: _assembly_page(request, assembly, document),
    )


def _public_assembly_page(
    request: PatioRequest, assembly: Assembly, document: dict | None
) -> HttpResponse:
    context = {
        "assembly": assembly,
        "decisions": assembly.decisions.order_by("created_at", "id"),
        "linked_data": document,
    }
    return render(request, "assemblies/assembly_public.html", context)


def _assembly_page(
    request: PatioRequest, assembly: Assembly, document: dict | None
) -> HttpResponse:
    user = request.user
    rsvp = selectors.rsvp_of(user, assembly)
    context = {
        "linked_data": document,
        "assembly": assembly,
        "agenda": selectors.agenda(assembly),
        "updates": selectors.circle_updates(assembly),
        "missing": selectors.circles_missing_update(assembly),
        "my_circles": selectors.circles_user_may_update(user, assembly),
        "quorum": selectors.quorum(assembly),
        "rsvp": rsvp,
        "rsvp_form": RsvpForm(initial={"answer": rsvp.answer if rsvp else None}),
        "decisions": assembly.decisions.select_related("agenda_item").order_by("created_at", "id"),
        "actions": assembly.action_items.select_related("owner").order_by("due_date", "id"),
        "corrections": selectors.corrections(assembly),
        "can_correct": permissions.can_correct(user, assembly),
        "can_schedule": permissions.can_schedule(user),
        "can_run": permissions.can_run(user, assembly),
        "can_edit_agenda": permissions.can_edit_agenda(user, assembly),
        "can_rsvp": permissions.can_rsvp(user, assembly),
        "can_propose": permissions.can_propose(user, assembly),
        "me": person_of(user),
        **_delegation_context(user, assembly),
        **_minutes_context(user, assembly),
        **_rotation_context(user, assembly),
        "sections": assembly_page.render(request, assembly),
    }
    return render(request, "assemblies/assembly_detail.html", context)


def _delegation_context(user, assembly: Assembly, form: DelegationForm | None = None) -> dict:
    me = person_of(user)
    may = permissions.can_delegate(user, assembly)
    given = selectors.delegation_of(me, assembly) if may else None
    return {
        "can_delegate": may,
        "my_delegation": given,
        "held": selectors.delegations_held(me, assembly) if may else [],
        "delegations": selectors.delegations_visible(user, assembly)
        if permissions.can_run(user, assembly)
        else [],
        "delegation_form": form
        or (
            DelegationForm(choices=selectors.delegates_for(me, assembly))
            if may and given is None
            else None
        ),
    }


def _minutes_context(user, assembly: Assembly) -> dict:
    if assembly.status != Assembly.Status.CLOSED:
        return {}
    minutes = selectors.minutes_of(assembly)
    suggestions = list(selectors.suggestions(assembly)) if minutes else []
    return {
        "minutes": minutes,
        "suggestions": suggestions,
        "undecided": sum(1 for c in suggestions if c.status == Correction.Status.SUGGESTED),
        "revisions": list(selectors.minutes_history(minutes)) if minutes else [],
        "can_publish_minutes": minutes is None and permissions.can_publish_minutes(user, assembly),
        "can_suggest": permissions.can_suggest_correction(user, assembly, minutes),
        "can_decide": permissions.can_decide_corrections(user, assembly, minutes),
    }


def _rotation_context(user, assembly: Assembly, form: RotationForm | None = None) -> dict:
    if assembly.series_id is None or assembly.status != Assembly.Status.PLANNED:
        return {}
    suggestion = selectors.rotation_suggestion(assembly)
    me = person_of(user)
    confirm = permissions.can_confirm_rotation(user, assembly)
    if confirm and form is None and suggestion is not None:
        form = RotationForm(
            prefix="rotation",
            initial={
                # The suggestion, so confirming it is one press; the page shows who holds the
                # roles now.
                "facilitator": suggestion.facilitator or assembly.facilitator,
                "note_taker": suggestion.note_taker or assembly.note_taker,
            },
        )
    return {
        "rotation": suggestion,
        "rotation_form": form if confirm else None,
        "volunteering": me is not None
        and any(person.pk == me.pk for person, _last in suggestion.ranked)
        if suggestion
        else False,
        "can_volunteer": permissions.can_volunteer(user),
    }


@login_required
def assembly_quorum(request: PatioRequest, pk: int) -> HttpResponse:
    """The quorum box alone: htmx polls it while the assembly is planned or open."""
    assembly = _assembly_for(request.user, pk)
    # The box's "Refresh" link reloads the page it sits on, not this fragment.
    here = request.htmx.current_url_abs_path if request.htmx else None
    context = {
        "assembly": assembly,
        "quorum": selectors.quorum(assembly),
        "refresh_url": here or assembly.get_absolute_url(),
    }
    return render(request, "assemblies/includes/quorum.html", context)


@login_required
@require_POST
def assembly_rsvp(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose going, maybe or not going."))
        return redirect(assembly)
    services.rsvp_set(actor=request.user, assembly=assembly, answer=form.cleaned_data["answer"])
    messages.success(request, _("Your answer is saved."))
    return redirect(assembly)


def _calendar_reader(request: PatioRequest) -> Any:
    """Who fetches a calendar file: the signed-in person, else the owner of the API token in
    `Authorization: Bearer …`, else the owner of the personal feed secret in `?token=` (calendar
    apps and partner tools cannot sign in). None when the request carries none of them."""
    if request.user.is_authenticated:
        return request.user
    found = BearerTokenAuthentication().authenticate(request)  # raises on a bad token
    if found is not None:
        return found[0]
    secret = request.GET.get("token")
    if secret:
        person = selectors.calendar_feed_owner(secret)
        if person is None:
            raise Http404
        return person.user
    return None


def ics(request: PatioRequest, pk: int) -> HttpResponse:
    try:
        reader = _calendar_reader(request)
    except AuthenticationFailed as error:
        response = HttpResponse(str(error.detail), status=401, content_type="text/plain")
        response["WWW-Authenticate"] = BearerTokenAuthentication().authenticate_header(request)
        return response
    if reader is None:
        return redirect_to_login(request.get_full_path())
    assembly = _assembly_for(reader, pk)
    return _ics_response(calendars.assembly_ics(assembly), f"assembly-{assembly.pk}.ics")


@login_required
def agenda_propose(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    if not permissions.can_propose(request.user, assembly):
        raise PermissionDenied
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_propose(actor=request.user, assembly=assembly, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your item is on the agenda."))
            return redirect(assembly)
    return render(request, "assemblies/proposal_form.html", {"assembly": assembly, "form": form})


@login_required
def circle_update(request: PatioRequest, pk: int, slug: str) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    circle = get_object_or_404(Circle, slug=slug)
    if not permissions.can_post_update(request.user, assembly, circle):
        raise PermissionDenied
    existing = CircleUpdate.objects.filter(assembly=assembly, circle=circle).first()
    form = CircleUpdateForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in CircleUpdateForm.Meta.fields}
        try:
            services.circle_update_save(
                actor=request.user, assembly=assembly, circle=circle, data=data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The update of %(circle)s is posted.") % {"circle": circle.name}
            )
            return redirect(assembly)
    context = {"assembly": assembly, "circle": circle, "form": form}
    return render(request, "assemblies/circle_update_form.html", context)


# The agenda, for the facilitator ----------------------------------------------------------------
@login_required
@require_POST
def agenda_build(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    try:
        added = services.agenda_build(actor=request.user, assembly=assembly)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Items added to the agenda: %(n)d.") % {"n": added})
    return _back(request, reverse("assemblies:detail", args=[assembly.pk]))


@login_required
@require_POST
def agenda_publish(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    try:
        services.agenda_publish(actor=request.user, assembly=assembly)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agenda is published; members are being invited."))
    return redirect(assembly)


def _item_for(request: PatioRequest, pk: int, item_pk: int) -> AgendaItem:
    assembly = _assembly_for(request.user, pk)
    item = get_object_or_404(AgendaItem, assembly=assembly, pk=item_pk)
    item.assembly = assembly
    return item


@login_required
@require_POST
def agenda_item_move(request: PatioRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item_for(request, pk, item_pk)
    try:
        services.agenda_item_move(
            actor=request.user, item=item, up=request.POST.get("direction") == "up"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, reverse("assemblies:detail", args=[pk]) + "#agenda")


@login_required
def agenda_item_edit(request: PatioRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item_for(request, pk, item_pk)
    if not permissions.can_edit_agenda(request.user, item.assembly):
        raise PermissionDenied
    form = AgendaItemForm(request.POST or None, instance=AgendaItem.objects.get(pk=item.pk))
    if request.method == "POST":
        if "remove" in request.POST:
            try:
                services.agenda_item_remove(actor=request.user, item=item)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The item is removed from the agenda."))
            return redirect(item.assembly)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                services.agenda_item_update(actor=request.user, item=item, data=data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The agenda item is saved."))
                return redirect(reverse("assemblies:detail", args=[pk]) + "#agenda")
    context = {"assembly": item.assembly, "item": item, "form": form}
    return render(request, "assemblies/agenda_item_form.html", context)


# Running the meeting ----------------------------------------------------------------------------
def _run_context(request, assembly: Assembly, **forms) -> dict:
    user = request.user
    agenda = list(selectors.agenda(assembly))
    current = next((i for i in agenda if i.pk == assembly.current_item_id), None)
    index = agenda.index(current) if current else -1
    may_skip_quorum = permissions.can_decide_without_quorum(user, assembly)
    quorum = selectors.quorum(assembly)
    return {
        "assembly": assembly,
        "agenda": agenda,
        "current": current,
        "previous": agenda[index - 1] if index > 0 else None,
        "next": agenda[index + 1]
        if 0 <= index < len(agenda) - 1
        else (agenda[0] if agenda and index < 0 else None),
        "minutes_form": forms.get("minutes_form")
        or (MinutesForm(instance=current, prefix="minutes") if current else None),
        "decision_form": forms.get("decision_form")
        or DecisionForm(
            assembly=assembly,
            prefix="decision",
            initial={"agenda_item": current},
            may_skip_quorum=may_skip_quorum and not quorum.reached,
        ),
        "action_form": forms.get("action_form")
        or ActionItemForm(assembly=assembly, prefix="action", initial={"agenda_item": current}),
        "roster": selectors.roster_rows(assembly),
        "delegations": selectors.delegations_visible(user, assembly),
        "quorum": quorum,
        "decisions": assembly.decisions.select_related("agenda_item").order_by("created_at", "id"),
        "actions": assembly.action_items.select_related("owner").order_by("due_date", "id"),
        "corrections": selectors.corrections(assembly),
        "can_record": permissions.can_record(user, assembly),
        "can_record_meeting": permissions.can_record_meeting(user, assembly),
        "can_correct": permissions.can_correct(user, assembly),
        "opens_today": assembly.opens_on(timezone.now().astimezone(UTC).date()),
    }


def _runnable(request, pk: int) -> Assembly:
    assembly = _assembly_for(request.user, pk)
    if not permissions.can_run(request.user, assembly):
        raise PermissionDenied
    return assembly


def _to_run(assembly: Assembly, anchor: str = "") -> HttpResponse:
    return redirect(reverse("assemblies:run", args=[assembly.pk]) + anchor)


@login_required
def run(request: PatioRequest, pk: int) -> HttpResponse:
    """The facilitator's live view: move through the agenda, take minutes, record outcomes."""
    assembly = _runnable(request, pk)
    return render(request, "assemblies/run.html", _run_context(request, assembly))


@login_required
@require_POST
def run_status(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _runnable(request, pk)
    try:
        services.assembly_set_status(
            actor=request.user, assembly=assembly, status=request.POST.get("status", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _to_run(assembly)


@login_required
@require_POST
def run_item(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _runnable(request, pk)
    item = get_object_or_404(AgendaItem, assembly=assembly, pk=request.POST.get("item") or 0)
    try:
        services.current_item_set(actor=request.user, assembly=assembly, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _to_run(assembly, "#current")


@login_required
@require_POST
def run_minutes(request: PatioRequest, pk: int, item_pk: int) -> HttpResponse:
    assembly = _runnable(request, pk)
    item = get_object_or_404(AgendaItem, assembly=assembly, pk=item_pk)
    item.assembly = assembly
    form = MinutesForm(request.POST, instance=AgendaItem.objects.get(pk=item.pk), prefix="minutes")
    if form.is_valid():
        try:
            services.minutes_save(
                actor=request.user, item=item, minutes=form.cleaned_data["minutes"]
            )
        except ValidationError as error:
            return _refused(request, assembly, error)
        messages.success(request, _("The minutes are saved."))
        return _to_run(assembly, "#current")
    return render(
        request,
        "assemblies/run.html",
        _run_context(request, assembly, minutes_form=form),
        status=400,
    )


def _refused(request, assembly: Assembly, error: ValidationError) -> HttpResponse:
    """A write the assembly's state refuses (closed, not open yet): say so on the run page,
    whose controls now match the state."""
    messages.error(request, " ".join(error.messages))
    status = 409 if isinstance(error, services.RecordFrozen) else 400
    return render(request, "assemblies/run.html", _run_context(request, assembly), status=status)


@login_required
@require_POST
def run_decision(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _runnable(request, pk)
    form = DecisionForm(
        request.POST,
        assembly=assembly,
        prefix="decision",
        may_skip_quorum=permissions.can_decide_without_quorum(request.user, assembly),
    )
    if form.is_valid():
        try:
            services.decision_record(actor=request.user, assembly=assembly, **form.cleaned_data)
        except services.RecordFrozen as error:
            return _refused(request, assembly, error)
        except ValidationError as error:
            if getattr(error, "code", None) == "not_open":
                return _refused(request, assembly, error)
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return _to_run(assembly, "#outcomes")
    return render(
        request,
        "assemblies/run.html",
        _run_context(request, assembly, decision_form=form),
        status=400,
    )


@login_required
@require_POST
def run_action(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _runnable(request, pk)
    form = ActionItemForm(request.POST, assembly=assembly, prefix="action")
    if form.is_valid():
        try:
            services.action_item_create(actor=request.user, assembly=assembly, **form.cleaned_data)
        except services.RecordFrozen as error:
            return _refused(request, assembly, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The action item is recorded."))
            return _to_run(assembly, "#outcomes")
    return render(
        request,
        "assemblies/run.html",
        _run_context(request, assembly, action_form=form),
        status=400,
    )


@login_required
@require_POST
def run_attendance(request: PatioRequest, pk: int) -> HttpResponse:
    """The whole roster at once (a list of ticked people)."""
    assembly = _runnable(request, pk)
    form = AttendanceForm(request.POST, people=selectors.roster(assembly))
    if form.is_valid():
        try:
            n = services.attendance_set(
                actor=request.user, assembly=assembly, people=list(form.cleaned_data["people"])
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attendance is saved: %(n)d present.") % {"n": n})
    else:
        messages.error(request, _("Attendance could not be saved."))
    return _to_run(assembly, "#attendance")


@login_required
@require_POST
def run_mark(request: PatioRequest, pk: int, person_pk: int) -> HttpResponse:
    """Mark one person present or not. With htmx, answers their roster row and the quorum box
    (out of band); without JavaScript, goes back to the roster."""
    assembly = _runnable(request, pk)
    person = get_object_or_404(
        selectors.roster(assembly).select_related("organisation"), pk=person_pk
    )
    present = request.POST.get("present") == "1"
    try:
        services.attendance_mark(
            actor=request.user, assembly=assembly, person=person, present=present
        )
    except ValidationError as error:
        # Closed or not open meanwhile: reload the run page, whose controls match the state.
        messages.error(request, " ".join(error.messages))
        if request.htmx:
            response = HttpResponse()
            response["HX-Redirect"] = reverse("assemblies:run", args=[assembly.pk])
            return response
        return _to_run(assembly, "#attendance")
    if not request.htmx:
        return _to_run(assembly, f"#roster-{person.pk}")
    context = {
        "assembly": assembly,
        "person": person,
        "present": present,
        "can_record_meeting": True,
        "quorum": selectors.quorum(assembly),
        "oob": True,
    }
    return render(request, "assemblies/includes/roster_row.html", context)


# Delegated votes --------------------------------------------------------------------------------
@login_required
@require_POST
def delegation_give(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    if not permissions.can_delegate(request.user, assembly):
        raise PermissionDenied
    me = person_of(request.user)
    form = DelegationForm(request.POST, choices=selectors.roster(assembly))
    if form.is_valid():
        try:
            services.delegate_vote(
                actor=request.user, assembly=assembly, delegate=form.cleaned_data["delegate"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your vote is delegated to %(name)s.")
                % {"name": form.cleaned_data["delegate"].display_name},
            )
            return redirect(reverse("assemblies:detail", args=[assembly.pk]) + "#delegation")
    form.fields["delegate"].queryset = selectors.delegates_for(me, assembly)  # type: ignore[attr-defined]
    return render(
        request,
        "assemblies/delegation_form.html",
        {"assembly": assembly, "delegation_form": form},
        status=400,
    )


@login_required
@require_POST
def delegation_revoke(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    try:
        services.delegation_revoke(actor=request.user, assembly=assembly)
    except ValidationError as error:
        # Nothing to revoke, or used already: the assembly page, with why.
        messages.error(request, " ".join(error.messages))
        response = _assembly_page(request, assembly, None)
        response.status_code = 400
        return response
    messages.success(request, _("Your delegation is revoked: your vote is yours again."))
    return redirect(reverse("assemblies:detail", args=[assembly.pk]) + "#delegation")


# Minutes approved by those present --------------------------------------------------------------
def _to_minutes(assembly: Assembly) -> HttpResponse:
    return redirect(reverse("assemblies:detail", args=[assembly.pk]) + "#minutes")


@login_required
def minutes_publish(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    if not permissions.can_publish_minutes(request.user, assembly):
        raise PermissionDenied
    form = MinutesPublishForm(
        request.POST or None, initial={"text": selectors.draft_from_items(assembly)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_publish(
                actor=request.user, assembly=assembly, text=form.cleaned_data["text"]
            )
        except services.RecordFrozen as error:
            messages.error(request, " ".join(error.messages))
            return _to_minutes(assembly)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft minutes are published; those present are told."))
            return _to_minutes(assembly)
    status = 400 if form.is_bound else 200
    context = {"assembly": assembly, "form": form}
    return render(request, "assemblies/minutes_form.html", context, status=status)


@login_required
def correction_suggest(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    minutes = selectors.minutes_of(assembly)
    if minutes is not None and minutes.is_approved:
        messages.error(request, " ".join(services._minutes_frozen().messages))
        return _to_minutes(assembly)
    if not permissions.can_suggest_correction(request.user, assembly, minutes):
        raise PermissionDenied
    form = SuggestionForm(request.POST or None, assembly=assembly)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_suggest(actor=request.user, assembly=assembly, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your suggestion is sent to the facilitator."))
            return _to_minutes(assembly)
    status = 400 if form.is_bound else 200
    context = {"assembly": assembly, "form": form, "minutes": minutes}
    return render(request, "assemblies/suggestion_form.html", context, status=status)


@login_required
@require_POST
def correction_decide(request: PatioRequest, pk: int, correction_pk: int) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    correction = get_object_or_404(Correction, assembly=assembly, pk=correction_pk)
    correction.assembly = assembly
    form = CorrectionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or reject."))
        return _to_minutes(assembly)
    try:
        services.correction_decide(
            actor=request.user,
            correction=correction,
            accept=form.cleaned_data["accept"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The suggestion is decided; its author is told."))
    return _to_minutes(assembly)


@login_required
@require_POST
def minutes_approve(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    try:
        services.minutes_approve(actor=request.user, assembly=assembly)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The minutes are approved and frozen."))
    return _to_minutes(assembly)


# Rotation ---------------------------------------------------------------------------------------
@login_required
@require_POST
def series_volunteer(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    if assembly.series is None:
        raise Http404
    volunteering = request.POST.get("volunteering") == "1"
    services.series_volunteer_set(
        actor=request.user, series=assembly.series, volunteering=volunteering
    )
    messages.success(
        request,
        _("You are on the list to facilitate and take notes.")
        if volunteering
        else _("You are off the list to facilitate and take notes."),
    )
    return redirect(reverse("assemblies:detail", args=[assembly.pk]) + "#rotation")


@login_required
@require_POST
def rotation_confirm(request: PatioRequest, pk: int) -> HttpResponse:
    assembly = _assembly_for(request.user, pk)
    if not permissions.can_confirm_rotation(request.user, assembly):
        raise PermissionDenied
    form = RotationForm(request.POST, prefix="rotation")
    if form.is_valid():
        try:
            services.rotation_confirm(actor=request.user, assembly=assembly, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The facilitator and the note-taker are confirmed."))
            return redirect(reverse("assemblies:detail", args=[assembly.pk]) + "#rotation")
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("assemblies:detail", args=[assembly.pk]) + "#rotation")


# Corrections ------------------------------------------------------------------------------------
@login_required
def correction_new(request: PatioRequest, pk: int) -> HttpResponse:
    """Correct a closed assembly's record: a visible, audited note beside it, never an edit."""
    assembly = _assembly_for(request.user, pk)
    if not permissions.can_correct(request.user, assembly):
        raise PermissionDenied
    form = CorrectionForm(request.POST or None, assembly=assembly)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_add(actor=request.user, assembly=assembly, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The correction is added to the record."))
            return redirect(reverse("assemblies:detail", args=[assembly.pk]) + "#corrections")
    status = 400 if form.is_bound else 200
    context = {"assembly": assembly, "form": form}
    return render(request, "assemblies/correction_form.html", context, status=status)


@login_required
@require_POST
def action_status(request: PatioRequest, action_pk: int) -> HttpResponse:
    action = get_object_or_404(selectors.action_items_for(request.user), pk=action_pk)
    form = ActionStatusForm(request.POST, instance=ActionItem.objects.get(pk=action.pk))
    if form.is_valid():
        services.action_item_update(
            actor=request.user, action=action, data={"status": form.cleaned_data["status"]}
        )
        messages.success(request, _("The action is updated."))
    return _back(request, action.assembly.get_absolute_url())


# Calendars --------------------------------------------------------------------------------------
@login_required
def calendar_settings(request: PatioRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person of the network."))
    secret = None
    if request.method == "POST":
        if "revoke" in request.POST:
            services.calendar_token_revoke(actor=request.user)
            messages.success(request, _("Your calendar link no longer works."))
            return redirect("assemblies:calendar")
        secret = services.calendar_token_create(actor=request.user)
    active = selectors.calendar_token_active(person)
    feed_url = (
        request.build_absolute_uri(reverse("assemblies:feed", args=[secret])) if secret else None
    )
    return render(request, "assemblies/calendar.html", {"active": active, "feed_url": feed_url})


def feed(request: PatioRequest, secret: str) -> HttpResponse:
    """The personal iCal feed: no login (calendar apps cannot log in), the secret is the key."""
    person = selectors.calendar_feed_owner(secret)
    if person is None:
        raise Http404
    content = calendars.person_feed_ics(person, title=_("Patio assemblies"))
    response = _ics_response(content, "patio.ics")
    response["Cache-Control"] = "private, max-age=900"
    return response
