"""Pages of the request-help intake: the public form and the triage inbox."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue.models import Software
from catalogue.selectors import public_software
from intake import permissions, selectors, services
from intake.filters import HelpRequestFilter
from intake.forms import AnswerForm, ConvertForm, DeclineForm, HelpRequestForm, prefill
from intake.models import HelpRequest
from intake.throttles import HelpRequestThrottle
from patio.forms import add_service_errors

PAGE_SIZE = 25


def _rate_limited(request: HttpRequest, throttle: HelpRequestThrottle) -> HttpResponse:
    wait = math.ceil(throttle.wait() or 60)
    response = render(
        request, "intake/rate_limited.html", {"minutes": max(1, math.ceil(wait / 60))}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


def _software_asked_about(request: HttpRequest) -> Software | None:
    """The published catalogue entry the form was opened from (`?software=slug`), if any."""
    slug = (request.POST if request.method == "POST" else request.GET).get("software", "")
    if not slug or len(slug) > 200:
        return None
    return public_software().filter(slug=slug).first()


THANKS_SALT = "intake.thanks"


def new(request: HttpRequest) -> HttpResponse:
    """The public form. Robots that fill the honeypot see the thank-you page; nothing is kept."""
    software = _software_asked_about(request)
    if request.method == "POST":
        form = HelpRequestForm(request.POST, software=software)
    else:
        form = HelpRequestForm(initial=prefill(request.GET, software=software), software=software)
    if request.method == "POST":
        throttle = HelpRequestThrottle()
        # The throttle reads only the request's address and user, which a plain request has too.
        if not throttle.allow_request(request, None):
            return _rate_limited(request, throttle)
        if form.is_robot:
            throttle.spend()  # a robot is told it succeeded, and pays as if it had
            return redirect("intake:thanks")
        if form.is_valid():
            try:
                help_request = services.help_request_submit(
                    actor=request.user,
                    data=form.service_data(),
                    languages=form.cleaned_data["preferred_languages"],
                    language=get_language(),
                    software=software,
                    providers=form.chosen_providers(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                throttle.spend()
                return redirect(thanks_address(help_request))
    # Triagers come here too: point them to the inbox (the nav stays free of per-app queries).
    return render(
        request,
        "intake/new.html",
        {"form": form, "software": software, "can_triage": permissions.can_triage(request.user)},
    )


def thanks_address(help_request: HelpRequest) -> str:
    """Where the sender lands: the thank-you page with a signed receipt of their request."""
    receipt = signing.dumps(help_request.pk, salt=THANKS_SALT)
    return f"{reverse('intake:thanks')}?{urlencode({'r': receipt})}"


def thanks(request: HttpRequest) -> HttpResponse:
    """The confirmation, saying who was told: the receipt in the address is signed, so it names
    only the sender's own request, and only for a day."""
    help_request = None
    try:
        pk = signing.loads(request.GET.get("r", ""), salt=THANKS_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        pk = None
    if isinstance(pk, int):
        help_request = (
            HelpRequest.objects.select_related("software")
            .prefetch_related("providers")
            .filter(pk=pk)
            .first()
        )
    return render(request, "intake/thanks.html", {"help_request": help_request})


def _require_triager(user) -> None:
    if not permissions.can_triage(user):
        raise PermissionDenied


def _help_request_for(user, pk: int) -> HelpRequest:
    """The one way views look up a request: 403 for non-triagers, 404 for a missing one."""
    _require_triager(user)
    return get_object_or_404(selectors.help_request_detail(user), pk=pk)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _require_triager(request.user)
    filterset = HelpRequestFilter(request.GET, queryset=selectors.help_request_list(request.user))
    queryset = filterset.qs if filterset.is_valid() else HelpRequest.objects.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "intake/inbox.html", {"filter": filterset, "page": page})


def _detail_context(request, help_request, **forms) -> dict:
    circles = permissions.conversion_circles(request.user).order_by("name")
    return {
        "help_request": help_request,
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "convert_form": forms.get("convert_form") or ConvertForm(circles=circles),
        "can_answer": help_request.status in HelpRequest.ANSWERABLE,
        "can_decline": help_request.status in HelpRequest.DECLINABLE,
        "can_convert": help_request.status in HelpRequest.CONVERTIBLE,
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = _help_request_for(request.user, pk)
    return render(request, "intake/detail.html", _detail_context(request, help_request))


def _refused(request, help_request, form, name: str, error=None) -> HttpResponse:
    """The detail page again, with the form that failed showing its errors. A refusal that is
    about the request, not the form (handled meanwhile by someone else), is a message instead."""
    if error is not None and not hasattr(error, "error_dict"):
        messages.error(request, " ".join(error.messages))
        return redirect(help_request)
    if error is not None:
        add_service_errors(form, error)
    context = _detail_context(request, help_request, **{name: form})
    return render(request, "intake/detail.html", context, status=400)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = _help_request_for(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _refused(request, help_request, form, "answer_form")
    try:
        services.help_request_answer(
            actor=request.user, help_request=help_request, message=form.cleaned_data["answer"]
        )
    except ValidationError as error:
        return _refused(request, help_request, form, "answer_form", error)
    messages.success(
        request,
        _("Your answer is on its way to %(email)s.") % {"email": help_request.contact_email},
    )
    return redirect(help_request)


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = _help_request_for(request.user, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _refused(request, help_request, form, "decline_form")
    try:
        services.help_request_decline(
            actor=request.user,
            help_request=help_request,
            reason=form.cleaned_data["decline_reason"],
        )
    except ValidationError as error:
        return _refused(request, help_request, form, "decline_form", error)
    messages.success(request, _("The request is declined; the requester is told why."))
    return redirect(help_request)


def opportunity_edit_url(opportunity) -> str:
    try:
        return reverse("projects:opportunity_edit", args=[opportunity.pk])
    except NoReverseMatch:
        return opportunity.get_absolute_url()


@login_required
@require_POST
def convert(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = _help_request_for(request.user, pk)
    circles = permissions.conversion_circles(request.user)
    if not circles.exists():
        raise PermissionDenied  # an admin account without a person posts nothing
    form = ConvertForm(request.POST, circles=circles)
    if not form.is_valid():
        return _refused(request, help_request, form, "convert_form")
    try:
        opportunity = services.help_request_convert(
            actor=request.user, help_request=help_request, circle=form.cleaned_data["circle"]
        )
    except ValidationError as error:
        return _refused(request, help_request, form, "convert_form", error)
    messages.success(
        request, _("A draft opportunity was made from this request. Complete it, then open it.")
    )
    return redirect(opportunity_edit_url(opportunity))


def circle_section(request: HttpRequest, circle) -> str:
    """On a triage circle's page, its triagers see how many requests wait (CirclesConfig hook)."""
    if not circle.triages_help_requests or not permissions.can_triage(request.user):
        return ""
    waiting = HelpRequest.objects.filter(status=HelpRequest.Status.NEW).count()
    return render_to_string(
        "intake/includes/circle_section.html", {"waiting": waiting}, request=request
    )
