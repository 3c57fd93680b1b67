"""Pages of polls: the list, starting a poll, a poll (vote, results, outcome), and the
author's moves. Each reads through `polls.selectors`, asks `polls.permissions` and writes
through `polls.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from patio.forms import add_service_errors
from polls import permissions, selectors, services
from polls.forms import DelegationForm, OutcomeForm, PollForm, answer_from_post
from polls.grid import week_grid
from polls.models import Outcome, Poll

PAGE_SIZE = 25


def POSITION_LABELS() -> list[tuple[str, str]]:
    return [
        ("agree", _("Agree")),
        ("abstain", _("Abstain")),
        ("disagree", _("Disagree")),
        ("block", pgettext("poll position", "Block")),
    ]


def _poll_for(user: Any, pk: int) -> Poll:
    """The one way views look a poll up: what the reader may not see is a 404."""
    return get_object_or_404(selectors.poll_detail(user), pk=pk)


def _readable(request: HttpRequest) -> None:
    if not permissions.can_view_polls(request.user):
        raise PermissionDenied


@login_required
def poll_list(request: HttpRequest) -> HttpResponse:
    _readable(request)
    now = timezone.now()
    polls = selectors.poll_list(request.user)
    open_polls = list(polls.filter(closed_at__isnull=True, closes_at__gt=now))
    closed = Paginator(polls.exclude(pk__in=[p.pk for p in open_polls]), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "polls/poll_list.html",
        {
            "open_polls": open_polls,
            "closed": closed,
            "can_create": permissions.can_create_poll(request.user),
        },
    )


@login_required
def poll_new(request: HttpRequest) -> HttpResponse:
    _readable(request)
    if not permissions.can_create_poll(request.user):
        raise PermissionDenied
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        circle = form.cleaned_data.get("circle")
        if not permissions.can_create_poll(request.user, circle):
            form.add_error("circle", _("You can start a poll only in a circle you belong to."))
            return render(request, "polls/poll_form.html", {"form": form}, status=400)
        try:
            poll = services.poll_create(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your poll is open."))
            return redirect(poll)
    return render(request, "polls/poll_form.html", {"form": form})


def _option_rows(poll: Poll, result: dict[str, Any] | None) -> list[dict[str, Any]]:
    rows = []
    counted = (result or {}).get("options", {})
    ballots = (result or {}).get("ballots", 0)
    for option in poll.options.all():
        value = counted.get(option.pk)
        row: dict[str, Any] = {"option": option}
        if isinstance(value, dict):
            row = {**row, **value}
        elif value is not None:
            row["count"] = value
            row["percent"] = round(100 * value / ballots) if ballots else 0
        rows.append(row)
    return rows


def _rounds(poll: Poll, result: dict[str, Any] | None) -> list[dict[str, Any]]:
    labels = {o.pk: o.label for o in poll.options.all()}
    out = []
    for r in (result or {}).get("rounds", []):
        out.append(
            {
                "number": r.number,
                "votes": [(labels[pk], n) for pk, n in r.votes.items()],
                "exhausted": r.exhausted,
                "eliminated": labels.get(r.eliminated) if r.eliminated else None,
                "transfers": [(labels.get(pk) if pk else None, n) for pk, n in r.transfers.items()],
                "winner": labels.get(r.winner) if r.winner else None,
            }
        )
    return out


def _mark_mine(poll: Poll, answer: dict[str, Any]) -> None:
    """Put the reader's own answer on each option, so the form shows what they chose."""
    ranking = [int(pk) for pk in answer.get("ranking", [])]
    for option in poll.options.all():
        key = str(option.pk)
        if poll.kind == Poll.Kind.SINGLE:
            option.mine = answer.get("option") == option.pk
        elif poll.kind == Poll.Kind.MULTIPLE:
            option.mine = option.pk in answer.get("options", [])
        elif poll.kind == Poll.Kind.SCORE:
            option.mine = answer.get("scores", {}).get(key, 0)
        elif poll.kind == Poll.Kind.DOT:
            option.mine = answer.get("dots", {}).get(key, "")
        elif poll.kind == Poll.Kind.RANKED:
            option.mine = ranking.index(option.pk) + 1 if option.pk in ranking else ""
        elif poll.kind == Poll.Kind.TIME:
            option.mine = answer.get("slots", {}).get(key, "")


