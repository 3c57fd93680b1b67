"""My data: download it, erase my account; and a co-op admin's erasure of someone who left."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from members.models import Person
from members.permissions import person_of
from patio.forms import add_service_errors
from patio.http import PatioRequest
from privacy import permissions, selectors, services
from privacy.exports import private_storage
from privacy.forms import EraseForm
from privacy.models import DataExport


def _user(request: HttpRequest) -> User:
    if not permissions.can_download_own_data(request.user):
        raise PermissionDenied(_("Your account is not linked to a person of the network."))
    return request.user


def _export_for(request: HttpRequest, pk: int) -> DataExport:
    """The one way to find an export: among the reader's own, so nobody reaches another's."""
    return get_object_or_404(selectors.exports_of(request.user), pk=pk)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _user(request)
    exports = list(selectors.exports_of(request.user)[:5])
    context = {"exports": exports, "days": settings.DATA_EXPORT_DAYS}
    return render(request, "privacy/home.html", context)


@login_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    try:
        services.data_export_request(actor=_user(request))
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Your download is being prepared. We will email you when it is ready.")
        )
    return redirect("privacy:home")


@login_required
def export_status(request: PatioRequest, pk: int) -> HttpResponse:
    """One export's progress: the part htmx polls, or a whole page for a plain refresh."""
    export = _export_for(request, pk)
    template = "privacy/includes/export.html" if request.htmx else "privacy/export.html"
    return render(request, template, {"export": export})


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = _export_for(request, pk)
    if export.status != DataExport.Status.READY or not export.file_name:
        raise Http404
    stamp = export.ready_at.date().isoformat() if export.ready_at else "data"
    return FileResponse(
        private_storage().open(export.file_name, "rb"),
        as_attachment=True,
        filename=f"patio-my-data-{stamp}.zip",
        content_type="application/zip",
    )


def _erase(request: HttpRequest, person: Person, template: str) -> HttpResponse | None:
    """The confirmation form; None once the person is erased."""
    user = request.user
    assert isinstance(user, User)  # login_required
    form = EraseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_erase(actor=user, person=person)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return None
    return render(request, template, {"form": form, "person": person})


@login_required
def erase_self(request: HttpRequest) -> HttpResponse:
    person = person_of(_user(request))
    assert person is not None
    response = _erase(request, person, "privacy/erase_self.html")
    if response is not None:
        return response
    logout(request)
    messages.success(request, _("Your account is erased. Thank you for being part of Patio."))
    return redirect("home")


@login_required
def erase_person(request: HttpRequest, pk: int) -> HttpResponse:
    """A co-op admin erases a person of their co-op who has left."""
    person = get_object_or_404(Person.objects.select_related("user", "organisation"), pk=pk)
    if not permissions.can_erase(request.user, person):
        raise PermissionDenied
    own = person_of(request.user)
    if own is not None and own.pk == person.pk:
        return redirect("privacy:erase_self")
    response = _erase(request, person, "privacy/erase_person.html")
    if response is not None:
        return response
    messages.success(request, _("The account is erased, and its owner told."))
    return redirect(person.organisation)


def person_section(request: HttpRequest, person: Person) -> str:
    """The person page's privacy slot: a co-op admin may erase someone of theirs who left."""
    own = person_of(request.user)
    if own is not None and own.pk == person.pk:
        return ""
    if not permissions.can_erase(request.user, person):
        return ""
    return render_to_string(
        "privacy/includes/person_erase.html", {"person": person}, request=request
    )