def _detail(
    request: HttpRequest,
    poll: Poll,
    *,
    outcome_form=None,
    delegation_form=None,
    vote_error="",
    status=200,
):
    user = request.user
    selectors.with_counts([poll])
    result = selectors.results(poll, user)
    own = selectors.own_answer(poll, user)
    answer = own or {}
    _mark_mine(poll, answer)
    grid = []
    if poll.kind == Poll.Kind.TIME:
        tally = (result or {}).get("slots", {})
        pairs = []
        for option in poll.options.all():
            option.tally = tally.get(option.pk)
            pairs.append((option, option.starts_at))
        grid = week_grid(pairs, timezone.get_current_timezone_name())
    try:
        outcome = poll.outcome
    except Outcome.DoesNotExist:
        outcome = None
    initial = {"statement": outcome.statement, "review_on": outcome.review_on} if outcome else {}
    context = {
        "poll": poll,
        "result": result,
        "rows": _option_rows(poll, result),
        "rounds": _rounds(poll, result),
        "grid": grid,
        "winner_slot": next(
            (o for o in poll.options.all() if result and o.pk == result.get("winner")), None
        ),
        "turnout": selectors.turnout(poll),
        "can_delegate": permissions.can_delegate(user, poll),
        "my_delegation": selectors.own_delegation(poll, user),
        "carried": selectors.carried(poll, user),
        "delegations": selectors.delegations_shown(poll, user),
        "delegation_form": delegation_form
        or DelegationForm(choices=selectors.delegate_choices(poll, user)),
        "answer": answer,
        "voted": own is not None,
        "named": selectors.named_answers(poll, user),
        "outcome": outcome,
        "can_vote": permissions.can_vote(user, poll),
        "can_close": permissions.can_close(user, poll),
        "can_record_outcome": permissions.can_record_outcome(user, poll),
        "can_schedule": permissions.can_schedule_assembly(user, poll)
        and bool(result)
        and result.get("winner") is not None,
        "outcome_form": outcome_form or OutcomeForm(initial=initial),
        "vote_error": vote_error,
        "scores": range(poll.max_score + 1),
        "zone": timezone.get_current_timezone_name(),
        "positions": POSITION_LABELS(),
    }
    return render(request, "polls/poll_detail.html", context, status=status)


@login_required
def poll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _readable(request)
    return _detail(request, _poll_for(request.user, pk))


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    _readable(request)
    poll = _poll_for(request.user, pk)
    ids = [o.pk for o in poll.options.all()]
    try:
        services.vote_cast(
            actor=request.user, poll=poll, answer=answer_from_post(poll, request.POST, ids)
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        return _detail(request, poll, vote_error=message, status=400)
    messages.success(request, _("Your vote is counted. You can change it until the poll closes."))
    return redirect(poll)


@login_required
@require_POST
def delegate(request: HttpRequest, pk: int) -> HttpResponse:
    _readable(request)
    poll = _poll_for(request.user, pk)
    if not permissions.can_delegate(request.user, poll):
        raise PermissionDenied
    form = DelegationForm(request.POST, choices=selectors.delegate_choices(poll, request.user))
    if form.is_valid():
        try:
            services.poll_delegate(
                actor=request.user, poll=poll, delegate=form.cleaned_data["delegate"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            name = form.cleaned_data["delegate"].display_name
            messages.success(
                request,
                _("%(name)s carries your vote in this poll, unless you vote yourself.")
                % {"name": name},
            )
            return redirect(poll)
    return _detail(request, poll, delegation_form=form, status=400)


@login_required
@require_POST
def delegation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _readable(request)
    poll = _poll_for(request.user, pk)
    if not permissions.can_delegate(request.user, poll):
        raise PermissionDenied
    try:
        services.poll_delegation_revoke(actor=request.user, poll=poll)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your vote is yours again."))
    return redirect(poll)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    _readable(request)
    poll = _poll_for(request.user, pk)
    try:
        services.poll_close(actor=request.user, poll=poll)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The poll is closed."))
    return redirect(poll)


@login_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    _readable(request)
    poll = _poll_for(request.user, pk)
    if not permissions.can_record_outcome(request.user, poll):
        raise PermissionDenied
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.outcome_record(actor=request.user, poll=poll, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The outcome is recorded."))
            return redirect(poll)
    return _detail(request, poll, outcome_form=form, status=400)


@login_required
@require_POST
def schedule_assembly(request: HttpRequest, pk: int) -> HttpResponse:
    _readable(request)
    poll = _poll_for(request.user, pk)
    try:
        assembly = services.assembly_from_time_poll(actor=request.user, poll=poll)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(poll)
    messages.success(request, _("The assembly is scheduled at the winning time."))
    return redirect(assembly)
